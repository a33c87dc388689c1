import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { evaluateDetection, type Evaluation } from '../analysis/evaluate.ts';
import type { MarketTruth } from '../analysis/marketTruth.ts';
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

/** `ringwatch eval --truth FILE`: how the last detection's rings compare with the planted ones. */
export function evalCommand(): Command {
  return new Command('eval')
    .description('compare the rings of the last detection with a truth file from `ringwatch generate`')
    .requiredOption('--truth <file>', 'truth file written by `ringwatch generate --truth`')
    .option('--all-rings', 'evaluate every ring, not only flagged ones')
    .option('--json', 'print the evaluation as JSON')
    .action(async (opts: { truth: string; allRings?: boolean; json?: boolean }) => {
      const truth = readTruth(opts.truth);
      const found = await withDb('cli:eval', ({ db }) => new Neo4jDetectionStore(db).exportRings(false), { quiet: true });
      const evaluation = evaluateDetection(found, truth, { flaggedOnly: !opts.allRings });
      if (opts.json) printJson(evaluation);
      else printEvaluation(evaluation);
    });
}

export function printEvaluation(e: Evaluation): void {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  say(`rings:   precision ${pct(e.ringPrecision)}, recall ${pct(e.ringRecall)}, F1 ${pct(e.ringF1)} (${e.matchedRings} of ${e.plantedRings} planted rings found; ${e.foundRings} found)`);
  say(`sellers: precision ${pct(e.sellerPrecision)}, recall ${pct(e.sellerRecall)}`);
  say(`honest multi-store owners flagged: ${e.honestMultiStoreOwnersFlagged} of ${e.honestMultiStoreOwners}; bridged ring pairs kept apart: ${e.bridgedPairsSeparated} of ${e.bridgedPairs} (${pct(e.bridgedSeparatedShare)})`);
}
