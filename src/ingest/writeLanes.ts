/**
 * Parallel, ordered batch writes (docs/ingest.md, "Loading").
 *
 * Items go to lanes by a routing key (the seller id). Each lane writes one batch at a time, in the
 * order its items arrived, and keeps up to `depth - 1` batches queued behind it, so the caller
 * goes on filling the other lanes while a lane is busy (at most lanes × (depth + 1) batches in
 * memory). A batch is prepared (turned into statement parameters) as soon as it is full, while
 * its lane is still writing the one before, so that a lane sends its next batch the moment the
 * last one commits. All of one key's items share a lane and commit in arrival order, so a later
 * record of the same seller still wins.
 *
 * The first failure (of a preparation or a write) is kept and thrown from the next `add` or from
 * `close`, never left as an unhandled rejection; the writes queued behind it are skipped.
 */

export interface WriteLanesOptions<T, P> {
  lanes: number;
  /** Batches a lane holds: the one it writes and those queued behind it. */
  depth: number;
  /** Items per batch. */
  batchSize: number;
  /** Turns a full batch into what `write` sends; started at once, awaited in the lane's turn. */
  prepare: (items: T[]) => Promise<P>;
  /** Writes one prepared batch; a lane's writes run one after another. */
  write: (prepared: P) => Promise<void>;
}

interface Lane<T> {
  batch: T[];
  /** Writes queued or running, oldest first; each settles after the one before it. */
  writes: Promise<void>[];
}

/** Writer lanes over one sequence of items; see the header. */
export class WriteLanes<T, P> {
  private readonly lanes: Lane<T>[];
  private failure: { error: unknown } | undefined;

  constructor(private readonly options: WriteLanesOptions<T, P>) {
    this.lanes = Array.from({ length: options.lanes }, () => ({ batch: [], writes: [] }));
  }

  /** Adds an item to its key's lane; when that fills a batch, waits until the lane has room for it. */
  async add(key: string, item: T): Promise<void> {
    const lane = this.lanes[laneOf(key, this.lanes.length)]!;
    lane.batch.push(item);
    if (lane.batch.length >= this.options.batchSize) await this.flush(lane);
  }

  /** Sends what is left, waits for every write, and throws the first failure if there was one. */
  async close(): Promise<void> {
    try {
      for (const lane of this.lanes) await this.flush(lane);
    } finally {
      await this.settled();
    }
    this.throwIfFailed();
  }

  /** Waits for every write sent so far (they never reject: failures are kept). */
  async settled(): Promise<void> {
    await Promise.all(this.lanes.flatMap((lane) => lane.writes));
  }

  private async flush(lane: Lane<T>): Promise<void> {
    if (lane.batch.length === 0) return;
    const items = lane.batch;
    lane.batch = [];
    while (lane.writes.length >= this.options.depth) await lane.writes[0];
    this.throwIfFailed();
    const previous = lane.writes.at(-1);
    const prepared = this.options.prepare(items);
    prepared.catch(() => {}); // awaited in the lane's turn; its failure is kept there
    lane.writes.push(this.writeInTurn(lane, previous, prepared));
  }

  private async writeInTurn(lane: Lane<T>, previous: Promise<void> | undefined, prepared: Promise<P>): Promise<void> {
    try {
      await previous;
      // Settled in the lane's turn even after a failure, so that a preparation never does its
      // work (e.g. writing rejects) after the load has ended.
      const batch = await prepared;
      if (this.failure === undefined) await this.options.write(batch);
    } catch (error: unknown) {
      this.failure ??= { error };
    } finally {
      lane.writes.shift(); // writes of a lane settle in order: this is the oldest
    }
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure.error;
  }
}

/** A stable lane for a key (FNV-1a), so that all of one key's items share a lane. */
function laneOf(key: string, lanes: number): number {
  if (lanes === 1) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % lanes;
}
