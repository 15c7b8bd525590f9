/**
 * CSV text as RFC 4180 defines it: fields separated by commas, records by CRLF (a lone LF is
 * accepted too), fields with commas, quotes or line breaks enclosed in double quotes, a quote
 * inside them doubled. As in PostgreSQL's COPY ... CSV, an empty unquoted field is NULL and an
 * empty quoted field (`""`) is the empty string. Platform-neutral: no I/O, no dependencies.
 */

/** One record: its fields (NULL as null) and the 1-based line it starts on. */
export interface CsvRecord {
  fields: (string | null)[];
  line: number;
}

/** Malformed CSV, with the 1-based line where the problem is. */
export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`${message} (line ${line})`);
    this.name = 'CsvError';
  }
}

export interface CsvOptions {
  /** The field separator, one character; `,` unless told. */
  delimiter?: string;
}

/**
 * Splits CSV text into records. A quote inside an unquoted field is kept as text (files written
 * by hand do that); text after a closing quote is an error, since the field's extent would be a
 * guess. A line break at the end of the text ends the last record rather than starting an empty
 * one, and a leading byte order mark is dropped.
 */
export function parseCsv(text: string, options: CsvOptions = {}): CsvRecord[] {
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r')
    throw new CsvError(`invalid delimiter ${JSON.stringify(delimiter)}`, 1);
  const records: CsvRecord[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < n) {
    const start = line;
    const fields: (string | null)[] = [];
    for (;;) {
      // One field, starting at i.
      if (text[i] === '"') {
        const quoteLine = line;
        i++;
        let value = '';
        for (;;) {
          const q = text.indexOf('"', i);
          if (q < 0) throw new CsvError('unterminated quoted field', quoteLine);
          const chunk = text.slice(i, q);
          value += chunk;
          line += countLineBreaks(chunk);
          if (text[q + 1] === '"') {
            value += '"';
            i = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
        fields.push(value);
        const c = text[i];
        if (i < n && c !== delimiter && c !== '\n' && c !== '\r')
          throw new CsvError('unexpected text after a closing quote', line);
      } else {
        let j = i;
        while (j < n) {
          const c = text[j];
          if (c === delimiter || c === '\n' || c === '\r') break;
          j++;
        }
        fields.push(j === i ? null : text.slice(i, j));
        i = j;
      }
      if (i < n && text[i] === delimiter) {
        i++;
        continue;
      }
      break;
    }
    // At a line break or the end of the text.
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    records.push({ fields, line: start });
    line++;
  }
  return records;
}

/** Line breaks in `s`, counting CRLF once. */
function countLineBreaks(s: string): number {
  let k = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10) k++;
    else if (c === 13 && s.charCodeAt(i + 1) !== 10) k++;
  }
  return k;
}
