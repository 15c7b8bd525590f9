/**
 * psql's describe commands (`\d`, `\dt`, `\dm`, `\dv`, `\di`, `\d name`, `\d+ name`, `\l`,
 * `\dn`, `\du`) through Debian's psql against a real `sluice serve` process: each runs psql's
 * own catalog queries and must print the relations with their columns and types.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ServerProcess, startServe } from './helpers.js';

let server: ServerProcess;

function psql(...commands: string[]) {
  const r = spawnSync(
    'psql',
    [
      '-h',
      '127.0.0.1',
      '-p',
      String(server.pgPort),
      '-U',
      'root',
      '-d',
      'dev',
      '-X',
      ...commands.flatMap((c) => ['-c', c]),
    ],
    { encoding: 'utf8', timeout: 30_000, env: { ...process.env, PGCONNECT_TIMEOUT: '10' } },
  );
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

beforeAll(async () => {
  server = await startServe();
  const r = psql(
    'create table orders (id int primary key, customer varchar(20), amount numeric(10,2) not null, placed timestamptz)',
    'create view big_orders as select id, amount from orders where amount > 100',
    'create materialized view revenue as select customer, sum(amount) as total, count(*) as n from orders group by customer',
    'create table notes (body text)',
  );
  expect(r.stderr).toBe('');
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

/** Data rows of a psql aligned table, as trimmed cells. */
function cells(out: string): string[][] {
  return out
    .split('\n')
    .filter((l) => l.includes('|') && !/^-+\+/.test(l))
    .slice(1)
    .map((l) => l.split('|').map((c) => c.trim()));
}

describe('psql describe commands', () => {
  test('\\d lists tables, views and materialized views with their kinds and owner', () => {
    const r = psql('\\d');
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('List of relations');
    expect(cells(r.stdout)).toEqual([
      ['public', 'big_orders', 'view', 'root'],
      ['public', 'notes', 'table', 'root'],
      ['public', 'orders', 'table', 'root'],
      ['public', 'revenue', 'materialized view', 'root'],
    ]);
  });

  test('\\dt, \\dv, \\dm and \\di each list one kind', () => {
    const r = psql('\\dt', '\\dv', '\\dm', '\\di');
    expect(r.stderr).toBe('');
    const names = r.stdout
      .split('List of relations')
      .slice(1)
      .map((part) => cells(part).map((c) => `${c[1]}:${c[2]}`));
    expect(names).toEqual([
      ['notes:table', 'orders:table'],
      ['big_orders:view'],
      ['revenue:materialized view'],
      ['orders_pkey:index'],
    ]);
  });

  test('\\d table shows columns, types, nullability and the primary key', () => {
    const r = psql('\\d orders');
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Table "public.orders"');
    expect(cells(r.stdout)).toEqual([
      ['id', 'integer', '', 'not null', ''],
      ['customer', 'character varying(20)', '', '', ''],
      ['amount', 'numeric(10,2)', '', 'not null', ''],
      ['placed', 'timestamp with time zone', '', '', ''],
    ]);
    expect(r.stdout).toContain('Indexes:\n    "orders_pkey" PRIMARY KEY, btree (id)');
  });

  test('\\d view and \\d materialized view show their columns', () => {
    const r = psql('\\d big_orders', '\\d revenue');
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('View "public.big_orders"');
    expect(r.stdout).toContain('Materialized view "public.revenue"');
    const [view, mv] = r.stdout.split('Materialized view').map(cells);
    expect(view).toEqual([
      ['id', 'integer', '', '', ''],
      ['amount', 'numeric(10,2)', '', '', ''],
    ]);
    expect(mv).toEqual([
      ['customer', 'character varying(20)', '', '', ''],
      ['total', 'numeric', '', '', ''],
      ['n', 'bigint', '', '', ''],
    ]);
  });

  test('\\d+ materialized view prints its definition', () => {
    const r = psql('\\d+ revenue');
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('View definition:');
    expect(r.stdout).toMatch(
      /SELECT customer, sum\(amount\) AS total, count\(\*\) AS n FROM orders/,
    );
  });

  test('\\d index shows its key columns', () => {
    const r = psql('\\d orders_pkey');
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Index "public.orders_pkey"');
    expect(cells(r.stdout)).toEqual([['id', 'integer', 'yes', 'id']]);
    expect(r.stdout).toContain('primary key, btree, for table "public.orders"');
  });

  test('\\d of an unknown name says so', () => {
    const r = psql('\\d nosuch');
    expect(r.stderr).toContain('Did not find any relation named "nosuch".');
  });

  test.each([
    '\\l+',
    '\\dn+',
    '\\dt+',
    '\\dm+',
    '\\di+',
    '\\dp',
    '\\df+',
    '\\dT+',
    '\\dC',
    '\\do',
    '\\dy',
    '\\dD',
    '\\dx',
    '\\dconfig',
  ])('%s runs without error', (command) => {
    const r = psql(command);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  test('\\sv prints a view definition', () => {
    const r = psql('\\sv big_orders');
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('CREATE OR REPLACE VIEW public.big_orders AS');
    expect(r.stdout).toContain('SELECT id, amount FROM orders WHERE amount > 100');
  });

  test('\\l, \\dn and \\du', () => {
    const r = psql('\\l', '\\dn', '\\du');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/ dev +\| root +\| UTF8 /);
    expect(r.stdout).toContain('List of schemas');
    expect(r.stdout).toMatch(/ public \| root\n/);
    expect(r.stdout).toMatch(/ root +\| Superuser/);
  });
});
