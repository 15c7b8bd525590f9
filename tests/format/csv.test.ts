/**
 * The CSV reader: RFC 4180 quoting, escaped quotes, embedded separators and line breaks, CRLF,
 * NULL (empty unquoted) against the empty string (empty quoted), line numbers of records and of
 * errors, and a round trip of generated records through a writer that quotes as RFC 4180 says.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CsvError, parseCsv } from '../../runtime/format/csv.js';

const fields = (text: string): (string | null)[][] => parseCsv(text).map((r) => r.fields);

describe('parseCsv', () => {
  test('plain records, with and without a final line break', () => {
    expect(fields('a,b\n1,2\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(fields('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(fields('')).toEqual([]);
  });

  test('quoted fields hold commas, doubled quotes and line breaks', () => {
    const text = 'name,note\n"Smith, J","said ""hi"""\n"two\nlines","x\r\ny"\n';
    const records = parseCsv(text);
    expect(records.map((r) => r.fields)).toEqual([
      ['name', 'note'],
      ['Smith, J', 'said "hi"'],
      ['two\nlines', 'x\r\ny'],
    ]);
    // Records are numbered by the line they start on; the third takes lines 3 to 5.
    expect(records.map((r) => r.line)).toEqual([1, 2, 3]);
    expect(parseCsv(text + 'last,1\n')[3]?.line).toBe(6);
  });

  test('CRLF separates records the way LF does', () => {
    expect(fields('a,b\r\n1,2\r\n3,4')).toEqual(fields('a,b\n1,2\n3,4'));
    expect(parseCsv('a\r\nb\r\nc').map((r) => r.line)).toEqual([1, 2, 3]);
  });

  test('an empty unquoted field is NULL, an empty quoted field the empty string', () => {
    expect(fields('a,,"",b\n,\n""')).toEqual([['a', null, '', 'b'], [null, null], ['']]);
  });

  test('spaces are data, a byte order mark is not, quotes inside unquoted text are text', () => {
    expect(fields('\uFEFF a , b\nsay "x",1')).toEqual([
      [' a ', ' b'],
      ['say "x"', '1'],
    ]);
  });

  test('another delimiter', () => {
    expect(parseCsv('a;"b;c"\n1;2', { delimiter: ';' }).map((r) => r.fields)).toEqual([
      ['a', 'b;c'],
      ['1', '2'],
    ]);
  });

  test('malformed quoting fails with the line of the problem', () => {
    const unterminated = (): unknown => parseCsv('a,b\n1,2\n3,"oops\n4,5\n');
    expect(unterminated).toThrow(CsvError);
    expect(unterminated).toThrow('unterminated quoted field (line 3)');
    expect(() => parseCsv('a\n"x"y\n')).toThrow('unexpected text after a closing quote (line 2)');
    try {
      parseCsv('a\n"multi\nline"junk');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CsvError);
      expect((e as CsvError).line).toBe(3);
    }
  });

  test('generated records survive writing and reading back', () => {
    // Fields from an alphabet rich in the characters that need quoting.
    const field = fc.option(
      fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ',', '"', '\n', '\r', 'é', '1') }),
      {
        nil: null,
      },
    );
    const record = fc.array(field, { minLength: 1, maxLength: 5 });
    const write = (f: string | null): string =>
      f === null ? '' : f === '' || /[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f;
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 8 }), fc.boolean(), (rows, crlf) => {
        // A last record of one NULL field would be a trailing line break, which ends the text.
        const last = rows[rows.length - 1]!;
        fc.pre(!(last.length === 1 && last[0] === null));
        const text = rows.map((r) => r.map(write).join(',')).join(crlf ? '\r\n' : '\n');
        expect(fields(text)).toEqual(rows);
      }),
      { numRuns: 300 },
    );
  });
});
