import Papa from 'papaparse';
import { DataError, type DataWarning } from './errors';
import {
  decimalEvidence,
  detectDateOrder,
  isMissing,
  parseDate,
  parseNumber,
  type DecimalMark,
} from './values';
import {
  guessCloseColumn,
  pickDateColumn,
  type Column,
  type ColumnKind,
  type Table,
} from './table';
import {
  FloatColumnBuffer,
  looksBinary,
  sniffDelimiter,
  sortByDate,
  uniqueNames,
  type ColumnPlan,
} from './csvParts';

export { sniffDelimiter } from './csvParts';

/**
 * CSV text → Table, streaming. Text arrives in chunks of any size; complete lines are handed
 * to papaparse, the first rows decide the delimiter, decimal mark and column kinds, and every
 * later row is parsed straight into typed arrays, so a million-row file never exists as one
 * string or as millions of small arrays.
 */

const SAMPLE_ROWS = 500;
const SNIFF_CHARS = 64 * 1024;

export interface CsvProgress {
  /** Characters consumed so far. */
  chars: number;
  rows: number;
}

export class CsvTableBuilder {
  private pending = '';
  private sniffed = false;
  private quoted = false;
  private scanFrom = 0;
  private delimiter = ',';
  private header: string[] | null = null;
  private expectedFields = 0;
  private headerFields = 0;
  private sample: string[][] = [];
  private plans: ColumnPlan[] | null = null;
  private decimalMark: DecimalMark = 'dot';
  private renamed: boolean[] = [];
  private rowCount = 0;
  /** 1-based line of the next row to arrive (header is line 1). */
  private line = 1;
  private shortRows = 0;
  private fullRows = 0;
  private firstShortLine = 0;
  private chars = 0;
  private readonly warnings: DataWarning[] = [];
  private ended = false;

  constructor(private readonly onProgress?: (p: CsvProgress) => void) {}

