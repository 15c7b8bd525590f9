/**
 * Catalog information functions and object-identifier casts, through the embedded engine:
 * what psql's and drivers' introspection queries compute.
 */
import { describe, expect, test } from 'vitest';
import { Database, type Session } from '../../runtime/engine.js';

function setup(): Session {
  const s = new Database().connect();
  s.execute('create table orders (id bigint primary key, note varchar(20), amount numeric(10,2))');
  s.execute('create view big as select id from orders where amount > 10');
  s.execute('create materialized view totals as select count(*) as n from orders');
  return s;
}

const one = (s: Session, sql: string): unknown => s.execute(sql).at(-1)!.rows![0]![0];

describe('object-identifier casts', () => {
  test("'name'::regclass is the relation's pg_class oid; ::regclass::text its name", () => {
    const s = setup();
    const oid = one(s, "select oid from pg_class where relname = 'orders'");
    expect(one(s, "select 'orders'::regclass")).toBe(oid);
    expect(one(s, "select 'public.orders'::pg_catalog.regclass")).toBe(oid);
    expect(one(s, "select c.oid::regclass::text from pg_class c where relname = 'totals'")).toBe(
      'totals',
    );
    expect(one(s, "select 'orders'::regclass::text")).toBe('orders');
    expect(one(s, 'select 999999::regclass::text')).toBe('999999');
    expect(() => s.execute("select 'nosuch'::regclass")).toThrow(
      'relation "nosuch" does not exist',
    );
  });

  test('regtype, regnamespace and regrole', () => {
    const s = setup();
    expect(one(s, "select 'integer'::regtype")).toBe(23n);
    expect(one(s, "select 'varchar'::regtype::text")).toBe('character varying');
    expect(one(s, 'select 1184::regtype::text')).toBe('timestamp with time zone');
    expect(one(s, "select 'public'::regnamespace")).toBe(2200n);
    expect(one(s, 'select 11::regnamespace::text')).toBe('pg_catalog');
    expect(one(s, "select 'root'::regrole")).toBe(10n);
    expect(() => s.execute("select 'nosuchtype'::regtype")).toThrow('does not exist');
    expect(one(s, 'select 0::regproc::text')).toBe('-');
    expect(() => s.execute("select 'f'::regproc")).toThrow('function "f" does not exist');
  });

  test('attrelid = name::regclass joins pg_attribute', () => {
    const s = setup();
    const rows = s.execute(
      "select attname, format_type(atttypid, atttypmod) from pg_attribute where attrelid = 'orders'::regclass order by attnum",
    )[0]!.rows;
    expect(rows).toEqual([
      ['id', 'bigint'],
      ['note', 'character varying(20)'],
      ['amount', 'numeric(10,2)'],
    ]);
  });
});

describe('catalog functions', () => {
  test('format_type', () => {
    const s = setup();
    expect(one(s, 'select format_type(1043, 24)')).toBe('character varying(20)');
    expect(one(s, 'select format_type(1007, -1)')).toBe('integer[]');
    expect(one(s, 'select format_type(16, null)')).toBe('boolean');
    expect(one(s, 'select format_type(null, 1)')).toBe(null);
    expect(one(s, 'select format_type(424242, -1)')).toBe('???');
  });

  test('visibility, owners, encodings, privileges, descriptions', () => {
    const s = setup();
    const oid = one(s, "select 'orders'::regclass");
    expect(one(s, `select pg_table_is_visible(${String(oid)})`)).toBe(true);
    expect(one(s, 'select pg_catalog.pg_table_is_visible(12345678)')).toBe(false);
    expect(one(s, 'select pg_get_userbyid(10)')).toBe('root');
    expect(one(s, 'select pg_get_userbyid(77)')).toBe('unknown (OID=77)');
    expect(one(s, 'select pg_encoding_to_char(6)')).toBe('UTF8');
    expect(one(s, "select has_table_privilege('orders', 'select')")).toBe(true);
    expect(one(s, `select obj_description(${String(oid)}, 'pg_class')`)).toBe(null);
    expect(one(s, `select col_description(${String(oid)}, 1)`)).toBe(null);
  });

  test('primary-key index and constraint definitions', () => {
    const s = setup();
    const [idx, con] = s.execute(
      "select i.indexrelid, c.oid from pg_index i join pg_constraint c on c.conindid = i.indexrelid where i.indrelid = 'orders'::regclass",
    )[0]!.rows![0]!;
    expect(one(s, `select pg_get_indexdef(${String(idx)}, 0, true)`)).toBe(
      'CREATE UNIQUE INDEX orders_pkey ON public.orders USING btree (id)',
    );
    expect(one(s, `select pg_get_indexdef(${String(idx)}, 1, true)`)).toBe('id');
    expect(one(s, `select pg_get_constraintdef(${String(con)}, true)`)).toBe('PRIMARY KEY (id)');
    expect(one(s, 'select pg_get_constraintdef(1)')).toBe(null);
  });

  test('pg_get_viewdef prints the defining query', () => {
    const s = setup();
    expect(one(s, "select pg_get_viewdef('big'::regclass, true)")).toBe(
      ' SELECT id FROM orders WHERE amount > 10;',
    );
  });

  test('current_setting reads the session settings', () => {
    const s = setup();
    expect(one(s, "select current_setting('server_version_num')")).toBe('130014');
    expect(one(s, "select current_setting('timezone')")).toBe('UTC');
    s.execute("set time zone 'Asia/Tokyo'");
    expect(one(s, "select current_setting('TimeZone')")).toBe('Asia/Tokyo');
    s.execute('set application_name = myapp');
    expect(one(s, "select current_setting('application_name')")).toBe('myapp');
    expect(one(s, "select current_setting('no_such_setting', true)")).toBe(null);
    expect(() => s.execute("select current_setting('no_such_setting')")).toThrow(
      'unrecognized configuration parameter "no_such_setting"',
    );
  });

  test('catalog functions read the catalog at run time, not at bind time', () => {
    const s = setup();
    const p = s.prepare("select 'later'::regclass::text");
    s.execute('create table later (x int)');
    expect(s.executePrepared(p).rows).toEqual([['later']]);
  });
});
