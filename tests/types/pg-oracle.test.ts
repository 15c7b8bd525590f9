/**
 * Checks several hundred casts, operators and text round trips against a real PostgreSQL 15
 * server started in a temporary directory on a random loopback port. Skipped (with a message)
 * when the PostgreSQL binaries are not installed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { T, arrayOf, typeName, type DataType } from '../../runtime/types/datatype.js';
import type { BinaryOperator } from '../../runtime/sql/ast.js';
import { parseValue } from '../../runtime/types/parse.js';
import { canCast, castValue } from '../../runtime/types/cast.js';
import { formatValue } from '../../runtime/types/format.js';
import { resolveBinaryOperator } from '../../runtime/expr/operators.js';

const BIN = '/usr/lib/postgresql/15/bin';
const available = existsSync(join(BIN, 'initdb')) && existsSync(join(BIN, 'pg_ctl'));
if (!available) console.warn(`pg-oracle: PostgreSQL 15 binaries not found in ${BIN}; skipping`);

/** The outcome of one expression: its text and type, or an error code. */
type Outcome = { value: string | null; type: string } | { error: string };

function show(o: Outcome): string {
  return 'error' in o ? `ERROR ${o.error}` : `${o.value ?? 'NULL'} :: ${o.type}`;
}

const lit = (text: string, t: DataType): string => `'${text.replace(/'/g, "''")}'::${typeName(t)}`;

interface Case {
  sql: string;
  mine: (zone: string) => Outcome;
  zone: string;
}

function errCode(e: unknown): Outcome {
  return { error: (e as { code?: string }).code ?? `JS ${(e as Error).message}` };
}

const values: [DataType, string[]][] = [
  [T.int2, ['32767', '-3']],
  [T.int4, ['0', '-7', '2147483647', '12']],
  [T.int8, ['9223372036854775807', '-5']],
  [T.numeric, ['1.50', '-2.5', '0.001', '1e20', 'NaN', '3']],
  [T.float4, ['0.1', '3.5', '1e30']],
  [T.float8, ['0.1', '-0', '1e308', 'NaN', '2.5', '1e-10', '-Infinity']],
  [T.boolean, ['t', 'off']],
  [T.text, ['abc', '', '12', '2026-04-02']],
  [T.date, ['2026-04-02', '2024-02-29']],
  [T.time, ['23:30:00', '00:00:01.25']],
  [T.timestamp, ['2026-04-02 07:27:05.5', '2024-01-31 23:00']],
  [T.timestamptz, ['2026-03-08 01:30:00-05', '2026-11-01 05:30:00+00']],
  [T.interval, ['1 day 02:00:00', '1 mon', '-1 hour', '1.5 days']],
  [T.jsonb, ['{"b": [1, 2.50], "a": null}', '12.5', 'true', '"s"']],
];

const castTargets: DataType[] = [
  T.int2,
  T.int4,
  T.int8,
  T.numeric,
  { kind: 'numeric', precision: 5, scale: 2 },
  T.float4,
  T.float8,
  T.text,
  { kind: 'varchar', length: 3 },
  T.boolean,
  T.date,
  T.time,
  T.timestamp,
  T.timestamptz,
  T.interval,
  T.jsonb,
];