  /** Feeds the next piece of text; complete lines are parsed at once. */
  push(chunk: string): void {
    if (this.ended) throw new Error('push after end');
    if (this.chars === 0 && chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    this.chars += chunk.length;
    this.pending += chunk;
    if (!this.sniffed) {
      if (this.pending.length < SNIFF_CHARS) return;
      this.sniff();
    }
    this.flushCompleteLines();
    this.onProgress?.({ chars: this.chars, rows: this.rowCount });
  }

  /** Ends the input and returns the table, or throws a DataError that says what is wrong. */
  end(): Table {
    this.ended = true;
    if (!this.sniffed) this.sniff();
    if (this.pending.length > 0) {
      this.parseSegment(this.pending);
      this.pending = '';
    }
    if (this.header === null) throw new DataError('empty', 'The file is empty.');
    if (!this.plans) this.decide();
    if (this.rowCount === 0) {
      throw new DataError('headerOnly', 'The file has a header row but no data rows.');
    }
    return this.finish();
  }

  private sniff(): void {
    this.sniffed = true;
    if (this.pending.trim() === '') return;
    if (looksBinary(this.pending)) {
      throw new DataError(
        'binary',
        'This file is not text (it looks like a spreadsheet or another binary file): save it as CSV and try again.',
      );
    }
    this.delimiter = sniffDelimiter(this.pending.slice(0, SNIFF_CHARS));
  }

  /** Parses everything up to the last newline that is not inside quotes. */
  private flushCompleteLines(): void {
    let cut = -1;
    const text = this.pending;
    for (let k = this.scanFrom; k < text.length; k++) {
      const ch = text.charCodeAt(k);
      if (ch === 34 /* " */) this.quoted = !this.quoted;
      else if (ch === 10 /* \n */ && !this.quoted) cut = k;
    }
    this.scanFrom = text.length;
    if (cut < 0) return;
    this.parseSegment(text.slice(0, cut + 1));
    this.pending = text.slice(cut + 1);
    this.scanFrom = this.pending.length;
    // Quote state carries over: the cut was made outside quotes, so the rest starts afresh
    // and is rescanned from its own start.
    this.quoted = false;
    for (let k = 0; k < this.pending.length; k++) {
      if (this.pending.charCodeAt(k) === 34) this.quoted = !this.quoted;
    }
  }

  private parseSegment(segment: string): void {
    // A trailing newline would make papaparse emit an empty last row and skew line numbers.
    if (segment.endsWith('\n')) segment = segment.slice(0, segment.endsWith('\r\n') ? -2 : -1);
    if (segment === '') {
      this.line++;
      return;
    }
    const result = Papa.parse<string[]>(segment, {
      delimiter: this.delimiter,
      skipEmptyLines: false,
    });
    for (const row of result.data) this.acceptRow(row);
  }

  private acceptRow(row: string[]): void {
    const line = this.line++;
    if (row.length === 1 && row[0].trim() === '') return; // blank line
    if (row.every((c) => c.trim() === '')) return;
    if (this.header === null) {
      this.header = row;
      this.headerFields = row.length;
      return;
    }
    if (this.expectedFields === 0) this.fixHeader(row.length, line);
    if (row.length < this.expectedFields) {
      // A short row (Stooq's first day has no volume): its missing trailing cells are missing
      // values, counted and reported, not a broken table.
      if (this.shortRows === 0) this.firstShortLine = line;
      this.shortRows++;
      row = [...row, ...Array<string>(this.expectedFields - row.length).fill('')];
    } else if (row.length === this.expectedFields) {
      this.fullRows++;
    } else if (row.length > this.expectedFields) {
      // Only the header set the width while no full-width data row has been read.
      const first = this.fullRows === 0;
      throw new DataError(
        first ? 'inconsistentHeader' : 'inconsistentFields',
        `Line ${line} has ${row.length} fields but ${first ? 'the header has' : 'the header and the rows before it have'} ${this.expectedFields}: the file is not a consistent table.`,
        { line, got: row.length, expected: this.expectedFields },
      );
    }
    this.rowCount++;
    if (this.plans) this.store(row, line);
    else {
      this.sample.push(row);
      if (this.sample.length >= SAMPLE_ROWS) this.decide();
    }
  }

  /** The header may be shorter than the data (R's row names, or unnamed trailing columns). */
  private fixHeader(dataFields: number, line: number): void {
    const header = this.header!;
    this.expectedFields = dataFields;
    if (dataFields === header.length) return;
    if (dataFields < header.length) {
      // Rows are read against the header; this short one is padded (see acceptRow).
      this.expectedFields = header.length;
      void line;
      return;
    }
    const extra = dataFields - header.length;
    // One missing name in front is R's row-name column; otherwise name the tail columns.
    this.header =
      extra === 1 && header[0].trim() !== ''
        ? ['', ...header]
        : [...header, ...Array<string>(extra).fill('')];
    this.warnings.push({
      code: 'paddedHeader',
      message: `The header names ${this.headerFields} columns but rows have ${dataFields}; the unnamed ones were given names.`,
      params: { header: this.headerFields, fields: dataFields },
    });
  }

  /** Decides decimal mark and each column's kind from the sampled rows, then stores them. */
  private decide(): void {
    const header = this.header ?? [];
    const { names, renamed } = uniqueNames(header);
    this.renamed = renamed;
    const sample = this.sample;
    if (this.delimiter !== ',') {
      let comma = 0;
      let dot = 0;
      for (const row of sample) {
        for (const cell of row) {
          const e = decimalEvidence(cell);
          if (e === 'comma') comma++;
          else if (e === 'dot') dot++;
        }
      }
      this.decimalMark = comma > dot ? 'comma' : 'dot';
    }
    this.plans = names.map((name, k) => {
      const cells = sample.map((r) => r[k]).filter((c) => !isMissing(c));
      const dateOrder = detectDateOrder(cells);
      const dates = cells.filter((c) => parseDate(c, dateOrder) !== null).length;
      const nums = cells.filter((c) => !Number.isNaN(parseNumber(c, this.decimalMark))).length;
      let kind: ColumnKind = 'text';
      if (cells.length > 0 && dates >= cells.length * 0.9) kind = 'date';
      else if (cells.length > 0 && nums >= cells.length * 0.9) kind = 'number';
      else if (cells.length === 0) kind = 'number'; // an all-empty column: numbers, all missing
      return {
        name,
        kind,
        dateOrder,
        numbers: new FloatColumnBuffer(),
        texts: [],
        missing: 0,
        unparsable: 0,
        hasTime: false,
      };
    });
    const firstLine = 2;
    sample.forEach((row, j) => this.store(row, firstLine + j));
    this.sample = [];
  }

  private store(row: string[], line: number): void {
    const plans = this.plans!;
    for (let k = 0; k < plans.length; k++) {
      const p = plans[k];
      const cell = row[k];
      if (p.kind === 'text') {
        if (isMissing(cell)) {
          p.missing++;
          p.texts.push(null);
        } else p.texts.push(cell.trim());
        continue;
      }
      let v = NaN;
      if (!isMissing(cell)) {
        if (p.kind === 'number') v = parseNumber(cell, this.decimalMark);
        else {
          const d = parseDate(cell, p.dateOrder);
          if (d) {
            v = d.ms;
            p.hasTime ||= d.hasTime;
          }
        }
        if (Number.isNaN(v)) {
          p.unparsable++;
          p.firstBad ??= { line, text: cell };
        }
      }
      if (Number.isNaN(v)) p.missing++;
      p.numbers.push(v);
    }
  }

  private finish(): Table {
    const plans = this.plans!;
    let columns: Column[] = plans.map((p): Column => {
      if (p.kind === 'text')
        return { name: p.name, kind: 'text', values: p.texts, missing: p.missing, unparsable: 0 };
      const values = p.numbers.finish();
      if (p.kind === 'date') {
        return {
          name: p.name,
          kind: 'date',
          values,
          hasTime: p.hasTime,
          missing: p.missing,
          unparsable: p.unparsable,
        };
      }
      return { name: p.name, kind: 'number', values, missing: p.missing, unparsable: p.unparsable };
    });
    // Unnamed columns with nothing in them come from trailing delimiters: drop them.
    const keep = columns.map(
      (c, k) => !(this.header![k].trim() === '' && c.missing === this.rowCount),
    );
    const renamed = columns.filter((_, k) => keep[k] && this.renamed[k]).map((c) => c.name);
    columns = columns.filter((_, k) => keep[k]);
    if (renamed.length > 0) {
      this.warnings.push({
        code: 'renamedColumns',
        message: `Columns with an empty or repeated name were named ${renamed.map((n) => `"${n}"`).join(', ')}.`,
        params: { columns: renamed.join(', ') },
      });
    }
    if (this.shortRows > 0) {
      this.warnings.push({
        code: 'shortRows',
        message: `${this.shortRows} row(s) have fewer cells than the header names columns (first at line ${this.firstShortLine}); their missing cells count as missing values.`,
        params: { count: this.shortRows, line: this.firstShortLine },
      });
    }
    for (const p of plans) {
      if (p.unparsable > 0 && p.firstBad) {
        const kind = p.kind === 'date' ? 'dates' : 'numbers';
        this.warnings.push({
          code: 'unparsableValues',
          message: `${p.unparsable} value(s) in "${p.name}" could not be read as ${kind} (first at line ${p.firstBad.line}: "${p.firstBad.text.slice(0, 40)}"); they count as missing.`,
          params: {
            column: p.name,
            count: p.unparsable,
            line: p.firstBad.line,
            text: p.firstBad.text.slice(0, 40),
          },
        });
      }
    }
    if (!columns.some((c) => c.kind === 'number' && c.missing < this.rowCount)) {
      throw new DataError(
        'noNumeric',
        'No column holds numbers, so there is nothing to chart or train on. Is this a price file?',
      );
    }
    const dateColumn = pickDateColumn(columns);
    const table: Table = {
      columns,
      rowCount: this.rowCount,
      dateColumn,
      closeColumn: guessCloseColumn(columns),
      reordered: 'none',
      delimiter: this.delimiter,
      decimalMark: this.decimalMark,
      warnings: this.warnings,
    };
    return dateColumn ? sortByDate(table, dateColumn) : table;
  }
}

/** Parses a whole CSV string. */
export function parseCsvText(text: string): Table {
  const b = new CsvTableBuilder();
  b.push(text);
  return b.end();
}

/** Parses CSV text that arrives in chunks (a Node read stream, a File's stream, …). */
export async function parseCsvChunks(
  chunks: AsyncIterable<string> | Iterable<string>,
  onProgress?: (p: CsvProgress) => void,
): Promise<Table> {
  const b = new CsvTableBuilder(onProgress);
  for await (const chunk of chunks) b.push(chunk);
  return b.end();
}
