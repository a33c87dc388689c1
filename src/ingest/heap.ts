import { setFlagsFromString } from 'node:v8';

/**
 * Runs a streaming load with a heap that grows at most twice its live size between collections.
 *
 * A load keeps little alive (about 40 MB: code, metadata and the batches in flight), but it makes
 * garbage fast, and by default V8 lets the old generation grow to several times the live heap
 * before it collects: `ringwatch ingest` of a 100k-seller market peaked at 280–310 MB RSS for a
 * 200 MB heap that was mostly garbage. With V8's growing factor held at 2 for the load's duration
 * the same load peaked at 203 MB, with no measurable cost in CPU (bench/RESULTS.md). The flag is
 * read afresh at each collection, so it takes effect at once; 0, its default, gives V8's own
 * factor back for what the process does after the load (detection wants a roomy heap). Lowering
 * the heap limit instead (`--max-old-space-size`) cannot be done once the process runs, and it
 * also shrinks the young generation: 30 % more CPU in the same measurement.
 */
export async function withCompactHeap<T>(work: () => Promise<T>): Promise<T> {
  setFlagsFromString('--heap-growing-percent=100');
  try {
    return await work();
  } finally {
    setFlagsFromString('--heap-growing-percent=0');
  }
}
