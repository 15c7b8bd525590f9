/** The system catalog relations computed from the engine's catalog (pg_catalog, information_schema). */
import { describe, expect, test } from 'vitest';
import { Database } from '../../runtime/engine.js';
import { SYSTEM_RELATIONS, systemRelation } from '../../runtime/catalog/system/index.js';

function setup() {
  const db = new Database();
  const s = db.connect();
  s.execute(
    'create table orders (id bigint primary key, note varchar(20), amount numeric(10,2) not null)',
  );
  s.execute('create materialized view totals as select count(*) as n from orders');
  return { db, s };
}

const rowsOf = (schema: string | undefined, name: string, db: Database, s = db.connect()) => {
  const rel = systemRelation(schema, name)!;
  return rel
    .rows(db.catalog, s.settings)
    .map((r) => Object.fromEntries(rel.columns.map((c, i) => [c.name, r[i]])));
};

describe('system relations', () => {
  test('every relation produces rows of its declared width', () => {
    const { db, s } = setup();
    for (const rel of SYSTEM_RELATIONS)
      for (const row of rel.rows(db.catalog, s.settings))
        expect(row).toHaveLength(rel.columns.length);
  });

  test('pg_class and pg_attribute describe user relations', () => {
    const { db } = setup();
    const classes = rowsOf('pg_catalog', 'pg_class', db);
    expect(classes.map((c) => [c.relname, c.relkind])).toEqual([
      ['orders', 'r'],
      ['orders_pkey', 'i'],
      ['totals', 'm'],
    ]);
    const orders = classes.find((c) => c.relname === 'orders')!;
    const attrs = rowsOf(undefined, 'pg_attribute', db).filter((a) => a.attrelid === orders.oid);
    expect(attrs.map((a) => [a.attname, a.atttypid, a.attnum, a.atttypmod, a.attnotnull])).toEqual([
      ['id', 20n, 1, -1, true],
      ['note', 1043n, 2, 24, false],
      ['amount', 1700n, 3, (10 << 16) + 2 + 4, true],
    ]);
    const idx = rowsOf('pg_catalog', 'pg_index', db);
    expect(idx).toEqual([
      expect.objectContaining({ indrelid: orders.oid, indisprimary: true, indkey: '1' }),
    ]);
  });

  test('information_schema tables and columns', () => {
    const { db } = setup();
    expect(
      rowsOf('information_schema', 'tables', db).map((t) => [t.table_name, t.table_type]),
    ).toEqual([
      ['orders', 'BASE TABLE'],
      ['totals', 'VIEW'],
    ]);
    const c = rowsOf('information_schema', 'columns', db).filter((r) => r.table_name === 'orders');
    expect(c.map((r) => [r.column_name, r.data_type, r.udt_name])).toEqual([
      ['id', 'bigint', 'int8'],
      ['note', 'character varying', 'varchar'],
      ['amount', 'numeric', 'numeric'],
    ]);
    expect(systemRelation(undefined, 'tables')).toBeUndefined();
  });

  test('pg_type lists array types with their element', () => {
    const { db } = setup();
    const types = rowsOf('pg_catalog', 'pg_type', db);
    const intArray = types.find((t) => t.typname === '_int4')!;
    expect(intArray).toMatchObject({ oid: 1007n, typcategory: 'A', typelem: 23n });
  });
});
