/**
 * The rejects file of a load: one JSON line per record that was not loaded, with its file, line
 * number and reason (docs/ingest.md, "Rejects").
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { finished } from 'node:stream/promises';

export interface Reject {
  file: string;
  line: number;
  reason: string;
  record: string;
}

/** The rejects file, written as a stream with backpressure. */
export class RejectsFile {
  private constructor(private readonly stream: WriteStream) {}

  /** Creates (or empties) the file, and the folder it goes in. */
  static async open(path: string): Promise<RejectsFile> {
    await mkdir(dirname(path), { recursive: true });
    return new RejectsFile(createWriteStream(path, { flags: 'w' }));
  }

  /** Appends one reject; waits while the stream's buffer is full. */
  async add(reject: Reject): Promise<void> {
    if (!this.stream.write(`${JSON.stringify(reject)}\n`)) await new Promise<void>((resolve) => this.stream.once('drain', () => resolve()));
  }

  /** Ends the file once everything written is flushed. */
  async close(): Promise<void> {
    this.stream.end();
    await finished(this.stream);
  }
}
