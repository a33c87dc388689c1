import { Command } from 'commander';
import cliProgress from 'cli-progress';
import { join, resolve } from 'node:path';
import { DEFAULT_BATCH_SIZE, ingestDirectory, type IngestSummary } from '../ingest/load.ts';
import { findInputFiles } from '../ingest/sources.ts';
import { printJson, say, withDb } from './context.ts';
import { positiveInt } from './options.ts';

/** `ringwatch ingest DIR`: load marketplace files into Neo4j. */
export function ingestCommand(): Command {
  return new Command('ingest')
    .description('load sellers, listings, payment_accounts, addresses and shipping_links (.ndjson or .csv) from DIR into Neo4j')
    .argument('<dir>', 'folder holding the files')
    .option('--batch-size <n>', 'records per write transaction', positiveInt(100_000), DEFAULT_BATCH_SIZE)
    .option('--rejects <file>', 'where rejected records go (default: DIR/rejects.ndjson)')
    .option('--json', 'print the summary as JSON')
    .action(async (dir: string, opts: { batchSize: number; rejects?: string; json?: boolean }) => {
      findInputFiles(dir); // a wrong folder is said before Neo4j is started
      const rejectsFile = resolve(opts.rejects ?? join(dir, 'rejects.ndjson'));
      const summary = await withDb('cli:ingest', async ({ db, logger }) => {
        const bar = process.stderr.isTTY && !opts.json
          ? new cliProgress.SingleBar(
              { format: 'ingest {kind} |{bar}| {percentage}% | {records} records | {rate} rec/s | ETA {eta_formatted}', stream: process.stderr },
              cliProgress.Presets.shades_classic,
            )
          : undefined;
        const started = performance.now();
        bar?.start(100, 0, { kind: '', records: 0, rate: 0 });
        try {
          return await ingestDirectory(db, dir, {
            batchSize: opts.batchSize,
            rejectsFile,
            logger,
            onProgress: (p) => {
              const rate = Math.round(p.records / ((performance.now() - started) / 1000));
              bar?.update(Math.floor((100 * p.bytesDone) / Math.max(1, p.bytesTotal)), { kind: p.kind, records: p.records, rate });
            },
          });
        } finally {
          bar?.stop();
        }
      }, { quiet: opts.json });
      if (opts.json) printJson(summary);
      else printSummary(summary);
    });
}

function printSummary(summary: IngestSummary): void {
  let rejected = 0;
  for (const [kind, counts] of Object.entries(summary.files)) {
    say(`${kind.padEnd(17)} read ${counts.read}, loaded ${counts.loaded}, rejected ${counts.rejected}`);
    rejected += counts.rejected;
  }
  say(`done in ${summary.seconds} s${rejected > 0 ? `; ${rejected} rejects with reasons in ${summary.rejectsFile}` : ''}`);
}
