import { Command } from 'commander';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { Neo4jDetectionStore } from '../graph/detectionStore.ts';
import { printJson, say, withDb } from './context.ts';

/** `ringwatch rings export`: one ring a line, in the shape docs/detection.md "Evaluation" gives. */
export function ringsCommand(): Command {
  const rings = new Command('rings').description('the rings of the last detection');
  rings
    .command('export')
    .description('write every ring of two or more sellers, one JSON line each: {ring_id, seller_ids, flagged, risk_score, brands, factors}')
    .requiredOption('--out <file>', 'where to write (- for stdout)')
    .option('--flagged-only', 'only flagged rings')
    .option('--json', 'print a summary as JSON')
    .action(async (opts: { out: string; flaggedOnly?: boolean; json?: boolean }) => {
      const found = await withDb('cli:rings-export', ({ db }) => new Neo4jDetectionStore(db).exportRings(Boolean(opts.flaggedOnly)), { quiet: true });
      const out = opts.out === '-' ? process.stdout : createWriteStream(opts.out);
      for (const ring of found) {
        out.write(`${JSON.stringify({ ring_id: ring.ringId, seller_ids: ring.sellerIds, flagged: ring.flagged, risk_score: ring.riskScore, brands: ring.brands, factors: ring.factors })}\n`);
      }
      if (out !== process.stdout) {
        out.end();
        await finished(out);
      }
      const summary = { rings: found.length, flagged: found.filter((r) => r.flagged).length, out: opts.out };
      if (opts.json) printJson(summary);
      else if (opts.out !== '-') say(`wrote ${summary.rings} rings (${summary.flagged} flagged) to ${opts.out}`);
    });
  return rings;
}