function buildCases(): Case[] {
  const cases: Case[] = [];
  for (const zone of ['UTC', 'America/New_York']) {
    // Casts.
    for (const [from, texts] of values) {
      for (const to of castTargets) {
        if (
          zone !== 'UTC' &&
          ![from.kind, to.kind].some((k) => k.startsWith('timestamp') || k === 'date')
        )
          continue;
        for (const text of texts.slice(0, 2)) {
          cases.push({
            zone,
            sql: `(${lit(text, from)})::${typeName(to)}`,
            mine: (z) => {
              const ctx = { timeZone: z, statementTime: 0n };
              try {
                const v = parseValue(text, from, ctx);
                if (!canCast(from, to)) return { error: '42846' };
                const r = castValue(v, from, to, ctx);
                const tn = typeName(to).replace(/\(.*\)/, '');
                return { value: r === null ? null : formatValue(r, to, ctx), type: tn };
              } catch (e) {
                return errCode(e);
              }
            },
          });
        }
      }
    }
  }
  // Text input and output.
  const inputs: [DataType, string[]][] = [
    [T.int4, [' 42 ', '99999999999', '1.5', '-2147483648']],
    [T.int2, ['40000', '-32768']],
    [T.boolean, ['yes', 'of', 'o', 'TRUE', '1']],
    [T.numeric, ['1.2e-3', '.5', '-0.00', 'inf', '1e', '  7  ']],
    [{ kind: 'numeric', precision: 4, scale: 1 }, ['999.94', '999.96']],
    [
      T.float8,
      ['1e-5', '123456789012345678', '1e15', '0.30000000000000004', '1e400', '4.9e-324', ' -inf'],
    ],
    [T.float4, ['1e6', '0.3', '16777217', '1e39']],
    [
      T.date,
      ['2026-4-2', 'Jan 2, 2020', '1/2/2020', '20200102', '0044-03-15 BC', '2026-02-30', 'x'],
    ],
    [T.time, ['1:02 pm', '23:59:60', '12:00:00.1234567', '25:00']],
    [
      T.timestamp,
      ['2026-04-02T07:27:05', '2026-04-02 07:27:05+09', 'epoch', 'infinity', '2020-01-01 24:00'],
    ],
    [
      T.timestamptz,
      [
        '2026-04-02 07:27:05+05:30',
        '2026-04-02 07:27:05 America/Los_Angeles',
        '2026-07-01',
        '1800-01-01 00:00',
      ],
    ],
    [
      T.interval,
      [
        '1 year 2 mons 3 days 04:05:06.7',
        'P1Y2M3DT4H5M6S',
        '-1 day +2 hours',
        '1.75 hours',
        '3 weeks ago',
        '1-2',
        'nonsense',
        '2 decades',
        '@ 5 mins',
      ],
    ],
    [T.jsonb, ['{"a":1,"a":2}', '[1.10, 1e3, -0]', '{"bb":1,"a":2,"ccc":[]}', '"\\u00e9"', '{']],
    [arrayOf(T.text), ['{a,"b c",NULL,"NULL",""}', '{ x , y }', '{"a\\"b"}']],
    [arrayOf(T.numeric), ['{1.50,NaN,NULL}']],
    [T.bytea, ['\\x0102ff', 'abc']],
  ];
  for (const zone of ['UTC', 'America/New_York']) {
    for (const [t, texts] of inputs) {
      if (zone !== 'UTC' && t.kind !== 'timestamptz') continue;
      for (const text of texts) {
        cases.push({
          zone,
          sql: lit(text, t),
          mine: (z) => {
            const ctx = { timeZone: z, statementTime: 0n };
            try {
              const v = parseValue(text, t, ctx);
              return { value: formatValue(v, t, ctx), type: typeName(t).replace(/\(.*\)/, '') };
            } catch (e) {
              return errCode(e);
            }
          },
        });
      }
    }
  }
  // Operators.
  const opCase = (
    op: BinaryOperator,
    l: string,
    lt: DataType,
    r: string,
    rt: DataType,
    zone = 'UTC',
  ): void => {
    cases.push({
      zone,
      sql: `${lit(l, lt)} ${op} ${lit(r, rt)}`,
      mine: (z) => {
        const ctx = { timeZone: z, statementTime: 0n };
        const o = resolveBinaryOperator(op, lt, rt);
        if (!o) return { error: '42883' };
        try {
          const lv = castValue(parseValue(l, lt, ctx), lt, o.leftType, ctx);
          const rv = castValue(parseValue(r, rt, ctx), rt, o.rightType, ctx);
          const v = o.eval(lv, rv, ctx);
          return {
            value: v === null ? null : formatValue(v, o.returnType, ctx),
            type: typeName(o.returnType),
          };
        } catch (e) {
          return errCode(e);
        }
      },
    });
  };
  const nums: [DataType, string[]][] = [
    [T.int2, ['7', '-3']],
    [T.int4, ['2147483647', '-7', '0']],
    [T.int8, ['9223372036854775807', '3']],
    [T.numeric, ['1.50', '-0.3']],
    [T.float4, ['0.1', '3']],
    [T.float8, ['0.1', '-2.5']],
  ];
  for (const op of ['+', '-', '*', '/', '%', '^', '=', '<', '>='] as BinaryOperator[]) {
    for (const [lt, lv] of nums)
      for (const [rt, rv] of nums) {
        // Float `^` is left out: JS Math.pow and C's pow() may differ in the last bit.
        if (op === '^' && (lt.kind.startsWith('float') || rt.kind.startsWith('float'))) continue;
        opCase(op, lv[0]!, lt, rv[rv.length - 1]!, rt);
        if (op === '+' || op === '/' || op === '*') opCase(op, lv[1]!, lt, rv[0]!, rt);
      }
  }
  for (const op of ['&', '|', '#', '<<', '>>'] as BinaryOperator[]) {
    opCase(op, '12', T.int4, '3', T.int4);
    opCase(op, '-12', T.int8, '3', T.int4);
    opCase(op, '12', T.int2, '2', T.int2);
  }
  const temporal: [BinaryOperator, string, DataType, string, DataType][] = [
    ['+', '2026-04-02', T.date, '30', T.int4],
    ['-', '2026-04-02', T.date, '30', T.int4],
    ['-', '2026-04-02', T.date, '2025-04-02', T.date],
    ['+', '2026-04-02', T.date, '1 mon 2 hours', T.interval],
    ['-', '2026-03-31', T.date, '1 mon', T.interval],
    ['+', '2026-04-02', T.date, '12:30', T.time],
    ['+', '2026-01-31 10:00', T.timestamp, '1 mon', T.interval],
    ['+', '2024-02-29 10:00', T.timestamp, '1 year 1 day 25 hours', T.interval],
    ['-', '2026-04-02 10:00', T.timestamp, '2026-01-01 11:30:00.5', T.timestamp],
    ['-', '2026-01-01', T.timestamp, '2026-04-02 10:00', T.timestamp],
    ['+', '2026-03-07 12:00', T.timestamptz, '1 day', T.interval],
    ['+', '2026-03-07 12:00', T.timestamptz, '24 hours', T.interval],
    ['-', '2026-11-02 00:00', T.timestamptz, '2026-11-01 00:00', T.timestamptz],
    ['+', '23:00', T.time, '2 hours 5 minutes', T.interval],
    ['-', '01:00', T.time, '23:00', T.time],
    ['+', '1 day', T.interval, '-3 hours', T.interval],
    ['*', '1 mon 1 day', T.interval, '1.5', T.float8],
    ['/', '1 mon', T.interval, '7', T.float8],
    ['<', '2026-04-02', T.date, '2026-04-02 00:00:01', T.timestamp],
    ['=', '2026-04-02', T.date, '2026-04-02 00:00:00+00', T.timestamptz],
    ['=', '1 mon', T.interval, '30 days', T.interval],
    ['+', '2026-04-02 10:00', T.timestamp, '1 hour', T.unknown],
    ['-', '2026-04-02', T.date, '2026-01-01', T.unknown],
    ['->', '{"a": {"b": 1}}', T.jsonb, 'a', T.unknown],
    ['->>', '[1, "x"]', T.jsonb, '1', T.int4],
    ['#>', '{"a": {"b": [1, 2]}}', T.jsonb, '{a,b,1}', arrayOf(T.text)],
    ['@>', '{"a": 1, "b": [1, 2]}', T.jsonb, '{"b": [2]}', T.jsonb],
    ['?', '["a", "b"]', T.jsonb, 'b', T.unknown],
    ['?&', '{"a": 1, "b": 2}', T.jsonb, '{a,c}', arrayOf(T.text)],
    ['||', '{"a": 1}', T.jsonb, '{"b": 2}', T.jsonb],
    ['||', 'ab', T.text, '12', T.int4],
    ['||', '1.50', T.numeric, 'x', T.unknown],
    ['||', '{1,2}', arrayOf(T.int4), '{3}', arrayOf(T.int4)],
    ['@>', '{1,2,3}', arrayOf(T.int4), '{2,2}', arrayOf(T.int4)],
    ['&&', '{a,b}', arrayOf(T.text), '{c,b}', arrayOf(T.text)],
    ['<', '{1,2}', arrayOf(T.int4), '{1,2,0}', arrayOf(T.int4)],
    ['<', 'B', T.text, 'a', T.text],
    ['=', 'abc', { kind: 'varchar', length: 5 }, 'abc', T.text],
  ];
  for (const [op, l, lt, r, rt] of temporal) {
    opCase(op, l, lt, r, rt);
    if (lt.kind === 'timestamptz' || rt.kind === 'timestamptz')
      opCase(op, l, lt, r, rt, 'America/New_York');
  }
  return cases;
}

