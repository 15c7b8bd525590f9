/**
 * JSONB values: PostgreSQL jsonb text input and output, ordering, and the access/containment
 * operators. Numbers are exact `Decimal`s (so `1.50` prints `1.50`); object keys are unique
 * (last wins) and kept in jsonb's storage order (shorter keys first, then bytewise).
 */
import { SqlError, SqlState } from '../errors.js';
import { Decimal } from './numeric.js';

export type JsonValue = null | boolean | string | Decimal | JsonValue[] | JsonObject;

/** A JSON object with keys in jsonb storage order. */
export class JsonObject {
  readonly entries: ReadonlyMap<string, JsonValue>;

  constructor(pairs: Iterable<[string, JsonValue]>) {
    const m = new Map<string, JsonValue>();
    for (const [k, v] of pairs) m.set(k, v);
    const keys = [...m.keys()].sort(compareKeys);
    this.entries = new Map(keys.map((k) => [k, m.get(k)!]));
  }

  get(key: string): JsonValue | undefined {
    return this.entries.get(key);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get size(): number {
    return this.entries.size;
  }
}

function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

/** Code-point order, which equals UTF-8 byte order. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

/** jsonb key order: shorter (in bytes) first, then bytewise. */
function compareKeys(a: string, b: string): number {
  const la = utf8Length(a);
  const lb = utf8Length(b);
  if (la !== lb) return la < lb ? -1 : 1;
  return compareStrings(a, b);
}

function invalidJson(detail: string): SqlError {
  return new SqlError(
    SqlState.invalidTextRepresentation,
    'invalid input syntax for type json',
    undefined,
    detail,
  );
}

class Parser {
  pos = 0;
  constructor(readonly s: string) {}

  ws(): void {
    for (;;) {
      const c = this.s.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else return;
    }
  }

  fail(): never {
    if (this.pos >= this.s.length) throw invalidJson('The input string ended unexpectedly.');
    const rest = /^[A-Za-z0-9_]+|^./su.exec(this.s.slice(this.pos))?.[0] ?? '';
    throw invalidJson(`Token "${rest}" is invalid.`);
  }

  value(depth: number): JsonValue {
    if (depth > 6400)
      throw new SqlError(SqlState.programLimitExceeded, 'stack depth limit exceeded');
    this.ws();
    const c = this.s[this.pos];
    switch (c) {
      case '{': {
        this.pos++;
        const pairs: [string, JsonValue][] = [];
        this.ws();
        if (this.s[this.pos] === '}') {
          this.pos++;
          return new JsonObject(pairs);
        }
        for (;;) {
          this.ws();
          if (this.s[this.pos] !== '"') this.fail();
          const k = this.string();
          this.ws();
          if (this.s[this.pos] !== ':') this.fail();
          this.pos++;
          pairs.push([k, this.value(depth + 1)]);
          this.ws();
          if (this.s[this.pos] === ',') {
            this.pos++;
            continue;
          }
          if (this.s[this.pos] === '}') {
            this.pos++;
            return new JsonObject(pairs);
          }
          this.fail();
        }
      }
      // falls through (unreachable)
      case '[': {
        this.pos++;
        const items: JsonValue[] = [];
        this.ws();
        if (this.s[this.pos] === ']') {
          this.pos++;
          return items;
        }
        for (;;) {
          items.push(this.value(depth + 1));
          this.ws();
          if (this.s[this.pos] === ',') {
            this.pos++;
            continue;
          }
          if (this.s[this.pos] === ']') {
            this.pos++;
            return items;
          }
          this.fail();
        }
      }
      // falls through (unreachable)
      case '"':
        return this.string();
      default: {
        const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(
          this.s.slice(this.pos, this.pos + 1000),
        );
        if (m && m[0] !== '-' && m[0] !== '') {
          const after = this.s[this.pos + m[0].length];
          if (after === undefined || !/[A-Za-z0-9_.]/.test(after)) {
            this.pos += m[0].length;
            return Decimal.parse(m[0]);
          }
        }
        for (const [word, v] of [
          ['true', true],
          ['false', false],
          ['null', null],
        ] as const) {
          if (this.s.startsWith(word, this.pos)) {
            const after = this.s[this.pos + word.length];
            if (after === undefined || !/[A-Za-z0-9_]/.test(after)) {
              this.pos += word.length;
              return v;
            }
          }
        }
        this.fail();
      }
    }
  }

