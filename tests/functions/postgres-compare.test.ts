/**
 * Checks a few hundred function calls against a real PostgreSQL 15 server: same text output, or
 * the same SQLSTATE when PostgreSQL raises an error. Skipped when the binaries are absent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { postgresAvailable, startPostgres } from '../support/postgres.js';
import type { PostgresServer } from '../support/postgres.js';
import type { DataType } from '../../runtime/types/datatype.js';
import { T, arrayOf } from '../../runtime/types/datatype.js';
import { parseValue } from '../../runtime/types/parse.js';
import { formatValue } from '../../runtime/types/format.js';
import type { Value } from '../../runtime/types/value.js';
import { lookupAggregate, lookupScalar } from '../../runtime/functions/index.js';

type Arg = [string, DataType]; // literal text, type

const sqlType: Record<string, string> = {
  int2: 'int2',
  int4: 'int4',
  int8: 'int8',
  float4: 'float4',
  float8: 'float8',
  numeric: 'numeric',
  text: 'text',
  date: 'date',
  time: 'time',
  timestamp: 'timestamp',
  timestamptz: 'timestamptz',
  interval: 'interval',
  jsonb: 'jsonb',
  boolean: 'bool',
};

function lit([v, t]: Arg): string {
  if (v === 'NULL') return `NULL::${sqlName(t)}`;
  return `'${v.replace(/'/g, "''")}'::${sqlName(t)}`;
}

function sqlName(t: DataType): string {
  if (t.kind === 'array') return `${sqlName(t.element)}[]`;
  return sqlType[t.kind]!;
}

const ctx = { timeZone: 'UTC', statementTime: 0n };

function parse([v, t]: Arg): Value {
  return v === 'NULL' ? null : parseValue(v, t, ctx);
}

interface Outcome {
  text?: string | null;
  code?: string;
}

function sluiceScalar(name: string, args: Arg[]): Outcome {
  try {
    const r = lookupScalar(name)?.resolve(args.map((a) => a[1]));
    if (!r) return { code: '42883' };
    const vals = args.map(parse);
    const out = r.strict !== false && vals.some((v) => v === null) ? null : r.eval(vals, ctx);
    return { text: out === null ? null : formatValue(out, r.returnType, ctx) };
  } catch (e) {
    return { code: (e as { code?: string }).code ?? String(e) };
  }
}

function sluiceAggregate(name: string, types: DataType[], rows: string[][]): Outcome {
  try {
    const r = lookupAggregate(name)?.resolve(types, false);
    if (!r) return { code: '42883' };
    const acc = r.create();
    for (const row of rows) {
      const vals = row.map((v, i) => parse([v, types[i]!]));
      if (r.ignoreNulls !== false && vals.some((v) => v === null)) continue;
      acc.apply(vals, 1);
    }
    const out = acc.result();
    return { text: out === null ? null : formatValue(out, r.returnType, ctx) };
  } catch (e) {
    return { code: (e as { code?: string }).code ?? String(e) };
  }
}

const t = (v: string): Arg => [v, T.text];
const i4 = (v: string): Arg => [v, T.int4];
const i8 = (v: string): Arg => [v, T.int8];
const n = (v: string): Arg => [v, T.numeric];
const f8 = (v: string): Arg => [v, T.float8];
const ts = (v: string): Arg => [v, T.timestamp];
const tz = (v: string): Arg => [v, T.timestamptz];
const d = (v: string): Arg => [v, T.date];
const iv = (v: string): Arg => [v, T.interval];
const j = (v: string): Arg => [v, T.jsonb];
const ia = (v: string): Arg => [v, arrayOf(T.int4)];

const scalarCases: [string, Arg[]][] = [];
const add = (name: string, ...args: Arg[]): void => {
  scalarCases.push([name, args]);
};

// upper/lower/initcap are Unicode-aware in Sluice; the test server runs in the C locale.
for (const s of ['', 'hello', 'Hello World', '  pad  ', 'ümlaut😀', 'a,b,,c']) {
  const caseFns = /^[\x00-\x7f]*$/.test(s) ? ['lower', 'upper', 'initcap'] : [];
  for (const f of [
    'length',
    'octet_length',
    ...caseFns,
    'reverse',
    'md5',
    'ascii',
    'btrim',
    'ltrim',
    'rtrim',
    'quote_ident',
    'quote_literal',
  ])
    add(f, t(s));
  add('substr', t(s), i4('2'));
  add('substr', t(s), i4('0'), i4('3'));
  add('left', t(s), i4('-2'));
  add('right', t(s), i4('3'));
  add('lpad', t(s), i4('8'), t('xy'));
  add('rpad', t(s), i4('3'));
  add('split_part', t(s), t(','), i4('2'));
  add('split_part', t(s), t(','), i4('-1'));
  add('strpos', t(s), t('l'));
  add('replace', t(s), t('l'), t('L'));
  add('translate', t(s), t('lo'), t('0'));
  add('repeat', t(s), i4('2'));
  add('string_to_array', t(s), t(','));
  add('regexp_replace', t(s), t('[aeiou]'), t('<\\&>'), t('g'));
  add('regexp_match', t(s), t('(l+)(.)'));
  add('regexp_count', t(s), t('l'));
  add('starts_with', t(s), t('he'));
}
add('substr', t('abc'), i4('1'), i4('-1'));
add('split_part', t('a,b'), t(','), i4('0'));
add('chr', i4('0'));
add('chr', i4('9731'));
add('to_hex', i4('-255'));
add('to_hex', i8('1099511627775'));
add('regexp_match', t('abc'), t('(b'));
add('regexp_match', t('abc'), t('[[:alpha:]]+'));
add('regexp_replace', t('foo bar baz'), t('\\mb'), t('X'), t('g'));
add('format', t('%s-%I-%L'), t('a'), t('B c'), t("it's"));
add('concat_ws', t('/'), t('a'), t('NULL'), t('c'));

for (const x of ['0', '2.5', '-2.5', '3.14159', '-0.001', '1e10', '123456789.987654321']) {
  for (const f of [
    'abs',
    'ceil',
    'floor',
    'round',
    'trunc',
    'sign',
    'sqrt',
    'exp',
    'ln',
    'log10',
    'log',
    'scale',
  ])
    add(f, n(x));
  for (const f of [
    'abs',
    'ceil',
    'floor',
    'round',
    'trunc',
    'sign',
    'sqrt',
    'exp',
    'ln',
    'log10',
    'atan',
    'degrees',
  ])
    add(f, f8(x));
  add('round', n(x), i4('2'));
  add('round', n(x), i4('-1'));
  add('trunc', n(x), i4('1'));
  add('mod', n(x), n('0.7'));
  add('power', n(x), n('3'));
  add('power', f8(x), f8('0.5'));
  add('div', n(x), n('0.3'));
}
add('mod', i4('-7'), i4('3'));
add('mod', i4('7'), i4('0'));
add('abs', i4('-2147483648'));
add('gcd', i4('12'), i4('-18'));
add('lcm', i8('12'), i8('18'));
add('power', f8('0'), f8('-1'));
add('asin', f8('2'));
add('width_bucket', f8('5.35'), f8('0.024'), f8('10.06'), i4('5'));
add('log', n('2'), n('64'));

const stamps = [
  '2202-02-16 20:38:40.123456',
  '2000-01-01 00:00:00',
  '1999-12-31 23:59:59.5',
  '2024-02-29 12:00:00',
];
const fields = [
  'microseconds',
  'milliseconds',
  'second',
  'minute',
  'hour',
  'day',
  'week',
  'month',
  'quarter',
  'year',
  'decade',
  'century',
  'millennium',
];
for (const s of stamps) {
  for (const f of fields) {
    add('date_trunc', t(f), ts(s));
    add('date_trunc', t(f), tz(s));
  }
  for (const f of [...fields, 'epoch', 'dow', 'isodow', 'doy', 'isoyear']) {
    add('extract', t(f), ts(s));
    add('date_part', t(f), tz(s));
  }
  for (const fmt of [
    'YYYY-MM-DD HH24:MI:SS.MS',
    'HH12:MI:SS AM',
    'Day, DD Month YYYY',
    'FMDay FMMonth DDD J Q WW IW',
    'yyyy-mm-dd hh24:mi:ss.us',
    'Mon DD, YYYY TZ',
  ])
    add('to_char', ts(s), t(fmt));
  add('age', ts(s), ts('1990-06-15 08:00:00'));
  add('date_bin', iv('15 minutes'), ts(s), ts('2001-01-01'));
}
for (const f of ['day', 'month', 'year', 'dow', 'doy', 'epoch', 'hour'])
  add('extract', t(f), d('2024-03-10'));
for (const f of [
  'second',
  'minute',
  'hour',
  'day',
  'month',
  'year',
  'epoch',
  'quarter',
  'millennium',
])
  add('extract', t(f), iv('1 year 14 months 3 days 04:05:06.789'));
for (const f of ['hour', 'day', 'month', 'year', 'quarter'])
  add('date_trunc', t(f), iv('2333 year 4 months 5 days 02:47:33.123456'));
add('to_timestamp', f8('1284352323.5'));
add('to_timestamp', t('2022/12/25 10:24:33 PM'), t('YYYY/MM/DD HH12:MI:SS AM'));
add('to_timestamp', t('2001-04-17 00:00:00.906'), t('YYYY-MM-DD HH24:MI:SS.MS'));
add('to_timestamp', t('2021/12/30 14:52:49 +03:30'), t('YYYY/MM/DD HH24:MI:SS TZH:TZM'));
add('to_date', t('12/25/2022'), t('MM/DD/YYYY'));
add('make_date', i4('2013'), i4('7'), i4('15'));
add('make_date', i4('2013'), i4('2'), i4('30'));
add('make_timestamp', i4('2013'), i4('7'), i4('15'), i4('8'), i4('15'), f8('23.5'));
add(
  'make_timestamptz',
  i4('2013'),
  i4('7'),
  i4('15'),
  i4('8'),
  i4('15'),
  f8('23.5'),
  t('America/New_York'),
);
add('justify_interval', iv('1 mon -1 hour'));
add('justify_days', iv('35 days'));
add('justify_hours', iv('27 hours'));
add('timezone', t('Asia/Tokyo'), tz('2020-01-01 00:00:00+00'));
add('timezone', t('Asia/Tokyo'), ts('2020-01-01 00:00:00'));
add('date_trunc', t('day'), tz('2020-03-08 12:00:00+00'), t('America/New_York'));

for (const v of [
  '{"a": 1, "b": [1, 2, null], "c": {"d": "x"}}',
  '[1, "two", null]',
  '"str"',
  '3.50',
])
  for (const f of ['jsonb_typeof', 'jsonb_array_length', 'jsonb_strip_nulls', 'jsonb_pretty'])
    add(f, j(v));
add('jsonb_extract_path', j('{"a": {"b": [10, 20]}}'), t('a'), t('b'), t('1'));
add('jsonb_extract_path_text', j('{"a": {"b": [10, 20]}}'), t('a'), t('b'));
add('jsonb_build_object', t('a'), i4('1'), t('b'), ts('2020-01-01 10:00:00'));
add('jsonb_build_array', i4('1'), t('x'), n('2.50'), f8('1e100'));
add('to_jsonb', tz('2020-01-01 10:00:00+00'));

for (const a of ['{1,2,3,2}', '{}', '{NULL,1}']) {
  add('array_length', ia(a), i4('1'));
  add('cardinality', ia(a));
  add('array_append', ia(a), i4('9'));
  add('array_prepend', i4('9'), ia(a));
  add('array_cat', ia(a), ia('{7,8}'));
  add('array_position', ia(a), i4('2'));
  add('array_positions', ia(a), i4('2'));
  add('array_remove', ia(a), i4('2'));
  add('array_replace', ia(a), i4('2'), i4('5'));
  add('array_lower', ia(a), i4('1'));
  add('array_upper', ia(a), i4('1'));
  add('array_ndims', ia(a));
  add('array_dims', ia(a));
  add('array_to_string', ia(a), t(','), t('*'));
}
add('trim_array', ia('{1,2,3}'), i4('2'));
add('num_nulls', i4('1'), t('NULL'), i4('NULL'));

const aggCases: [string, DataType[], string[][]][] = [];
const col = (...vs: string[]): string[][] => vs.map((v) => [v]);
for (const [ty, vals] of [
  [T.int4, col('1', '2', '3', 'NULL', '10')],
  [T.int8, col('9223372036854775807', '1')],
  [T.numeric, col('1.50', '2.25', '-0.125')],
  [T.float8, col('0.1', '0.2', '0.3')],
] as const) {
  for (const f of [
    'count',
    'sum',
    'avg',
    'min',
    'max',
    'stddev_samp',
    'stddev_pop',
    'var_samp',
    'var_pop',
  ])
    aggCases.push([f, [ty], vals as unknown as string[][]]);
}
aggCases.push(['sum', [T.interval], col('1 day', '2 hours 3 minutes')]);
aggCases.push(['avg', [T.interval], col('1 day', '2 hours 3 minutes')]);
aggCases.push(['max', [T.text], col('apple', 'Banana', 'cherry')]);
aggCases.push(['min', [T.date], col('2020-01-01', '1999-12-31')]);
aggCases.push(['bit_and', [T.int4], col('7', '3', '-1')]);
aggCases.push(['bit_or', [T.int4], col('1', '4', '-8')]);
aggCases.push(['bool_and', [T.boolean], col('true', 'false')]);
aggCases.push([
  'string_agg',
  [T.text, T.text],
  [
    ['a', ','],
    ['b', ';'],
    ['NULL', ','],
    ['c', ','],
  ],
]);
aggCases.push(['array_agg', [T.int4], col('3', 'NULL', '1')]);
aggCases.push(['jsonb_agg', [T.text], col('x', 'NULL')]);
aggCases.push([
  'jsonb_object_agg',
  [T.text, T.int4],
  [
    ['k', '1'],
    ['j', 'NULL'],
  ],
]);
aggCases.push(['avg', [T.int4], col('1', '2')]);
aggCases.push(['sum', [T.int4], []]);

function aggSql(name: string, types: DataType[], rows: string[][]): string {
  const cols = types.map((_, k) => `c${k}`);
  const values = rows.length
    ? `(values ${rows.map((r) => `(${r.map((v, k) => lit([v, types[k]!])).join(', ')})`).join(', ')}) as v(${cols.join(', ')})`
    : `(select ${types.map((ty, k) => `NULL::${sqlName(ty)} as c${k}`).join(', ')} where false) as v`;
  return `select ${name}(${cols.join(', ')}) from ${values}`;
}

const available = postgresAvailable();

describe.skipIf(!available)('function results match PostgreSQL 15', () => {
  let server: PostgresServer;
  let client: pg.Client;
  beforeAll(async () => {
    server = await startPostgres();
    client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await client.query(`set timezone = 'UTC'; set extra_float_digits = 1`);
  });
  afterAll(async () => {
    await client?.end();
    await server?.stop();
  });

  async function pgOutcome(sql: string): Promise<Outcome> {
    try {
      const r = await client.query({
        text: sql,
        rowMode: 'array',
        types: { getTypeParser: () => (v: string) => v },
      });
      return { text: (r.rows[0] as (string | null)[])[0] ?? null };
    } catch (e) {
      return { code: (e as { code?: string }).code };
    }
  }

  it(`${scalarCases.length} scalar calls`, async () => {
    const mismatches: string[] = [];
    for (const [name, args] of scalarCases) {
      const sql =
        name === 'extract'
          ? `select extract(${args[0]![0]} from ${lit(args[1]!)})`
          : `select ${name}(${args.map(lit).join(', ')})`;
      const want = await pgOutcome(sql);
      const got = sluiceScalar(name, args);
      if (want.code !== undefined ? got.code !== want.code : got.text !== want.text)
        mismatches.push(
          `${sql}\n  postgres: ${JSON.stringify(want)}\n  sluice:   ${JSON.stringify(got)}`,
        );
    }
    expect(mismatches.join('\n')).toBe('');
  });

  it(`${aggCases.length} aggregate calls`, async () => {
    const mismatches: string[] = [];
    for (const [name, types, rows] of aggCases) {
      const sql = aggSql(name, types, rows);
      const want = await pgOutcome(sql);
      const got = sluiceAggregate(name, types, rows);
      if (want.code !== undefined ? got.code !== want.code : got.text !== want.text)
        mismatches.push(
          `${sql}\n  postgres: ${JSON.stringify(want)}\n  sluice:   ${JSON.stringify(got)}`,
        );
    }
    expect(mismatches.join('\n')).toBe('');
  });
});

describe.skipIf(available)('PostgreSQL comparison', () => {
  it.skip('skipped: PostgreSQL 15 binaries not found (set SLUICE_PG_BIN)', () => {});
});
