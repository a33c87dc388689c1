import { Command, InvalidArgumentError } from 'commander';
import { generateMarket, MAX_SELLERS } from '../ingest/generate.ts';
import { printJson, say } from './context.ts';
import { positiveInt } from './ingest.ts';

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 1_000_000) throw new InvalidArgumentError('must be a whole number from 0 to 1000000');
  return n;
}

/** `ringwatch generate`: a synthetic marketplace with planted rings and a truth file. */
export function generateCommand(): Command {
  return new Command('generate')
    .description('write a synthetic marketplace (sellers, listings, payment accounts, addresses, shipping links) with planted rings')
    .requiredOption('--out <dir>', 'folder to write the files into')
    .option('--sellers <n>', 'number of stores', positiveInt(MAX_SELLERS), 20_000)
    .option('--rings <n>', 'counterfeit rings to plant', nonNegativeInt, 200)
    .option('--seed <n>', 'seed: the same options give the same bytes', nonNegativeInt, 1)
    .option('--truth <file>', 'write the planted rings and honest groups to this JSON file')
    .option('--format <format>', 'ndjson or csv', 'ndjson')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { out: string; sellers: number; rings: number; seed: number; truth?: string; format: string; json?: boolean }) => {
      if (opts.format !== 'ndjson' && opts.format !== 'csv') throw new InvalidArgumentError('--format must be ndjson or csv');
      const summary = await generateMarket({ outDir: opts.out, sellers: opts.sellers, rings: opts.rings, seed: opts.seed, truthFile: opts.truth, format: opts.format });
      if (opts.json) printJson(summary);
      else say(`wrote ${Object.entries(summary.files).map(([k, n]) => `${n} ${k}`).join(', ')} with ${summary.rings} planted rings to ${opts.out} in ${summary.seconds.toFixed(1)} s`);
    });
}
