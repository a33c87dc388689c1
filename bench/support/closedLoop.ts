/**
 * The closed loop the API benchmarks drive their phases with: `connections` workers each send one
 * request after the other until `seconds` or `maxRequests` runs out, and the latencies of all of
 * them give p50, p99 and throughput. The same loop drives the API and its peer in one run, so
 * their numbers compare.
 */
export interface LoadOptions {
  seconds: number;
  connections: number;
  maxRequests: number;
}

export interface Stats {
  requests: number;
  errors: number;
  p50: number;
  p99: number;
  perSecond: number;
}

/** Runs `work(i)` for i = 0, 1, 2, … in a closed loop; `work` answers whether the request succeeded. */
export async function closedLoop({ seconds, connections, maxRequests }: LoadOptions, work: (i: number) => Promise<boolean>): Promise<Stats> {
  const latencies: number[] = [];
  let errors = 0;
  let issued = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline && issued < maxRequests) {
        const i = issued++;
        const t0 = performance.now();
        const ok = await work(i).catch(() => false);
        latencies.push(performance.now() - t0);
        if (!ok) errors += 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { requests: latencies.length, errors, p50: at(0.5), p99: at(0.99), perSecond: latencies.length / elapsed };
}

export const formatStats = (s: Stats): string => `${s.requests} req (${s.errors} errors), ${s.perSecond.toFixed(0)} req/s, p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms`;
