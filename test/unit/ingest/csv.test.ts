import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CsvRow, CsvRowReader, MAX_RECORD_LINES } from '../../../src/ingest/csv.ts';
import type { Line } from '../../../src/ingest/lines.ts';
import { type RawRecord, readRecords } from '../../../src/ingest/sources.ts';

/** The rows of `lines` (line 1 first), each as `line: fields` or `line! error`. */
function rowsOf(lines: (string | Partial<Line>)[]): string[] {
  const reader = new CsvRowReader();
  const out: CsvRow[] = [];
  lines.forEach((line, i) => {
    const given = typeof line === 'string' ? { text: line } : line;
    reader.push({ number: i + 1, text: undefined, bytes: 10, tooLong: false, ...given }, out);
  });
  reader.end(out);
  return out.map((row) => ('error' in row ? `${row.line}! ${row.error}` : `${row.line}: ${JSON.stringify(row.values)}`));
}

describe('CsvRowReader', () => {
  it('reads plain, quoted and escaped fields with their line numbers', () => {
    expect(rowsOf(['a,b,c', '', 'x, y ,', '"1, Main St","say ""hi""",z', '"",""'])).toEqual([
      '1: ["a","b","c"]',
      '3: ["x"," y ",""]',
      '4: ["1, Main St","say \\"hi\\"","z"]',
      '5: ["",""]',
    ]);
  });

  it('keeps a quote inside an unquoted field as text', () => {
    expect(rowsOf(['Screen 15" laptop,2'])).toEqual(['1: ["Screen 15\\" laptop","2"]']);
  });

  it('joins the lines of a quoted field that holds line breaks, and numbers the next row right', () => {
    expect(rowsOf(['S1,"Room 12', '', '88 Nathan Rd",HK', 'S2,x,HK'])).toEqual(['1: ["S1","Room 12\\n\\n88 Nathan Rd","HK"]', '4: ["S2","x","HK"]']);
  });

  it('rejects only the first line of a malformed row and reads the lines after it again', () => {
    expect(rowsOf(['a,"b"x,c', 'd,e,f'])).toEqual(['1! malformed CSV row (trailing quote on quoted field is malformed)', '2: ["d","e","f"]']);
    // An open quote at the end of the file: its line is rejected, the lines it held are rows.
    expect(rowsOf(['ok,1', 'bad,"never closed', 'next,2', 'last,3'])).toEqual([
      '1: ["ok","1"]',
      '2! malformed CSV row (a quoted field is not closed)',
      '3: ["next","2"]',
      '4: ["last","3"]',
    ]);
  });

  it(`gives up on a quoted field still open after ${MAX_RECORD_LINES} lines`, () => {
    const lines = ['a,"open', ...Array.from({ length: MAX_RECORD_LINES + 5 }, (_, i) => `r${i},x`)];
    const rows = rowsOf(lines);
    expect(rows[0]).toBe(`1! malformed CSV row (a quoted field is not closed within ${MAX_RECORD_LINES} lines or 1 MiB)`);
    expect(rows).toHaveLength(lines.length);
    expect(rows.at(-1)).toBe(`${lines.length}: ["r${MAX_RECORD_LINES + 4}","x"]`);
  });

  it('rejects an unreadable or over-long line on its own, closing any open field before it', () => {
    expect(rowsOf(['a,"open', { text: undefined }, { tooLong: true }, 'b,c'])).toEqual([
      '1! malformed CSV row (a quoted field is not closed)',
      '2! line is not valid UTF-8',
      '3! line is longer than 1 MiB',
      '4: ["b","c"]',
    ]);
  });
});

describe('readRecords on CSV files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ringwatch-csv-'));
  const read = async (content: string | Buffer): Promise<RawRecord[]> => {
    const path = join(dir, 'sellers.csv');
    writeFileSync(path, content);
    const out: RawRecord[] = [];
    for await (const record of readRecords({ kind: 'sellers', path, format: 'csv', bytes: 0 })) out.push(record);
    return out;
  };
  const summary = (records: RawRecord[]) => records.map((r) => ('error' in r ? `${r.line}! ${r.error}` : `${r.line}: ${JSON.stringify(r.value)}`));

  it('names fields by the header, trimmed and without a byte-order mark, with CRLF line ends', async () => {
    expect(summary(await read('\uFEFFseller_id , store_name\r\nS1,Shop One\r\nS2,"Shop, Two"\r\n'))).toEqual([
      '2: {"seller_id":"S1","store_name":"Shop One"}',
      '3: {"seller_id":"S2","store_name":"Shop, Two"}',
    ]);
  });

  it('reads a file with classic Mac line ends (a lone CR, Excel\'s "CSV (Macintosh)") line by line', async () => {
    expect(summary(await read('seller_id,store_name\rS1,Shop One\rS2,"Room 5\r88 Nathan Rd"\rS3,x,extra\r'))).toEqual([
      '2: {"seller_id":"S1","store_name":"Shop One"}',
      '3: {"seller_id":"S2","store_name":"Room 5\\n88 Nathan Rd"}',
      '5! malformed CSV row (3 fields, the header names 2)',
    ]);
  });

  it('rejects a row with the wrong number of fields, a truncated last row and an over-long line, and keeps the rest', async () => {
    const records = await read(`seller_id,store_name\nS1,One\nS2\nS3,${'x'.repeat(2 * 1024 * 1024)}\nS4,Four\nS5,"Trunc`);
    expect(summary(records)).toEqual([
      '2: {"seller_id":"S1","store_name":"One"}',
      '3! malformed CSV row (1 fields, the header names 2)',
      '4! line is longer than 1 MiB',
      '5: {"seller_id":"S4","store_name":"Four"}',
      '6! malformed CSV row (a quoted field is not closed)',
    ]);
  });

  it('keeps the first 500 characters of a rejected row as its record', async () => {
    const records = await read(`seller_id,store_name\nS1,"${'y'.repeat(2000)}"x\nS2,${'z'.repeat(2000)},extra\n`);
    expect(records.map((r) => ('error' in r ? r.text.length : -1))).toEqual([500, 500]);
    expect(records[0]!.text.startsWith('S1,"yyy')).toBe(true);
  });

  it('rejects rows that are not UTF-8, and every row of a file whose header cannot be read', async () => {
    const latin1 = Buffer.concat([Buffer.from('seller_id,store_name\nS1,Stra'), Buffer.from([0xdf, 0x65]), Buffer.from('\nS2,ok\n')]);
    expect(summary(await read(latin1))).toEqual(['2! line is not valid UTF-8', '3: {"seller_id":"S2","store_name":"ok"}']);
    const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37 + 11) % 256));
    const records = await read(binary);
    expect(records.length).toBeGreaterThan(1);
    expect(records.every((r) => 'error' in r)).toBe(true);
    expect(summary(records)[0]).toBe('1! line is not valid UTF-8');
    const badHeader = Buffer.concat([Buffer.from([0xff, 0x2c, 0x41]), Buffer.from('\nS1,ok\n')]);
    expect(summary(await read(badHeader))).toEqual(['1! line is not valid UTF-8', '2! the header row (line 1) cannot be read: line is not valid UTF-8']);
  });
});