describe.skipIf(!available)('PostgreSQL 15 oracle', () => {
  let dir = '';
  let port = 0;
  let client: pg.Client | undefined;
  const asPg = process.getuid?.() === 0;
  const run = (args: string[]): ReturnType<typeof spawnSync> =>
    asPg
      ? spawnSync('runuser', ['-u', 'postgres', '--', ...args], { encoding: 'utf8' })
      : spawnSync(args[0]!, args.slice(1), { encoding: 'utf8' });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-pg-oracle-'));
    chmodSync(dir, 0o777);
    const data = join(dir, 'data');
    const init = run([join(BIN, 'initdb'), '-D', data, '-A', 'trust', '-U', 'postgres']);
    if (init.status !== 0) throw new Error(`initdb failed: ${String(init.stderr)}`);
    port = 20000 + Math.floor(Math.random() * 20000);
    const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    const start = run([
      join(BIN, 'pg_ctl'),
      '-D',
      data,
      '-o',
      opts,
      '-l',
      join(dir, 'log'),
      '-w',
      'start',
    ]);
    if (start.status !== 0) throw new Error(`pg_ctl start failed: ${String(start.stderr)}`);
    client = new pg.Client({
      host: '127.0.0.1',
      port,
      user: 'postgres',
      database: 'postgres',
      types: { getTypeParser: () => (v: string) => v },
    });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end().catch(() => undefined);
    if (dir) {
      run([join(BIN, 'pg_ctl'), '-D', join(dir, 'data'), '-m', 'immediate', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('agrees on casts, operators and output formats', async () => {
    const cases = buildCases();
    expect(cases.length).toBeGreaterThan(300);
    const mismatches: string[] = [];
    let zone = '';
    for (const c of cases) {
      if (c.zone !== zone) {
        await client!.query(`SET TimeZone = '${c.zone}'`);
        zone = c.zone;
      }
      let theirs: Outcome;
      try {
        const r = await client!.query(`SELECT ${c.sql} AS v, pg_typeof(${c.sql})::text AS t`);
        const row = r.rows[0] as { v: string | null; t: string };
        theirs = { value: row.v, type: row.t };
      } catch (e) {
        theirs = { error: (e as { code: string }).code };
      }
      const mine = c.mine(c.zone);
      if (show(mine) !== show(theirs))
        mismatches.push(
          `[${c.zone}] ${c.sql}\n    sluice:   ${show(mine)}\n    postgres: ${show(theirs)}`,
        );
    }
    expect(mismatches.slice(0, 40).join('\n')).toBe('');
  });
});
