/**
 * Sources in the catalog: SHOW SOURCES, DESCRIBE, SHOW CREATE, DROP SOURCE (refused with
 * dependents unless CASCADE), reading a source directly (refused), and the errors of CREATE
 * SOURCE / CREATE TABLE ... WITH (connector = ...).
 */
import { describe, expect, test } from 'vitest';
import { Database } from '../../runtime/engine.js';
import { lines, manualLoop } from './helpers.js';

const NEXMARK = `CREATE SOURCE nx (event_type BIGINT, bid STRUCT<auction BIGINT, price BIGINT>)
  WITH (connector = 'nexmark', nexmark.event.num = '1000')`;

function fails(f: () => unknown, code: string, message: RegExp): void {
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expect(error, 'an error').toBeDefined();
  expect(error).toMatchObject({ code });
  expect((error as Error).message).toMatch(message);
}

describe('sources in the catalog', () => {
  test('SHOW SOURCES, SHOW TABLES, DESCRIBE and SHOW CREATE SOURCE', () => {
    const s = new Database().connect();
    s.execute(NEXMARK);
    s.execute("CREATE SOURCE gen (a INT, b INT AS a * 2) WITH (connector = 'datagen')");
    s.execute("CREATE TABLE t (x INT) WITH (connector = 'datagen')");
    const shown = s.execute('SHOW SOURCES')[0]!;
    expect(shown.columns!.map((c) => c.name)).toEqual(['Name']);
    expect(shown.rows).toEqual([['gen'], ['nx']]);
    expect(lines(s, "SHOW SOURCES LIKE 'n%'")).toEqual(['nx']);
    expect(lines(s, 'SHOW TABLES')).toEqual(['t']);
    expect(s.execute('DESCRIBE gen')[0]!.rows!.map((r) => r.slice(0, 2))).toEqual([
      ['a', 'integer'],
      ['b', 'integer'],
    ]);
    expect(s.execute('SHOW CREATE SOURCE nx')[0]!.rows![0]![1]).toMatch(
      /^CREATE SOURCE nx \(event_type BIGINT, bid STRUCT<auction BIGINT, price BIGINT>\) WITH \(connector = 'nexmark'/,
    );
    expect(
      lines(
        s,
        "SELECT relname, relkind FROM pg_catalog.pg_class WHERE relname IN ('nx', 'gen', 't')",
      ),
    ).toEqual(['gen|f', 'nx|f', 't|r']);
    s.execute("CREATE SOURCE IF NOT EXISTS nx (a INT) WITH (connector = 'datagen')");
    fails(() => s.execute(NEXMARK), '42P07', /relation "nx" already exists/);
  });

  test('DROP SOURCE: refused with dependents unless CASCADE, IF EXISTS, wrong kinds', async () => {
    const db = new Database();
    const s = db.connect();
    s.execute(NEXMARK);
    s.execute('CREATE VIEW bids AS SELECT (bid).auction, (bid).price FROM nx WHERE event_type = 2');
    s.execute('CREATE MATERIALIZED VIEW top AS SELECT max(price) AS m FROM bids');
    s.execute('CREATE MATERIALIZED VIEW n AS SELECT count(*) AS c FROM nx');
    const { loop, advance } = manualLoop(db);
    await advance(1);
    await advance(1000);
    expect(lines(s, 'SELECT * FROM n')).toEqual(['1000']);
    fails(
      () => s.execute('DROP SOURCE nx'),
      '2BP01',
      /cannot drop source nx because other objects depend on it/,
    );
    fails(() => s.execute('DROP TABLE nx'), '42809', /"nx" is not a table/);
    s.execute('CREATE TABLE plain (x INT)');
    fails(() => s.execute('DROP SOURCE plain'), '42809', /"plain" is not a source/);
    s.execute('DROP SOURCE nx CASCADE');
    expect(lines(s, 'SHOW SOURCES')).toEqual([]);
    expect(lines(s, 'SHOW MATERIALIZED VIEWS')).toEqual([]);
    expect(lines(s, 'SHOW VIEWS')).toEqual([]);
    expect(loop.status()).toEqual([]);
    expect(db.graph.tableSources.size).toBe(0);
    expect(s.execute('DROP SOURCE IF EXISTS nx')[0]!.notices).toEqual([
      'source "nx" does not exist, skipping',
    ]);
    fails(() => s.execute('DROP SOURCE nx'), '42P01', /source "nx" does not exist/);
    // The name is free again; the new source starts at offset 0.
    s.execute(NEXMARK);
    expect(loop.status()[0]!.offset).toBe(0);
  });

  test('a source cannot be read or written directly', () => {
    const s = new Database().connect();
    s.execute(NEXMARK);
    s.execute('CREATE VIEW v AS SELECT event_type FROM nx');
    fails(() => s.execute('SELECT * FROM nx'), '0A000', /cannot read source "nx" directly/);
    fails(() => s.execute('SELECT count(*) FROM v'), '0A000', /cannot read source "nx" directly/);
    fails(
      () => s.execute('INSERT INTO nx (event_type) VALUES (1)'),
      '42809',
      /cannot insert into source "nx"/,
    );
    fails(() => s.execute('DELETE FROM nx'), '42809', /cannot delete from source "nx"/);
  });

  test('connector errors name what is wrong and leave nothing behind', () => {
    const db = new Database();
    const s = db.connect();
    fails(
      () => s.execute("CREATE SOURCE k (a INT) WITH (connector = 'kafka', topic = 't')"),
      '0A000',
      /connector "kafka" is not supported: the built-in connectors are nexmark and datagen/,
    );
    fails(
      () => s.execute("CREATE TABLE k (a INT) WITH (connector = 'kinesis')"),
      '0A000',
      /connector "kinesis" is not supported/,
    );
    fails(() => s.execute('CREATE SOURCE k (a INT)'), '22023', /CREATE SOURCE needs a connector/);
    fails(
      () =>
        s.execute(
          "CREATE SOURCE k (event_type BIGINT) WITH (connector = 'nexmark', nexmark.min.event.gap.in.ns = 'fast')",
        ),
      '22023',
      /nexmark option nexmark\.min\.event\.gap\.in\.ns must be an integer/,
    );
    fails(
      () =>
        s.execute(
          "CREATE SOURCE k (event_type BIGINT) WITH (connector = 'nexmark', nexmark.colour = 'red')",
        ),
      '22023',
      /unknown nexmark option: nexmark\.colour/,
    );
    fails(
      () =>
        s.execute(
          "CREATE SOURCE k (event_type BIGINT) WITH (connector = 'nexmark', nexmark.table.type = 'Seller')",
        ),
      '22023',
      /nexmark\.table\.type must be Person, Auction or Bid/,
    );
    fails(
      () =>
        s.execute(
          "CREATE TABLE k (a INT) WITH (connector = 'datagen', datagen.rows.per.second = '-5')",
        ),
      '22023',
      /datagen option datagen\.rows\.per\.second must be an integer/,
    );
    fails(
      () => s.execute("CREATE TABLE k (a INTERVAL) WITH (connector = 'datagen')"),
      '0A000',
      /datagen cannot generate values of type interval/,
    );
    fails(
      () =>
        s.execute("CREATE SOURCE k (a INT) WITH (connector = 'datagen') FORMAT PLAIN ENCODE AVRO"),
      '0A000',
      /FORMAT PLAIN ENCODE AVRO is not supported for the datagen connector/,
    );
    fails(
      () => s.execute("CREATE TABLE k WITH (connector = 'datagen') AS SELECT 1 AS a"),
      '0A000',
      /CREATE TABLE AS cannot have a connector/,
    );
    fails(
      () => s.execute("CREATE SOURCE k (a INT, b INT AS nope + 1) WITH (connector = 'datagen')"),
      '42703',
      /column "nope" does not exist/,
    );
    fails(
      () =>
        s.execute("CREATE SOURCE k (a INT, WATERMARK FOR ts AS ts) WITH (connector = 'datagen')"),
      '42703',
      /column "ts" does not exist/,
    );
    fails(
      () =>
        s.execute("CREATE SOURCE k (a INT) WITH (connector = 'datagen', connector = 'nexmark')"),
      '22023',
      /option connector is given more than once/,
    );
    expect(db.catalog.relations.size).toBe(0);
    expect(db.connectors.size).toBe(0);
  });

  test('a row a connector cannot store stops it with the error, and nothing is read twice', async () => {
    const db = new Database();
    const s = db.connect();
    // A data error in a generated column is NULL (as in views); a NOT NULL violation stops.
    s.execute(`CREATE TABLE t (
        a INT, b INT NOT NULL AS CASE WHEN a < 5 THEN a * 10 END, c INT AS 100 / (a - 3)
      ) WITH (connector = 'datagen', fields.a.kind = 'sequence', fields.a.start = '1',
        datagen.rows.per.second = '1')`);
    const logged: string[] = [];
    const { loop, advance } = manualLoop(db, { log: (l) => logged.push(l) });
    await advance(0);
    for (let i = 0; i < 4; i++) expect(await advance(1000)).toBe(1);
    expect(await advance(1000)).toBe(0);
    const error = 'null value in column "b" of relation "t" violates not-null constraint';
    expect(loop.status()[0]).toMatchObject({ offset: 4, error });
    expect(logged).toEqual([`datagen connector of "t" stopped: ${error}`]);
    expect(await advance(1000)).toBe(0);
    expect(lines(s, 'SELECT * FROM t')).toEqual(['1|10|-50', '2|20|-100', '3|30|NULL', '4|40|100']);
  });
});
