import { Command } from 'commander';
import { COMMUNITY_DEFAULTS } from '../analysis/communities.ts';
import { PROJECTION_DEFAULTS } from '../analysis/projection.ts';
import { runDetection, type DetectionSummary } from '../analysis/runDetection.ts';
import { SCORING_DEFAULTS } from '../analysis/scoring.ts';
import { Neo4jDetectionStore } from '../graph/detectionStore.ts';
import { printJson, say, withDb } from './context.ts';
import { positiveInt, positiveNumber, riskScore } from './options.ts';

/** `ringwatch detect`: project, cluster, score, identify and write rings back. */
export function detectCommand(): Command {
  return new Command('detect')
    .description('find rings: project sellers that share identifiers, run Louvain, score and explain each ring, write rings to Neo4j')
    .option('--resolution <r>', 'Louvain resolution per unit of weight (higher: smaller rings)', positiveNumber, COMMUNITY_DEFAULTS.resolution)
    .option('--seed <n>', 'seed of Louvain\'s random order (same data and seed: same rings)', positiveInt(2 ** 31 - 1), COMMUNITY_DEFAULTS.seed)
    .option('--hub-limit <n>', 'identifiers shared by more sellers are reported as hubs, not links', positiveInt(1_000_000), PROJECTION_DEFAULTS.hubLimit)
    .option('--threshold <t>', 'risk score (0-100) from which a ring is flagged', riskScore, SCORING_DEFAULTS.threshold)
    .option('--full', 're-cluster the whole marketplace even when an incremental run is possible')
    .option('--top <n>', 'rings to list when done', positiveInt(1000), 10)
    .option('--json', 'print the run record and the top rings as JSON')
    .action(async (opts: { resolution: number; seed: number; hubLimit: number; threshold: number; full?: boolean; top: number; json?: boolean }) => {
      const summary = await withDb('cli:detect', ({ db }) =>
        runDetection(new Neo4jDetectionStore(db), {
          projection: { hubLimit: opts.hubLimit },
          communities: { resolution: opts.resolution, seed: opts.seed },
          scoring: { threshold: opts.threshold },
          full: opts.full === true,
          onPhase: opts.json ? undefined : (phase) => say(`detect: ${phase.replace(/Ms$/, '')}…`),
        }), { quiet: opts.json });
      const top = topRings(summary, opts.top);
      if (opts.json) printJson({ run: summary.run, hubs: summary.hubs.length, top, alerts: alertLines(summary) });
      else printDetection(summary, top);
    });
}

export function topRings(summary: DetectionSummary, n: number) {
  return [...summary.rings]
    .sort((a, b) => b.score.riskScore - a.score.riskScore || a.ringId.localeCompare(b.ringId))
    .slice(0, n)
    .map((r) => ({ ringId: r.ringId, riskScore: r.score.riskScore, flagged: r.score.flagged, size: r.sellerIds.length, brands: r.brands }));
}

/** The run's alerts without their evidence keys (personal data stays in the graph and the API). */
export function alertLines(summary: DetectionSummary) {
  return summary.alerts.map((a) => ({ alertId: a.alertId, kind: a.kind, ringId: a.ringId, sellerIds: a.sellerIds, evidence: a.evidence.map((e) => ({ kind: e.kind, sellerIds: e.sellerIds })) }));
}

export function printDetection(summary: DetectionSummary, top: ReturnType<typeof topRings>): void {
  const { counts, timings, modularity, mode, modeReason } = summary.run;
  if (mode === 'incremental') {
    say(`incremental run (${modeReason}): ${counts.changedSellers} changed sellers, ${counts.sellersReclustered} re-clustered; ${counts.rings} rings there (${counts.ringsWritten} rewritten, ${counts.ringsDissolved} dissolved)`);
  } else {
    say(`full run (${modeReason}): ${counts.rings} rings (${counts.flaggedRings} flagged) among ${counts.sellers} linked sellers; ${counts.hubs} hubs left out; modularity ${modularity.toFixed(3)}`);
  }
  const byKind = new Map<string, number>();
  for (const alert of summary.alerts) byKind.set(alert.kind, (byKind.get(alert.kind) ?? 0) + 1);
  say(`alerts: ${byKind.size === 0 ? 'none' : [...byKind].map(([kind, n]) => `${n} ${kind}`).join(', ')}`);
  say(`timings: ${Object.entries(timings).map(([k, v]) => `${k.replace(/Ms$/, '')} ${(v / 1000).toFixed(1)} s`).join(', ')}`);
  if (top.length > 0) say('top rings:');
  for (const ring of top) {
    say(`  ${ring.ringId}  risk ${ring.riskScore.toFixed(1).padStart(5)}  ${ring.flagged ? 'FLAGGED' : '       '}  ${String(ring.size).padStart(3)} stores  ${ring.brands.slice(0, 4).join(', ')}`);
  }
}
