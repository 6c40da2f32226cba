import { describe, expect, it } from 'vitest';
import { parseCsvChunks, parseCsvText, sniffDelimiter } from './csv';
import { DataError } from './errors';
import { getColumn, type Table } from './table';
import { formatDate, parseDate, parseNumber } from './values';
import { readShared } from '../../test/shared';

const col = (t: Table, name: string) => {
  const c = getColumn(t, name);
  if (!c) throw new Error(`no column ${name}`);
  return c;
};
const num = (t: Table, name: string, row: number) => col(t, name).values[row] as number;
const date = (t: Table, row: number) =>
  formatDate(col(t, t.dateColumn!).values[row] as number, false);

function refusal(text: string): DataError {
  try {
    parseCsvText(text);
  } catch (e) {
    if (e instanceof DataError) return e;
    throw e;
  }
  throw new Error('the file was accepted');
}

describe('real exports (src/test/reference/data)', () => {
  it('SBUX.csv, the seed’s file: 253 rows, ascending, close guessed', () => {
    const t = parseCsvText(readShared('data', 'SBUX.csv'));
    expect(t.rowCount).toBe(253);
    expect(t.columns.map((c) => c.kind)).toEqual([
      'date',
      'number',
      'number',
      'number',
      'number',
      'number',
      'number',
    ]);
    expect(t.closeColumn).toBe('Close');
    expect(date(t, 0)).toBe('2019-12-11');
    expect(date(t, 252)).toBe('2020-12-10');
    expect(num(t, 'Volume', 0)).toBe(4921900);
    expect(num(t, 'Adj Close', 1)).toBe(85.720032);
  });

  it('Nasdaq: $ prices, CRLF, M/D/YYYY, newest first → reversed', () => {
    const t = parseCsvText(readShared('data', 'nasdaq_SBUX.csv'));
    expect(t.rowCount).toBe(2516);
    expect(t.reordered).toBe('reversed');
    expect(t.closeColumn).toBe('Close/Last');
    expect(date(t, t.rowCount - 1)).toBe('2023-11-29');
    expect(num(t, 'Close/Last', t.rowCount - 1)).toBe(99.85);
    expect(num(t, 'Open', t.rowCount - 1)).toBe(101.51);
    expect(num(t, 'Volume', t.rowCount - 1)).toBe(8428536);
    expect(t.warnings.map((w) => w.code)).toContain('reversed');
  });

  it('Stooq: fractional volumes', () => {
    const t = parseCsvText(readShared('data', 'stooq_aapl_us_d.csv'));
    expect(t.rowCount).toBe(1000);
    expect(num(t, 'Volume', 0)).toBeCloseTo(426143545.32526, 5);
  });

  it('Kaggle: lower-case headers and a ticker column kept as text', () => {
    const t = parseCsvText(readShared('data', 'kaggle_SBUX_data.csv'));
    expect(t.closeColumn).toBe('close');
    expect(col(t, 'Name').kind).toBe('text');
    expect(col(t, 'Name').values[0]).toBe('SBUX');
  });

  it('Yahoo KOSPI: the all-null row counts as missing, not as zero', () => {
    const t = parseCsvText(readShared('data', 'yahoo_KS11_kospi_with_null.csv'));
    expect(col(t, 'Close').missing).toBe(1);
    expect(col(t, 'Close').unparsable).toBe(0);
    expect(date(t, 0)).toBe('2019-03-18');
  });

  it('pandas-datareader: columns out of order, float volumes, Name text', () => {
    const t = parseCsvText(readShared('data', 'pdr_yahoo_SBUX_data_with_Name.csv'));
    expect(t.columns.map((c) => c.name)).toEqual([
      'Date',
      'High',
      'Low',
      'Open',
      'Close',
      'Volume',
      'Adj Close',
      'Name',
    ]);
    expect(t.closeColumn).toBe('Close');
    expect(num(t, 'Volume', 0)).toBe(11295600);
  });

  it('streaming in tiny chunks gives exactly the same table', async () => {
    const text = readShared('data', 'nasdaq_SBUX.csv');
    const chunks = function* () {
      for (let k = 0; k < text.length; k += 997) yield text.slice(k, k + 997);
    };
    const streamed = await parseCsvChunks(chunks());
    const whole = parseCsvText(text);
    expect(streamed.rowCount).toBe(whole.rowCount);
    for (const c of whole.columns) expect([...col(streamed, c.name).values]).toEqual([...c.values]);
  });
});

