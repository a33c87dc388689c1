import { createReadStream, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { RingwatchError } from '../errors.ts';
import { readLines } from './lines.ts';
import { RECORD_KINDS, type RecordKind, fromCsvRow } from './records.ts';

export interface InputFile {
  kind: RecordKind;
  path: string;
  format: 'ndjson' | 'csv';
  bytes: number;
}

/** A record as read: its value, or why it could not even be read as one. */
export type RawRecord =
  | { line: number; bytes: number; value: unknown; text: string }
  | { line: number; bytes: number; error: string; text: string };

/**
 * The input files of a directory, sellers first: shipping phones written without a country code
 * are read with their seller's country, so sellers that arrive in the same load should be there
 * first. Any subset of the five kinds is fine; both formats of one kind are both loaded.
 */
export function findInputFiles(dir: string): InputFile[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new RingwatchError('INPUT_INVALID', `${dir} is not a directory`);
  }
  const files: InputFile[] = [];
  for (const kind of RECORD_KINDS) {
    for (const format of ['ndjson', 'csv'] as const) {
      const path = join(dir, `${kind}.${format}`);
      if (existsSync(path) && statSync(path).isFile()) files.push({ kind, path, format, bytes: statSync(path).size });
    }
  }
  if (files.length === 0) {
    throw new RingwatchError(
      'INPUT_INVALID',
      `${dir} holds none of ${RECORD_KINDS.map((k) => `${k}.ndjson`).join(', ')} (or .csv)`,
    );
  }
  return files;
}

/** Reads the records of one file, streamed. */
export function readRecords(file: InputFile): AsyncGenerator<RawRecord> {
  return file.format === 'ndjson' ? readNdjson(file.path) : readCsv(file);
}

const SNIPPET = 500;

async function* readNdjson(path: string): AsyncGenerator<RawRecord> {
  for await (const line of readLines(path)) {
    if (line.tooLong) {
      yield { line: line.number, bytes: line.bytes, error: 'line is longer than 1 MiB', text: '' };
      continue;
    }
    if (line.text === undefined) {
      yield { line: line.number, bytes: line.bytes, error: 'line is not valid UTF-8', text: '' };
      continue;
    }
    const text = line.text;
    if (text.trim() === '') continue; // blank lines (a trailing newline) are not records
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      yield { line: line.number, bytes: line.bytes, error: `not valid JSON (${(error as Error).message}); a truncated line?`, text: text.slice(0, SNIPPET) };
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      yield { line: line.number, bytes: line.bytes, error: 'a record must be a JSON object', text: text.slice(0, SNIPPET) };
      continue;
    }
    yield { line: line.number, bytes: line.bytes, value, text: text.slice(0, SNIPPET) };
  }
}

/** A CSV row as read. Its text, needed only if it is rejected, is put together only then. */
class CsvRecord {
  constructor(
    readonly line: number,
    readonly bytes: number,
    readonly value: unknown,
    private readonly values: string[],
  ) {}

  get text(): string {
    return this.values.join(',').slice(0, SNIPPET);
  }
}

async function* readCsv(file: InputFile): AsyncGenerator<RawRecord> {
  const skipped: RawRecord[] = [];
  const parser = createReadStream(file.path).pipe(
    parse({
      columns: (header: string[]) => header.map((name) => name.trim().replace(/^\uFEFF/, '')),
      bom: true,
      info: true,
      trim: false,
      skip_empty_lines: true,
      max_record_size: 1024 * 1024,
      // A bad row (wrong column count, a stray quote) is a reject, not the end of the file.
      skip_records_with_error: true,
      on_skip: (error: { message: string; lines?: number } | undefined) => {
        if (error) skipped.push({ line: error.lines ?? 0, bytes: 0, error: `malformed CSV row (${error.message})`, text: '' });
      },
    }),
  );
  let lastBytes = 0;
  for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number; bytes: number } }>) {
    while (skipped.length > 0) yield skipped.shift()!;
    const bytes = info.bytes - lastBytes;
    lastBytes = info.bytes;
    const values = Object.values(record);
    if (values.some((v) => v.includes('\uFFFD'))) {
      yield { line: info.lines, bytes, error: 'row is not valid UTF-8', text: '' };
      continue;
    }
    yield new CsvRecord(info.lines, bytes, fromCsvRow(file.kind, record), values);
  }
  while (skipped.length > 0) yield skipped.shift()!;
}
