import { Command, Option } from 'commander';
import { generateMarket, MARKET_PRESETS, MAX_SELLERS, type MarketPreset } from '../ingest/generate.ts';
import { printJson, say } from './context.ts';
import { nonNegativeInt, positiveInt } from './options.ts';

/** `ringwatch generate`: a synthetic marketplace with planted rings and a truth file. */
export function generateCommand(): Command {
  return new Command('generate')
    .description('write a synthetic marketplace (sellers, listings, payment accounts, addresses, shipping links) with planted rings')
    .requiredOption('--out <dir>', 'folder to write the files into')
    .option('--sellers <n>', 'number of stores', positiveInt(MAX_SELLERS), 20_000)
    .option('--rings <n>', 'counterfeit rings to plant', nonNegativeInt(), 200)
    .option('--seed <n>', 'seed: the same options give the same bytes', nonNegativeInt(2 ** 31 - 1), 1)
    .option('--truth <file>', 'write the planted rings and honest groups to this JSON file')
    .addOption(new Option('--format <format>', 'file format').choices(['ndjson', 'csv']).default('ndjson'))
    .addOption(
      new Option('--preset <preset>', 'classic: partial-sharing rings and honest look-alikes; adversarial: also chain, big, camouflaged, super-fake and sparse rings, honest franchises, outlets and families')
        .choices(MARKET_PRESETS)
        .default('classic'),
    )
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { out: string; sellers: number; rings: number; seed: number; truth?: string; format: string; preset: MarketPreset; json?: boolean }) => {
      const summary = await generateMarket({ outDir: opts.out, sellers: opts.sellers, rings: opts.rings, seed: opts.seed, truthFile: opts.truth, format: opts.format as 'ndjson' | 'csv', preset: opts.preset });
      if (opts.json) printJson(summary);
      else say(`wrote ${Object.entries(summary.files).map(([k, n]) => `${n} ${k}`).join(', ')} with ${summary.rings} planted rings (${opts.preset} preset) to ${opts.out} in ${summary.seconds.toFixed(1)} s`);
    });
}