  string(): string {
    this.pos++; // opening quote
    let out = '';
    for (;;) {
      const c = this.s[this.pos];
      if (c === undefined) throw invalidJson('The input string ended unexpectedly.');
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c.charCodeAt(0) < 0x20)
        throw invalidJson(
          `Character with value 0x${c.charCodeAt(0).toString(16).padStart(2, '0')} must be escaped.`,
        );
      if (c !== '\\') {
        out += c;
        this.pos++;
        continue;
      }
      const e = this.s[this.pos + 1];
      this.pos += 2;
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          const hex = this.s.slice(this.pos, this.pos + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex))
            throw invalidJson('"\\u" must be followed by four hexadecimal digits.');
          this.pos += 4;
          const code = parseInt(hex, 16);
          if (code === 0)
            throw new SqlError(
              '22P05',
              'unsupported Unicode escape sequence',
              undefined,
              '\\u0000 cannot be converted to text.',
            );
          if (code >= 0xd800 && code <= 0xdbff) {
            const low = /^\\u([dD][c-fC-F][0-9a-fA-F]{2})/.exec(
              this.s.slice(this.pos, this.pos + 6),
            );
            if (!low) throw invalidJson('Unicode high surrogate must not follow a high surrogate.');
            this.pos += 6;
            out += String.fromCharCode(code, parseInt(low[1]!, 16));
          } else if (code >= 0xdc00 && code <= 0xdfff) {
            throw invalidJson('Unicode low surrogate must follow a high surrogate.');
          } else out += String.fromCharCode(code);
          break;
        }
        default:
          this.pos--;
          throw invalidJson(`Escape sequence "\\${e ?? ''}" is invalid.`);
      }
    }
  }
}

function quoteJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    switch (ch) {
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\f':
        out += '\\f';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      default: {
        const c = ch.charCodeAt(0);
        out += c < 0x20 ? `\\u${c.toString(16).padStart(4, '0')}` : ch;
      }
    }
  }
  return out + '"';
}

function formatJson(v: JsonValue): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return quoteJsonString(v);
  if (v instanceof Decimal) return v.toString();
  if (Array.isArray(v)) return `[${v.map(formatJson).join(', ')}]`;
  const parts: string[] = [];
  for (const [k, x] of v.entries) parts.push(`${quoteJsonString(k)}: ${formatJson(x)}`);
  return `{${parts.join(', ')}}`;
}

/** jsonb type order: Object > Array > Boolean > Number > String > Null. */
function typeRank(v: JsonValue): number {
  if (v === null) return 0;
  if (typeof v === 'string') return 1;
  if (v instanceof Decimal) return 2;
  if (typeof v === 'boolean') return 3;
  if (Array.isArray(v)) return 4;
  return 5;
}

export function compareJson(a: JsonValue, b: JsonValue): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 0:
      return 0;
    case 1:
      return compareStrings(a as string, b as string);
    case 2:
      return (a as Decimal).cmp(b as Decimal);
    case 3:
      return a === b ? 0 : a ? 1 : -1;
    case 4: {
      const x = a as JsonValue[];
      const y = b as JsonValue[];
      if (x.length !== y.length) return x.length < y.length ? -1 : 1;
      for (let i = 0; i < x.length; i++) {
        const c = compareJson(x[i]!, y[i]!);
        if (c !== 0) return c;
      }
      return 0;
    }
    default: {
      const x = a as JsonObject;
      const y = b as JsonObject;
      if (x.size !== y.size) return x.size < y.size ? -1 : 1;
      const ex = [...x.entries];
      const ey = [...y.entries];
      for (let i = 0; i < ex.length; i++) {
        const kc = compareKeys(ex[i]![0], ey[i]![0]);
        if (kc !== 0) return kc;
        const vc = compareJson(ex[i]![1], ey[i]![1]);
        if (vc !== 0) return vc;
      }
      return 0;
    }
  }
}

function isScalar(v: JsonValue): boolean {
  return !Array.isArray(v) && !(v instanceof JsonObject);
}

function contains(a: JsonValue, b: JsonValue, top: boolean): boolean {
  if (b instanceof JsonObject) {
    if (!(a instanceof JsonObject)) return false;
    for (const [k, bv] of b.entries) {
      const av = a.get(k);
      if (av === undefined) return false;
      if (isScalar(bv)) {
        if (!isScalar(av) || compareJson(av, bv) !== 0) return false;
      } else if (!contains(av, bv, false)) return false;
    }
    return true;
  }
  if (Array.isArray(b)) {
    if (!Array.isArray(a)) return false;
    for (const bv of b) {
      if (isScalar(bv)) {
        if (!a.some((av) => isScalar(av) && compareJson(av, bv) === 0)) return false;
      } else if (!a.some((av) => !isScalar(av) && contains(av, bv, false))) return false;
    }
    return true;
  }
  // A scalar: equal scalars, or (at the top level only) an element of an array.
  if (Array.isArray(a)) return top && a.some((av) => isScalar(av) && compareJson(av, b) === 0);
  return isScalar(a) && compareJson(a, b) === 0;
}

export class Jsonb {
  constructor(readonly value: JsonValue) {}

  /** PostgreSQL jsonb input; 22P02 `invalid input syntax for type json` on bad text. */
  static parse(text: string): Jsonb {
    const p = new Parser(text);
    const v = p.value(0);
    p.ws();
    if (p.pos < text.length) p.fail();
    return new Jsonb(v);
  }

  /** From a plain JS value (numbers become exact decimals via their shortest text). */
  static fromJs(v: unknown): Jsonb {
    return new Jsonb(fromJs(v));
  }

  toString(): string {
    return formatJson(this.value);
  }

