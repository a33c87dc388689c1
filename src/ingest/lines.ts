import { createReadStream } from 'node:fs';

export interface Line {
  /** 1-based line number in the file. */
  number: number;
  /** The decoded text, without its line ending; undefined when the bytes are not valid UTF-8. */
  text: string | undefined;
  /** Bytes of the line including its line ending, for progress. */
  bytes: number;
  /** The line was longer than the limit; its text is cut and it must be rejected. */
  tooLong: boolean;
}

/** Longest line read whole; a longer one is rejected without holding it in memory. */
export const MAX_LINE_BYTES = 1024 * 1024;

/** Why a line cannot be read at all (too long, not UTF-8), the same reason whatever the format; undefined when it can. */
export function unreadable(line: Line): string | undefined {
  if (line.tooLong) return 'line is longer than 1 MiB';
  if (line.text === undefined) return 'line is not valid UTF-8';
  return undefined;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * What ends a line: `\n` (with or without a `\r` before it), or a lone `\r` for files written
 * with classic Mac line ends (Excel's "CSV (Macintosh)"), which would otherwise read as one long
 * line. Told from the file's first chunk.
 */
function lineEnd(firstChunk: Buffer): number {
  return firstChunk.includes(NEWLINE) || !firstChunk.includes(CARRIAGE_RETURN) ? NEWLINE : CARRIAGE_RETURN;
}

/**
 * Reads a file line by line in constant memory, keeping line numbers and refusing to decode bytes
 * that are not UTF-8 (a binary or Latin-1 file gives rejects, not mojibake in the graph). A line
 * over MAX_LINE_BYTES is skipped to its end and reported as too long.
 */
export async function* readLines(path: string): AsyncGenerator<Line> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let skipping = false;
  let number = 0;

  const emit = (chunks: Buffer[], bytes: number, ending: number, tooLong: boolean): Line => {
    number += 1;
    if (tooLong) return { number, text: undefined, bytes: bytes + ending, tooLong };
    let buffer = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, bytes);
    if (buffer.length > 0 && buffer[buffer.length - 1] === CARRIAGE_RETURN) buffer = buffer.subarray(0, buffer.length - 1);
    let text: string | undefined;
    try {
      text = decoder.decode(buffer);
    } catch {
      text = undefined;
    }
    if (number === 1 && text?.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { number, text, bytes: bytes + ending, tooLong };
  };

  let separator: number | undefined; // the byte that ends a line in this file (lineEnd)
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    separator ??= lineEnd(chunk);
    let start = 0;
    while (start < chunk.length) {
      const end = chunk.indexOf(separator, start);
      const piece = chunk.subarray(start, end === -1 ? chunk.length : end);
      if (!skipping) {
        if (pendingBytes + piece.length > MAX_LINE_BYTES) {
          skipping = true;
          pending = [];
        } else {
          pending.push(piece);
        }
      }
      pendingBytes += piece.length;
      if (end === -1) break;
      yield emit(pending, pendingBytes, 1, skipping);
      pending = [];
      pendingBytes = 0;
      skipping = false;
      start = end + 1;
    }
  }
  if (pendingBytes > 0 || skipping) yield emit(pending, pendingBytes, 0, skipping);
}
