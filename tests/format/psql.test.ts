/**
 * formatPsqlTable against real psql: each query runs through psql (its default aligned output)
 * on a throwaway PostgreSQL server, and through node-postgres to get the raw text values and
 * column types that formatPsqlTable receives. The two outputs must be identical.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatPsqlError, formatPsqlTable, type PsqlColumn } from '../../runtime/format/psql.js';
import { T, type DataType } from '../../runtime/types/datatype.js';
import { runPsql, runPsqlRaw, startPostgres, type PostgresServer } from '../support/postgres.js';

/** PostgreSQL type OIDs → the Sluice type that decides alignment. */
function typeOfOid(oid: number): DataType {
  switch (oid) {
    case 16:
      return T.boolean;
    case 20:
      return T.int8;
    case 21:
      return T.int2;
    case 23:
      return T.int4;
    case 700:
      return T.float4;
    case 701:
      return T.float8;
    case 1700:
      return T.numeric;
    case 1184:
      return T.timestamptz;
    default:
      return T.text;
  }
}

const CASES: Record<string, string> = {
  'single text column wider than header': `select 'hello' as x`,
  'headers wider than data': `select 1 as averyverylongname, 'ab' as anotherlongname`,
  'odd centring gap': `select 123456 as n, 'abc' as t`,
  'multi-line value in a middle column': `select 1 as n, 'a' || chr(10) || 'bbbb' || chr(10) || 'c' as ml, 'z' as last`,
  'multi-line value in the last column': `select 1 as n, 'a' || chr(10) || 'bbbb' as ml`,
  'trailing newline': `select 'x' || chr(10) as t, 1 as n`,
  'rows of different heights': `select 'a' || chr(10) || 'b' as x union all select 'ccc'`,
  'tabs, CR and control characters': `select 'ab' || chr(9) || 'c' as t, 'x' || chr(13) || 'y' as cr, 'a' || chr(1) || chr(127) as ctl, 'p' || chr(133) || 'q' as c1, 'q' as q`,
  'wide and combining characters': `select '日本語' as w, 'é' as e, 'e' || U&'\\0301' as comb, 'ｶﾀｶﾅ' as half, 1 as n`,
  'multi-line headers': `select 1 as "col\nname", 'x' as "b\nlonger header"`,
  'nulls left and right aligned': `select null::int as n, 'v' as v, null::text as t union all select 7, null, 'w'`,
  'null in right-aligned last column': `select 'v' as v, null::int8 as n`,
  'empty string vs null': `select ''::text as empty, null::text as nul`,
  'numeric types right-aligned': `select 1.5::float8 as f, 2.5::float4 as r, -2::int8 as i, 3::int2 as s, 3.250::numeric as d, true as b, now()::date - now()::date as diff`,
  'zero rows': `select 1 as x, 'a' as y where false`,
  'many rows': `select g as n, repeat('x', g) as s from generate_series(1, 12) g`,
  'no columns': `select`,
  'duplicate and unicode names': `select 'a' as "Ünïcode", 'b' as "x", 'c' as "x"`,
  'timestamptz and long text': `select '2026-04-02 07:27:45+00'::timestamptz as ts, 'some much longer text value here' as note`,
};

describe('formatPsqlTable matches psql', () => {
  let server: PostgresServer;
  let client: pg.Client;

  beforeAll(async () => {
    server = await startPostgres();
    client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await client.query(`SET TimeZone = 'UTC'`);
  });
  afterAll(async () => {
    await client?.end();
    await server?.stop();
  });

  for (const [name, sql] of Object.entries(CASES)) {
    test(name, async () => {
      const expected = runPsql(server, `SET TimeZone = 'UTC'; ${sql}`);
      const res = await client.query({
        text: sql,
        rowMode: 'array',
        types: { getTypeParser: () => (v: string) => v },
      });
      const columns: PsqlColumn[] = res.fields.map((f) => ({
        name: f.name,
        type: typeOfOid(f.dataTypeID),
      }));
      const rows = (res.rows as (string | null)[][]).map((r) => r.map((v) => v ?? null));
      expect(formatPsqlTable(columns, rows)).toBe(expected);
    });
  }
});