  /** A plain JS value (Decimal numbers become JS numbers). */
  toJs(): unknown {
    return toJs(this.value);
  }

  /** jsonb_typeof: object, array, string, number, boolean or null. */
  typeName(): 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null' {
    const v = this.value;
    if (v === null) return 'null';
    if (typeof v === 'string') return 'string';
    if (typeof v === 'boolean') return 'boolean';
    if (v instanceof Decimal) return 'number';
    return Array.isArray(v) ? 'array' : 'object';
  }

  cmp(o: Jsonb): number {
    return compareJson(this.value, o.value);
  }

  eq(o: Jsonb): boolean {
    return compareJson(this.value, o.value) === 0;
  }

  /** `->` with a key (objects) or index (arrays; negative counts from the end). */
  get(key: string | number): Jsonb | null {
    const v = this.value;
    if (typeof key === 'string') {
      if (!(v instanceof JsonObject)) return null;
      const r = v.get(key);
      return r === undefined ? null : new Jsonb(r);
    }
    if (!Array.isArray(v)) return null;
    const i = key < 0 ? v.length + key : key;
    const r = v[i];
    return r === undefined ? null : new Jsonb(r);
  }

  /** `->>`: like `get`, as text (strings unquoted; JSON null gives SQL NULL). */
  getText(key: string | number): string | null {
    const r = this.get(key);
    return r === null ? null : r.asText();
  }

  /** Text of this value as `->>` returns it. */
  asText(): string | null {
    if (this.value === null) return null;
    if (typeof this.value === 'string') return this.value;
    return this.toString();
  }

  /** `#>`: follow a path of keys / array indexes (given as text). */
  getPath(path: (string | null)[]): Jsonb | null {
    let cur: Jsonb | null = new Jsonb(this.value);
    for (const p of path) {
      if (cur === null || p === null) return null;
      if (Array.isArray(cur.value)) {
        if (!/^\s*[+-]?\d+\s*$/.test(p)) return null;
        cur = cur.get(Number(p));
      } else cur = cur.get(p);
    }
    return cur;
  }

  /** `#>>` */
  getPathText(path: (string | null)[]): string | null {
    const r = this.getPath(path);
    return r === null ? null : r.asText();
  }

  /** `@>` */
  contains(o: Jsonb): boolean {
    return contains(this.value, o.value, true);
  }

  /** `?`: a top-level key, or a string element of a top-level array. */
  hasKey(key: string): boolean {
    const v = this.value;
    if (v instanceof JsonObject) return v.has(key);
    if (Array.isArray(v)) return v.some((x) => x === key);
    return v === key;
  }

  hasAnyKey(keys: (string | null)[]): boolean {
    return keys.some((k) => k !== null && this.hasKey(k));
  }

  hasAllKeys(keys: (string | null)[]): boolean {
    return keys.every((k) => k === null || this.hasKey(k));
  }

  /** `||`: merge objects (right wins), otherwise concatenate as arrays. */
  concat(o: Jsonb): Jsonb {
    const a = this.value;
    const b = o.value;
    if (a instanceof JsonObject && b instanceof JsonObject)
      return new Jsonb(new JsonObject([...a.entries, ...b.entries]));
    const la = Array.isArray(a) ? a : [a];
    const lb = Array.isArray(b) ? b : [b];
    return new Jsonb([...la, ...lb]);
  }

  /** `-` text: remove a key (or matching string elements of an array). */
  deleteKey(key: string): Jsonb {
    const v = this.value;
    if (v instanceof JsonObject)
      return new Jsonb(new JsonObject([...v.entries].filter(([k]) => k !== key)));
    if (Array.isArray(v)) return new Jsonb(v.filter((x) => x !== key));
    throw new SqlError(SqlState.invalidParameterValue, 'cannot delete from scalar');
  }

  /** `-` integer: remove an array element. */
  deleteIndex(i: number): Jsonb {
    const v = this.value;
    if (v instanceof JsonObject)
      throw new SqlError(
        SqlState.invalidParameterValue,
        'cannot delete from object using integer index',
      );
    if (!Array.isArray(v))
      throw new SqlError(SqlState.invalidParameterValue, 'cannot delete from scalar');
    const idx = i < 0 ? v.length + i : i;
    return new Jsonb(v.filter((_, j) => j !== idx));
  }
}

function fromJs(v: unknown): JsonValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw invalidJson(`Token "${String(v)}" is invalid.`);
    return Decimal.parse(String(v));
  }
  if (typeof v === 'bigint') return Decimal.fromBigInt(v);
  if (v instanceof Decimal) return v;
  if (v instanceof Jsonb) return v.value;
  if (Array.isArray(v)) return v.map(fromJs);
  if (v instanceof JsonObject) return v;
  if (typeof v === 'object')
    return new JsonObject(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, fromJs(x)]),
    );
  return String(v);
}

function toJs(v: JsonValue): unknown {
  if (v instanceof Decimal) return v.toNumber();
  if (Array.isArray(v)) return v.map(toJs);
  if (v instanceof JsonObject) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of v.entries) o[k] = toJs(x);
    return o;
  }
  return v;
}
