/**
 * One output file of a generated market, written as NDJSON or CSV with backpressure: lines are
 * joined into chunks of ~256 kB, and once the stream's buffer is full the producer awaits
 * `drain` before making more records. Memory stays at a few chunks per file however large the
 * market.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

const CHUNK_CHARS = 256 * 1024;

export type MarketFormat = 'ndjson' | 'csv';

/** One file of records, NDJSON or CSV, with a count of what was written. */
export class RecordSink {
  /** Records written so far. */
  count = 0;
  private readonly stream: WriteStream;
  private parts: string[] = [];
  private chars = 0;
  private full = false;
  private failure: Error | undefined;

  constructor(
    readonly path: string,
    private readonly format: MarketFormat,
    /** CSV column order; `origin` objects are flattened to `origin_*` columns. */
    private readonly columns: readonly string[],
  ) {
    this.stream = createWriteStream(path, { highWaterMark: 1024 * 1024 });
    this.stream.on('error', (error) => {
      this.failure ??= error;
    });
    if (format === 'csv') this.push(`${columns.join(',')}\n`);
  }

  /** Appends one record; check `blocked` afterwards and await `drained()` when it is true. */
  write(record: Record<string, unknown>): void {
    this.count++;
    this.push(this.format === 'csv' ? csvLine(record, this.columns) : `${JSON.stringify(record)}\n`);
  }

  /** True when the stream's buffer is full and the producer should wait. */
  get blocked(): boolean {
    if (this.failure !== undefined) throw this.failure;
    return this.full;
  }

  async drained(): Promise<void> {
    if (!this.full) return;
    if (this.failure !== undefined) throw this.failure;
    // `once` rejects if the stream emits 'error' while we wait.
    await once(this.stream, 'drain');
    this.full = false;
  }

  /** Flushes what is buffered and closes the file. */
  async close(): Promise<void> {
    if (!this.stream.destroyed) {
      this.flush();
      this.stream.end();
      try {
        await once(this.stream, 'close');
      } catch {
        // The error was recorded by the 'error' listener and is thrown below.
      }
    }
    if (this.failure !== undefined) throw this.failure;
  }

  private push(text: string): void {
    this.parts.push(text);
    this.chars += text.length;
    if (this.chars >= CHUNK_CHARS) this.flush();
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    const ok = this.stream.write(this.parts.join(''));
    this.parts = [];
    this.chars = 0;
    if (!ok) this.full = true;
  }
}

function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvLine(record: Record<string, unknown>, columns: readonly string[]): string {
  const origin = record.origin as Record<string, unknown> | undefined;
  const fields = columns.map((column) =>
    column.startsWith('origin_') ? csvField(origin?.[column.slice('origin_'.length)]) : csvField(record[column]),
  );
  return `${fields.join(',')}\n`;
}
