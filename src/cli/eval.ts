import { Command } from 'commander';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { applyTestPurchases, type AppliedTestPurchases } from '../actions/testPurchases.ts';
import { evaluateDetection, type Evaluation } from '../analysis/evaluate.ts';
import type { MarketTruth } from '../analysis/marketTruth.ts';
import { runDetection, type DetectionSummary } from '../analysis/runDetection.ts';
import { RingwatchError } from '../errors.ts';
import { Neo4jDetectionStore } from '../graph/detectionStore.ts';
import { printJson, say, withDb } from './context.ts';

export function readTruth(file: string): MarketTruth {
  let truth: MarketTruth;
  try {
    truth = JSON.parse(readFileSync(file, 'utf8')) as MarketTruth;
  } catch (error) {
    throw new RingwatchError('INPUT_INVALID', `cannot read the truth file ${file}: ${(error as Error).message}`);
  }
  if (!Array.isArray(truth.rings) || !Array.isArray(truth.honest_groups)) {
    throw new RingwatchError('INPUT_INVALID', `${file} is not a ringwatch truth file (no rings / honest_groups)`);
  }
  return truth;
}

/** What `--apply-verdicts` did before evaluating. */
interface AppliedVerdicts {
  verdicts: AppliedTestPurchases;
  detection: Pick<DetectionSummary['run'], 'runId' | 'mode' | 'modeReason' | 'counts'>;
}

/**
 * `ringwatch eval --truth FILE [--apply-verdicts]`: how the last detection's rings compare with
 * the planted ones; with `--apply-verdicts`, first the brands' counterfeit verdicts on the
 * truth's test purchases and a detection (docs/detection.md, "Evaluation").
 */
export function evalCommand(): Command {
  return new Command('eval')
    .description('compare the rings of the last detection with a truth file from `ringwatch generate`')
    .requiredOption('--truth <file>', 'truth file written by `ringwatch generate --truth`')
    .option('--all-rings', 'evaluate every ring, not only flagged ones')
    .option('--apply-verdicts', "first record a brand's verdict counterfeit on each test purchase of the truth (audited, skipping listings that have it) and run a detection")
    .option('--json', 'print the evaluation as JSON')
    .action(async (opts: { truth: string; allRings?: boolean; applyVerdicts?: boolean; json?: boolean }) => {
      const truth = readTruth(opts.truth);
      const { found, applied } = await withDb(
        'cli:eval',
        async ({ db }) => {
          const store = new Neo4jDetectionStore(db);
          let applied: AppliedVerdicts | undefined;
          if (opts.applyVerdicts) {
            const actor = { keyId: 'cli', role: 'admin', requestId: `cli-${randomUUID()}` };
            const verdicts = await applyTestPurchases({ db, actor, at: new Date(), meta: { app: 'cli:eval' } }, truth);
            if (!opts.json) say(verdictLine(verdicts));
            // `ringwatch detect` with its defaults: incremental when the last run had them, since verdicts mark their sellers changed.
            const { run } = await runDetection(store, { onPhase: opts.json ? undefined : (phase) => say(`detect: ${phase.replace(/Ms$/, '')}…`) });
            applied = { verdicts, detection: { runId: run.runId, mode: run.mode, modeReason: run.modeReason, counts: run.counts } };
            if (!opts.json) say(detectionLine(applied.detection));
          }
          return { found: await store.exportRings(false), applied };
        },
        { quiet: true },
      );
      const evaluation = evaluateDetection(found, truth, { flaggedOnly: !opts.allRings });
      if (opts.json) printJson(applied === undefined ? evaluation : { ...evaluation, appliedVerdicts: applied.verdicts, detection: applied.detection });
      else printEvaluation(evaluation);
    });
}

function verdictLine(v: AppliedTestPurchases): string {
  if (v.testPurchases === 0) return 'verdicts: the truth file names no test purchases (no super-fake rings); none recorded';
  return (
    `verdicts: recorded counterfeit on ${v.recorded.length} of ${v.testPurchases} test purchases` +
    (v.recorded.length > 0 ? ` (${v.brands.length} brands, audited as cli)` : '') +
    (v.skipped.length > 0 ? `; ${v.skipped.length} already had that verdict` : '')
  );
}

function detectionLine(d: AppliedVerdicts['detection']): string {
  const c = d.counts;
  return d.mode === 'incremental'
    ? `detection ${d.runId}: incremental (${d.modeReason}): ${c.changedSellers} changed sellers, ${c.sellersReclustered} re-clustered; ${c.ringsWritten} rings rewritten, ${c.ringsDissolved} dissolved`
    : `detection ${d.runId}: full (${d.modeReason}): ${c.rings} rings, ${c.flaggedRings} flagged`;
}

export function printEvaluation(e: Evaluation): void {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  say(`rings:   precision ${pct(e.ringPrecision)}, recall ${pct(e.ringRecall)}, F1 ${pct(e.ringF1)} (${e.matchedRings} of ${e.plantedRings} planted rings found; ${e.foundRings} found)`);
  say(`sellers: precision ${pct(e.sellerPrecision)}, recall ${pct(e.sellerRecall)}`);
  say(`honest multi-store owners flagged: ${e.honestMultiStoreOwnersFlagged} of ${e.honestMultiStoreOwners}; bridged ring pairs kept apart: ${e.bridgedPairsSeparated} of ${e.bridgedPairs} (${pct(e.bridgedSeparatedShare)})`);
  const width = Math.max(12, ...e.ringKinds.map((k) => k.kind.length), ...e.honestGroupKinds.map((k) => k.kind.length));
  say(`planted rings by kind (found at Jaccard ≥ ${e.options.matchThreshold}):`);
  for (const k of e.ringKinds) {
    say(`  ${k.kind.padEnd(width)}  ${String(k.flagged).padStart(5)} of ${String(k.planted).padEnd(5)} flagged (${pct(k.flaggedRecall)}), ${k.asCommunity} found as a community (${pct(k.communityRecall)})`);
  }
  say('honest groups in flagged rings (flagged: 2 or more stores in one flagged ring; touched: any store):');
  for (const k of e.honestGroupKinds) {
    say(`  ${k.kind.padEnd(width)}  ${String(k.flagged).padStart(5)} of ${String(k.groups).padEnd(5)} flagged, ${k.touched} touched`);
  }
}
