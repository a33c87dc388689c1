/**
 * CSV rows, read line by line.
 *
 * Lines come from lines.ts, as for NDJSON: exact line numbers, constant memory, and a line that is
 * not UTF-8 or longer than 1 MiB rejected on its own. A line without a quote is just its
 * comma-separated fields (RFC 4180 gives such a line no other reading): most lines of a
 * marketplace export, read with a split at a fraction of a general parser's cost (reading and
 * parsing took 4.9–11.1 µs a record with csv-parse, and takes 1.8–3.9 µs so: bench/RESULTS.md). A
 * line with a quote goes to papaparse, together with the lines after it while a quoted field is
 * still open, since a quoted field may hold line breaks.
 *
 * A malformed row costs only its own first line: the row is rejected and the lines after that
 * first line are read again as rows of their own, so one stray quote never swallows the records
 * behind it.
 */
import Papa from 'papaparse';
import { type Line, MAX_LINE_BYTES, unreadable } from './lines.ts';

/** A row as read: its fields, or why its line could not be read as one. */
export type CsvRow =
  | { line: number; bytes: number; values: string[]; text: string }
  | { line: number; bytes: number; error: string; text: string };

/**
 * Lines a quoted field may span. A field that is still open after this many lines is far more
 * likely a stray quote than a value; the cap also bounds how often a long open field is parsed again.
 */
export const MAX_RECORD_LINES = 100;

interface HeldLine {
  number: number;
  text: string;
  bytes: number;
}

/** Turns the lines of a CSV file, in order, into its rows (`push` each line, then `end`). */
export class CsvRowReader {
  /** The lines of a row whose quoted field is still open. */
  private held: HeldLine[] = [];
  private heldText = '';
  private heldBytes = 0;
  private readonly parser = new Papa.Parser({ delimiter: ',', newline: '\n', quoteChar: '"' });

  /** Adds the rows `line` completes to `out`: none while a quoted field stays open, one or more otherwise. */
  push(line: Line, out: CsvRow[]): void {
    const error = unreadable(line);
    if (error !== undefined) {
      // A quoted field cannot go on across a line that cannot be read.
      while (this.held.length > 0) this.rejectFirstHeld(out, 'a quoted field is not closed');
      out.push({ line: line.number, bytes: line.bytes, error, text: '' });
      return;
    }
    this.take({ number: line.number, text: line.text!, bytes: line.bytes }, out);
  }

  /** Adds the rows left at the end of the file to `out`. */
  end(out: CsvRow[]): void {
    while (this.held.length > 0) this.rejectFirstHeld(out, 'a quoted field is not closed');
  }

  private take(line: HeldLine, out: CsvRow[]): void {
    if (this.held.length === 0) {
      if (line.text === '') return; // a blank line is not a row
      if (!line.text.includes('"')) {
        out.push({ line: line.number, bytes: line.bytes, values: line.text.split(','), text: line.text });
        return;
      }
    }
    this.held.push(line);
    this.heldText = this.held.length === 1 ? line.text : `${this.heldText}\n${line.text}`;
    this.heldBytes += line.bytes;
    // An open quoted field is closed only by a quote: a line without one just joins it.
    if (this.held.length > 1 && !line.text.includes('"') && this.withinLimits()) return;
    const { data, errors } = this.parser.parse(this.heldText, 0, false) as Papa.ParseResult<string[]>;
    if (errors.length === 0 && data.length === 1) {
      const first = this.held[0]!;
      out.push({ line: first.number, bytes: this.heldBytes, values: data[0]!, text: this.heldText });
      this.clearHeld();
      return;
    }
    const open = errors.length > 0 && errors.every((e) => e.code === 'MissingQuotes');
    if (open && this.withinLimits()) return; // the quoted field goes on in the next line
    this.rejectFirstHeld(
      out,
      open
        ? `a quoted field is not closed within ${MAX_RECORD_LINES} lines or 1 MiB`
        : (errors.find((e) => e.code !== 'MissingQuotes')?.message ?? 'not one row').toLowerCase(),
    );
  }

  private withinLimits(): boolean {
    return this.held.length < MAX_RECORD_LINES && this.heldBytes <= MAX_LINE_BYTES;
  }

  /** Rejects the first held line and reads the lines held after it again, as new rows. */
  private rejectFirstHeld(out: CsvRow[], reason: string): void {
    const [first, ...rest] = this.held;
    this.clearHeld();
    if (first === undefined) return;
    out.push({ line: first.number, bytes: first.bytes, error: `malformed CSV row (${reason})`, text: first.text });
    for (const line of rest) this.take(line, out);
  }

  private clearHeld(): void {
    this.held = [];
    this.heldText = '';
    this.heldBytes = 0;
  }
}