describe('what real exports look like', () => {
  it('German: ; delimiter, decimal comma, . thousands, DD.MM.YYYY, Schlusskurs', () => {
    const t = parseCsvText(
      'Datum;Eröffnung;Hoch;Tief;Schlusskurs;Volumen\n02.01.2024;1.234,50;1.240,00;1.230,10;1.238,25;12.345\n03.01.2024;73,73;74,10;72,90;73,10;9.876\n',
    );
    expect(t.delimiter).toBe(';');
    expect(t.decimalMark).toBe('comma');
    expect(t.closeColumn).toBe('Schlusskurs');
    expect(num(t, 'Eröffnung', 0)).toBe(1234.5);
    expect(num(t, 'Eröffnung', 1)).toBe(73.73);
    expect(num(t, 'Volumen', 0)).toBe(12345);
    expect(date(t, 0)).toBe('2024-01-02');
  });

  it('Polish Stooq headers and Korean headers', () => {
    const pl = parseCsvText(
      'Data,Otwarcie,Najwyzszy,Najnizszy,Zamkniecie,Wolumen\n2024-01-02,10,11,9,10.5,100\n2024-01-03,10.5,12,10,11,200\n',
    );
    expect(pl.closeColumn).toBe('Zamkniecie');
    expect(pl.dateColumn).toBe('Data');
    const ko = parseCsvText(
      '날짜,종가,시가,고가,저가,거래량\n2024.01.03,"71,000","70,500","72,000","70,100",1.2M\n2024.01.02,"70,000","69,500","71,000","69,100",980K\n',
    );
    expect(ko.closeColumn).toBe('종가');
    expect(ko.reordered).toBe('reversed');
    expect(num(ko, '종가', 1)).toBe(71000);
    expect(num(ko, '거래량', 0)).toBe(980000);
    expect(date(ko, 1)).toBe('2024-01-03');
  });

  it('BOM, CRLF, tabs, quotes, $, %, K/M/B suffixes, blank and null cells', () => {
    const t = parseCsvText(
      '\uFEFFDate\tPrice\tChange %\tVol.\r\n"Mar 27, 2020"\t"$1,717.73"\t-1.5%\t1.08B\r\n"Mar 30, 2020"\t$99.85\t\t2.5K\r\n"Mar 31, 2020"\tnull\t+0.25%\t \r\n',
    );
    expect(t.delimiter).toBe('\t');
    expect(t.columns.map((c) => c.name)).toEqual(['Date', 'Price', 'Change %', 'Vol.']);
    expect(num(t, 'Price', 0)).toBe(1717.73);
    expect(num(t, 'Price', 1)).toBe(99.85);
    expect(num(t, 'Vol.', 0)).toBe(1080000000);
    expect(num(t, 'Vol.', 1)).toBe(2500);
    expect(num(t, 'Change %', 0)).toBe(-1.5);
    expect(Number.isNaN(num(t, 'Price', 2))).toBe(true);
    expect(col(t, 'Price').missing).toBe(1);
    expect(col(t, 'Vol.').missing).toBe(1);
    expect(t.closeColumn).toBe('Price');
    expect(date(t, 0)).toBe('2020-03-27');
  });

  it('date-times keep their time; YYYY.MM.DD and ISO both read', () => {
    const t = parseCsvText('time,close\n2024-01-02 09:30:00,1\n2024-01-02 09:31:00,2\n');
    const c = col(t, 'time');
    expect(c.kind === 'date' && c.hasTime).toBe(true);
    expect(formatDate(c.values[1] as number, true)).toBe('2024-01-02T09:31:00');
    expect(parseDate('2020.03.27')?.ms).toBe(Date.UTC(2020, 2, 27));
    expect(parseDate('2020-03-27T16:00:00Z')?.ms).toBe(Date.UTC(2020, 2, 27, 16));
    expect(parseDate('27/03/2020', 'dmy')?.ms).toBe(Date.UTC(2020, 2, 27));
    expect(parseDate('2020-02-31')).toBeNull();
  });

  it('numbers: sign forms, currency codes, groupings', () => {
    expect(parseNumber('(1,234.5)')).toBe(-1234.5);
    expect(parseNumber('−3.2')).toBe(-3.2);
    expect(parseNumber('€ 1.234,5', 'comma')).toBe(1234.5);
    expect(parseNumber("1'234.5")).toBe(1234.5);
    expect(parseNumber('12.3M')).toBe(12300000);
    expect(Number.isNaN(parseNumber('abc'))).toBe(true);
    expect(Number.isNaN(parseNumber('1.2.3'))).toBe(true);
    expect(parseNumber('1.08B', 'comma')).toBe(1080000000);
    expect(parseNumber('1.234', 'comma')).toBe(1234);
    expect(parseNumber('"73,73"'.slice(1, -1), 'dot')).toBe(73.73);
    expect(parseNumber('1,234', 'dot')).toBe(1234);
  });

  it('a header shorter than the rows (R row names) gets a name, not a refusal', () => {
    const t = parseCsvText('Date,Close\n1,2024-01-02,10\n2,2024-01-03,11\n');
    expect(t.columns.map((c) => c.name)).toEqual(['Column 1', 'Date', 'Close']);
    expect(num(t, 'Close', 1)).toBe(11);
    expect(t.warnings.map((w) => w.code)).toContain('paddedHeader');
  });

  it('a row shorter than the header (Stooq’s first day has no volume) counts its missing cells', () => {
    const t = parseCsvText(
      'Date,Open,High,Low,Close,Volume\n2011-01-03,17.2,17.28,17.09,17.23\n2011-01-04,17.3,17.4,17.1,17.35,1200\n',
    );
    expect(t.rowCount).toBe(2);
    const volume = t.columns.find((c) => c.name === 'Volume')!;
    expect(volume.kind).toBe('number');
    expect(Number.isNaN(num(t, 'Volume', 0))).toBe(true);
    expect(num(t, 'Volume', 1)).toBe(1200);
    expect(num(t, 'Close', 0)).toBe(17.23);
    const w = t.warnings.find((x) => x.code === 'shortRows')!;
    expect(w.params).toEqual({ count: 1, line: 2 });
  });

  it('a long row is refused naming what set the width: the header, and the rows before it', () => {
    // Only a (short) row came before: the header set the width.
    expect(() => parseCsvText('Date,Open,Close\n2024-01-02,1\n2024-01-03,2,3,4\n')).toThrow(
      /Line 3 has 4 fields but the header has 3:/,
    );
    expect(() => parseCsvText('Date,Close\n2024-01-02,1\n2024-01-03,2\n2024-01-04,2,3\n')).toThrow(
      /Line 4 has 3 fields but the header and the rows before it have 2:/,
    );
  });

  it('names empty and repeated headers, and warns only about those', () => {
    const t = parseCsvText(' Date ,Close,Close,\n2024-01-02,1,2,\n2024-01-03,3,4,\n');
    // The trailing delimiter's empty column is dropped, not named.
    expect(t.columns.map((c) => c.name)).toEqual(['Date', 'Close', 'Close (2)']);
    const w = t.warnings.filter((x) => x.code === 'renamedColumns');
    expect(w).toHaveLength(1);
    expect(w[0].params.columns).toBe('Close (2)');
    const clean = parseCsvText(' Date , Close \n2024-01-02,1\n');
    expect(clean.columns.map((c) => c.name)).toEqual(['Date', 'Close']);
    expect(clean.warnings.map((x) => x.code)).not.toContain('renamedColumns');
  });

  it('shuffled dates are sorted; unreadable numbers are counted with their line', () => {
    const days = Array.from(
      { length: 20 },
      (_, k) => `2024-01-${String(k + 1).padStart(2, '0')},${k + 1}`,
    );
    // Line 2 is day 3, line 3 day 1, line 4 day 2 (unreadable); the rest in order.
    const lines = [days[2], days[0], '2024-01-02,oops', ...days.slice(3)];
    const t = parseCsvText(`Date,Close\n${lines.join('\n')}\n`);
    expect(t.reordered).toBe('sorted');
    expect([...col(t, 'Close').values].slice(0, 4).map(String)).toEqual(['1', 'NaN', '3', '4']);
    const w = t.warnings.find((x) => x.code === 'unparsableValues');
    expect(w?.params).toMatchObject({ column: 'Close', count: 1, line: 4 });
  });

  it('picks the delimiter from the header, not from decimal commas', () => {
    expect(sniffDelimiter('a;b;c\n1,5;2,5;3,5\n')).toBe(';');
    expect(sniffDelimiter('a,b,c\n"1,5",2,3\n')).toBe(',');
  });
});

describe('refusals: one clear sentence, with the line where there is one', () => {
  it.each([
    ['', 'empty', /empty/],
    ['   \n\n', 'empty', /empty/],
    ['Date,Close\n', 'headerOnly', /no data rows/],
    ['Name,Sector\nApple,Tech\nStarbucks,Food\n', 'noNumeric', /No column holds numbers/],
    ['PK\u0003\u0004\u0000\u0000binary', 'binary', /not text/],
    ['Date,Close\n2024-01-01,1\n2024-01-02,2,3\n', 'inconsistentFields', /Line 3 has 3 fields/],
  ])('%j → %s', (text, code, message) => {
    const e = refusal(text);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    expect(e.message).not.toMatch(/\n\s+at /);
  });

  it('names the line of a long row (a short one is padded with missing values)', () => {
    expect(refusal('a,b,c\n1,2,3\n4,5,6\n7,8,9,10\n').line).toBe(4);
    expect(parseCsvText('a,b,c\n1,2,3\n4,5,6\n7,8\n').rowCount).toBe(3);
  });
});
