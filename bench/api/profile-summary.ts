/**
 * Where a CPU profile's time went: self time per function and per package (node_modules/<pkg>,
 * the project's own src/…, node internals), from a `.cpuprofile` that `bench/api/run.ts
 * --cpu-profile FILE` wrote.
 *
 *   npx tsx bench/api/profile-summary.ts FILE.cpuprofile [--top 30] [--between FROM:TO]
 *
 * `--between` keeps the samples of one phase: the window run.ts prints for it (µs of the monotonic
 * clock, which V8's profiles count in).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '30' }, between: { type: 'string' } } });
const file = positionals[0];
if (!file) throw new Error('usage: profile-summary.ts FILE.cpuprofile [--top N] [--between FROM:TO]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));

/** The package a script belongs to: node_modules/<name> (scoped names kept whole), src/<dir>, or node's own. */
function packageOf(url: string): string {
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1] as string;
  const own = /\/(src|bench)\/([^/]+)/.exec(url);
  if (own) return `${own[1]}/${own[2]}`;
  return url === '' ? '(native)' : url.startsWith('node:') ? url : '(other)';
}

const perFunction = new Map<string, number>();
const perPackage = new Map<string, number>();
const [from, to] = values.between ? values.between.split(':').map(Number) : [-Infinity, Infinity];
let total = 0;
let at = profile.startTime;
profile.samples.forEach((id, i) => {
  const node = byId.get(id);
  const micros = profile.timeDeltas[i] ?? 0;
  at += micros;
  if (!node || at < (from as number) || at > (to as number)) return;
  total += micros;
  const { functionName, url, lineNumber } = node.callFrame;
  const fn = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules|src|bench)\//, '$1/')}:${lineNumber + 1}`;
  perFunction.set(fn, (perFunction.get(fn) ?? 0) + micros);
  const pkg = packageOf(url);
  perPackage.set(pkg, (perPackage.get(pkg) ?? 0) + micros);
});

const show = (title: string, table: Map<string, number>, top: number) => {
  console.log(`\n${title}`);
  for (const [name, micros] of [...table].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((100 * micros) / total).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${name}`);
  }
};
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
show('per package (self time)', perPackage, 25);
show('per function (self time)', perFunction, Number(values.top));
