import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RingwatchError } from '../errors.ts';
import { type CsvRow, CsvRowReader } from './csv.ts';
import { readLines, unreadable } from './lines.ts';
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
    const error = unreadable(line);
    if (error !== undefined) {
      yield { line: line.number, bytes: line.bytes, error, text: '' };
      continue;
    }
    const text = line.text!; // readable: unreadable() said so
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

/**
 * The records of a CSV file: its first row names the columns (trimmed, any byte-order mark
 * dropped), every later row is one record of those columns.
 */
async function* readCsv(file: InputFile): AsyncGenerator<RawRecord> {
  const reader = new CsvRowReader();
  const rows: CsvRow[] = [];
  let header: string[] | undefined;
  let headerError: string | undefined;
  function* records(): Generator<RawRecord> {
    for (const row of rows) {
      if ('error' in row) {
        if (header === undefined && headerError === undefined) headerError = `the header row (line ${row.line}) cannot be read: ${row.error}`;
        yield { line: row.line, bytes: row.bytes, error: row.error, text: row.text.slice(0, SNIPPET) };
      } else if (header === undefined && headerError === undefined) {
        header = row.values.map((name) => name.trim());
      } else if (header === undefined) {
        yield { line: row.line, bytes: row.bytes, error: headerError!, text: row.text.slice(0, SNIPPET) };
      } else if (row.values.length !== header.length) {
        yield { line: row.line, bytes: row.bytes, error: `malformed CSV row (${row.values.length} fields, the header names ${header.length})`, text: row.text.slice(0, SNIPPET) };
      } else {
        yield { line: row.line, bytes: row.bytes, value: fromCsvRow(file.kind, csvObject(header, row.values)), text: row.text.slice(0, SNIPPET) };
      }
    }
    rows.length = 0;
  }
  for await (const line of readLines(file.path)) {
    reader.push(line, rows);
    yield* records();
  }
  reader.end(rows);
  yield* records();
}

function csvObject(header: readonly string[], values: readonly string[]): Record<string, string> {
  const row: Record<string, string> = {};
  for (let i = 0; i < header.length; i++) row[header[i]!] = values[i]!;
  return row;
}