const ERROR_CASES: Record<string, string> = {
  'syntax error on line 1': `select 1 +* 2`,
  'error on a later line': `select 1,\n  2,\n  nope_col\nfrom (select 1) s`,
  'CRLF line ends': `select 1,\r\n  nope_col`,
  'tab before the position': `select\t\tnope_col`,
  'long line, position near the start': `select nope_col, ${'1111111111, '.repeat(8)}2`,
  'long line, position in the middle': `select ${'1111111111, '.repeat(5)}nope_col, ${'2222222222, '.repeat(5)}3`,
  'long line, position near the end': `select ${'1111111111, '.repeat(8)}nope_col`,
  'wide characters before the position': `select '日本語日本語', nope_col`,
  'error with a hint': `select nope_fn(1)`,
  'error without a position': `select 1/0`,
  'error with a detail': `select '{1,2'::int[]`,
};

describe('formatPsqlError matches psql', () => {
  let server: PostgresServer;
  let client: pg.Client;
  beforeAll(async () => {
    server = await startPostgres();
    client = new pg.Client({ connectionString: server.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await server?.stop();
  });

  for (const [name, sql] of Object.entries(ERROR_CASES)) {
    test(name, async () => {
      const psql = runPsqlRaw(server, sql);
      expect(psql.status).toBe(1);
      const err = (await client.query(sql).then(
        () => null,
        (e: unknown) => e,
      )) as pg.DatabaseError | null;
      expect(err).not.toBeNull();
      const position = err!.position ? Number(err!.position) : undefined;
      expect(formatPsqlError(err!.message, sql, position, err!.detail, err!.hint)).toBe(
        psql.stderr,
      );
    });
  }
});

describe('formatPsqlTable on the purchase-revenue scenario', () => {
  test('prints the expected tables of scenarios/seed_revenue.expected', () => {
    const shared = [join(process.cwd(), '../shared'), '/work/shared'].find((d) => {
      try {
        readFileSync(join(d, 'scenarios/seed_revenue.expected'));
        return true;
      } catch {
        return false;
      }
    });
    expect(shared).toBeDefined();
    const expected = readFileSync(join(shared!, 'scenarios/seed_revenue.expected'), 'utf8');
    const out =
      formatPsqlTable(
        [
          { name: 'user_id', type: T.int8 },
          { name: 'total_revenue', type: T.numeric },
        ],
        [
          ['102', '99.00'],
          ['101', '89.49'],
        ],
      ) +
      formatPsqlTable(
        [
          { name: 'user_id', type: T.int8 },
          { name: 'purchase_count', type: T.int8 },
          { name: 'total_revenue', type: T.numeric },
          { name: 'last_event_ts', type: T.timestamptz },
        ],
        [
          ['101', '2', '89.49', '2026-04-02 07:27:45+00'],
          ['102', '1', '99.00', '2026-04-02 07:27:20+00'],
          ['103', '0', null, '2026-04-02 07:28:40+00'],
        ],
      ) +
      formatPsqlTable(
        [
          { name: 'window_start', type: T.timestamptz },
          { name: 'window_end', type: T.timestamptz },
          { name: 'event_count', type: T.int8 },
          { name: 'window_revenue', type: T.numeric },
        ],
        [['2026-04-02 07:27:00+00', '2026-04-02 07:28:00+00', '3', '188.49']],
      );
    // psql pads the header's last column with spaces; the scenario file is stored with trailing
    // whitespace stripped, so compare line by line without it (the psql cases above are exact).
    const strip = (s: string): string =>
      s
        .split('\n')
        .map((l) => l.trimEnd())
        .join('\n')
        .trimEnd();
    expect(strip(out)).toBe(strip(expected));
  });
});
