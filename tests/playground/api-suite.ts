/**
 * The engine API's test cases, written once and run against two targets: the playground engine
 * in Node (`api-suite.test.ts`) and the real worker in headless Chromium (`e2e/api-suite.test.ts`).
 * Each case gets a fresh, open, empty database and uses only `EngineApi` — the protocol the
 * page speaks to the worker, failures as data — and the small assertions below, which throw
 * plain errors and need neither vitest nor Node.
 */
import type {
  EngineApi,
  EngineError,
  Reply,
  ResultSet,
  TextChange,
} from '../../playground/src/protocol.js';

/** The API under test: the worker's protocol, however it is reached. */
export type EngineApiLike = EngineApi;

export interface ApiCase {
  name: string;
  run(api: EngineApiLike): Promise<void>;
}

/** Object keys sorted and `undefined` fields dropped, so equal data prints alike. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, x]) => [k, canonical(x)]),
    );
  return v;
}

/** Throws unless `actual` and `expected` are the same plain data. */
export function equal(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(canonical(actual));
  const e = JSON.stringify(canonical(expected));
  if (a !== e) throw new Error(`${what}:\n  expected ${e}\n  actual   ${a}`);
}

export function check(condition: boolean, what: string): asserts condition {
  if (!condition) throw new Error(`expected ${what}`);
}

/** A reply's value; its failure thrown with its SQLSTATE. */
export function value<T>(r: Reply<T>): T {
  if (!r.ok) throw new Error(`unexpected failure ${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** A reply's failure; throws if it succeeded. */
function failure<T>(r: Reply<T>): EngineError {
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.value)}`);
  return r.error;
}

/** Polls `cond` until it holds (changes cross to the page, and on to the test, after commit). */
async function eventually(what: string, cond: () => boolean | Promise<boolean>): Promise<void> {
  const end = Date.now() + 30_000;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Rows of a column-major result set. */
function rowsOf(r: ResultSet): (string | null)[][] {
  return Array.from({ length: r.rowCount }, (_, i) => r.values.map((c) => c[i] ?? null));
}

async function rows(api: EngineApiLike, sql: string): Promise<(string | null)[][]> {
  return rowsOf(value(await api.query(sql)));
}

/** Runs a script that must succeed. */
async function script(api: EngineApiLike, sql: string): Promise<void> {
  const r = await api.run(sql);
  if (r.error) throw new Error(`script failed ${r.error.code}: ${r.error.message}`);
}

/** A view's rows with `changes` applied, sorted (a multiset of rows, as text). */
function applied(start: (string | null)[][], batches: TextChange[][]): string[] {
  const bag = start.map((r) => JSON.stringify(r));
  for (const c of batches.flat()) {
    const key = JSON.stringify(c.row);
    if (c.op === '+' || c.op === 'U+') bag.push(key);
    else {
      const at = bag.indexOf(key);
      check(at >= 0, `a row in the view for change ${c.op} ${key}`);
      bag.splice(at, 1);
    }
  }
  return bag.sort();
}

const sortedRows = (r: (string | null)[][]): string[] => r.map((x) => JSON.stringify(x)).sort();

const ORDERS = `CREATE TABLE orders (id BIGINT, customer TEXT, amount NUMERIC);
CREATE MATERIALIZED VIEW by_customer AS
  SELECT customer, count(*) AS n, sum(amount) AS total FROM orders GROUP BY customer;`;

const BY_CUSTOMER_BATCH = `SELECT customer, count(*) AS n, sum(amount) AS total
  FROM orders GROUP BY customer ORDER BY customer`;

export const API_CASES: ApiCase[] = [
  {
    name: 'run: a summary per statement, the last statement’s rows, offsets from base',
    async run(api) {
      const sql = `CREATE TABLE t (id BIGINT, note TEXT);
INSERT INTO t VALUES (1, 'a'), (2, NULL), (3, 'c');
UPDATE t SET note = 'b' WHERE id = 2;
SELECT id, note FROM t ORDER BY id;`;
      const r = await api.run(sql, 100);
      equal(r.error, undefined, 'error');
      equal(
        r.statements.map((s) => [s.command, s.rowCount]),
        [
          ['CREATE TABLE', 0],
          ['INSERT 0 3', 3],
          ['UPDATE 1', 1],
          ['SELECT 3', 3],
        ],
        'summaries',
      );
      const lastFrom = sql.indexOf('SELECT id');
      equal(
        [r.statements[0]!.from, r.statements[3]!.from, r.statements[3]!.to],
        [100, 100 + lastFrom, 100 + sql.length - 1],
        'statement extents',
      );
      check(r.schemaChanged, 'the schema to have changed');
      check(r.result !== undefined, 'a result');
      equal(
        rowsOf(r.result),
        [
          ['1', 'a'],
          ['2', 'b'],
          ['3', 'c'],
        ],
        'last result',
      );
      // A script without DDL leaves the schema alone, and ends with no rows when it ends so.
      const w = await api.run(
        "INSERT INTO t VALUES (4, 'd'); SELECT 1; DELETE FROM t WHERE id = 4",
      );
      equal(
        w.statements.map((s) => s.command),
        ['INSERT 0 1', 'SELECT 1', 'DELETE 1'],
        'summaries',
      );
      equal([w.result, w.schemaChanged], [undefined, false], 'no result, no schema change');
    },
  },
  {
    name: 'query: values as psql text, with column types',
    async run(api) {
      const r = value(
        await api.query(`SELECT 1::bigint AS a, 1.50::numeric AS b, 'x' AS c, true AS d,
  TIMESTAMPTZ '2026-01-02 03:04:05+00' AS e, DATE '2026-01-02' AS f, NULL::int AS g,
  2.5::double precision AS h`),
      );
      equal(
        r.columns,
        [
          { name: 'a', type: 'bigint', numeric: true },
          { name: 'b', type: 'numeric', numeric: true },
          { name: 'c', type: 'text', numeric: false },
          { name: 'd', type: 'boolean', numeric: false },
          { name: 'e', type: 'timestamp with time zone', numeric: false },
          { name: 'f', type: 'date', numeric: false },
          { name: 'g', type: 'integer', numeric: true },
          { name: 'h', type: 'double precision', numeric: true },
        ],
        'columns',
      );
      equal(
        rowsOf(r),
        [['1', '1.50', 'x', 't', '2026-01-02 03:04:05+00', '2026-01-02', null, '2.5']],
        'row',
      );
      // Timestamps print in the session's time zone.
      value(await api.execute("SET TIME ZONE 'Asia/Tokyo'"));
      equal(
        await rows(api, "SELECT TIMESTAMPTZ '2026-01-02 03:04:05+00' AS e"),
        [['2026-01-02 12:04:05+09']],
        'in Tokyo',
      );
      // Column-major cells: one array per column.
      const many = value(await api.query('SELECT g, g * 2 AS d FROM generate_series(1, 3) g'));
      equal(
        [many.rowCount, many.values],
        [
          3,
          [
            ['1', '2', '3'],
            ['2', '4', '6'],
          ],
        ],
        'column-major values',
      );
    },
  },
  {
    name: 'errors: a syntax error has SQLSTATE 42601 and its position in the script',
    async run(api) {
      const sql = 'SELECT 1;\nSELEC 2;\nSELECT 3;';
      const r = await api.run(sql, 10);
      const from = 10 + sql.indexOf('SELEC 2');
      equal(
        [r.error?.code, r.error?.position, r.error?.from, r.error?.to],
        ['42601', from, from, from + 'SELEC 2'.length],
        'error',
      );
      check(/syntax error/.test(r.error?.message ?? ''), 'a syntax error message');
      // The statement before it ran; the one after it did not, and there is no result.
      equal(
        r.statements.map((s) => s.command),
        ['SELECT 1'],
        'statements run',
      );
      equal(r.result, undefined, 'result');
      // Through `query` and `execute` too.
      equal(failure(await api.query('SELEC 1')).code, '42601', 'query error');
      equal(failure(await api.execute('CREATE TABEL x (a INT)')).code, '42601', 'execute error');
    },
  },
  {
    name: 'errors: an unknown table is 42P01, pointed at; the statements before it keep effects',
    async run(api) {
      const sql = 'CREATE TABLE t (a INT);\nINSERT INTO t VALUES (1);\nSELECT * FROM nope;';
      const r = await api.run(sql);
      equal(
        [r.error?.code, r.error?.message, r.error?.position, r.error?.from],
        ['42P01', 'relation "nope" does not exist', sql.indexOf('nope'), sql.indexOf('SELECT')],
        'error',
      );
      equal(r.statements.length, 2, 'statements run');
      equal(await rows(api, 'SELECT a FROM t'), [['1']], 'the insert before it');
      equal(failure(await api.query('SELECT * FROM nope')).code, '42P01', 'query error');
      equal(failure(await api.insert('nope', [{ a: 1 }])).code, '42P01', 'insert error');
      equal(failure(await api.execute('CREATE TABLE t (b INT)')).code, '42P07', 'duplicate table');
    },
  },
  {
    name: 'DDL changes the schema',
    async run(api) {
      equal(value(await api.schema()).relations, [], 'empty schema');
      const r = await api.run(`CREATE TABLE t (id BIGINT, name TEXT);
CREATE VIEW v AS SELECT id FROM t;
CREATE MATERIALIZED VIEW m AS SELECT name, count(*) AS n FROM t GROUP BY name;`);
      check(r.schemaChanged && r.error === undefined, 'the schema to have changed');
      equal(
        value(await api.schema()).relations,
        [
          {
            name: 'm',
            kind: 'materialized view',
            columns: [
              { name: 'name', type: 'text' },
              { name: 'n', type: 'bigint' },
            ],
          },
          {
            name: 't',
            kind: 'table',
            columns: [
              { name: 'id', type: 'bigint' },
              { name: 'name', type: 'text' },
            ],
          },
          { name: 'v', kind: 'view', columns: [{ name: 'id', type: 'bigint' }] },
        ],
        'relations',
      );
      const d = await api.run('DROP MATERIALIZED VIEW m; DROP VIEW v');
      check(d.schemaChanged && d.error === undefined, 'the drops to change the schema');
      equal(
        value(await api.schema()).relations.map((x) => x.name),
        ['t'],
        'after the drops',
      );
    },
  },
  {
    name: 'a materialized view’s rows after inserts, updates and deletes equal the batch query',
    async run(api) {
      await script(api, ORDERS);
      const same = async (what: string): Promise<void> =>
        equal(
          await rows(api, 'SELECT * FROM by_customer ORDER BY customer'),
          await rows(api, BY_CUSTOMER_BATCH),
          what,
        );
      await script(
        api,
        `INSERT INTO orders VALUES (1, 'ann', 10), (2, 'bob', 5.5), (3, 'ann', 2.25), (4, 'cy', 1);`,
      );
      await same('after inserts');
      equal(
        await rows(api, 'SELECT * FROM by_customer ORDER BY customer'),
        [
          ['ann', '2', '12.25'],
          ['bob', '1', '5.5'],
          ['cy', '1', '1'],
        ],
        'the view',
      );
      // An update moving a row to another group, one changing an amount, a delete emptying one.
      await script(
        api,
        `UPDATE orders SET customer = 'bob' WHERE id = 3;
UPDATE orders SET amount = amount * 2 WHERE customer = 'bob';
DELETE FROM orders WHERE customer = 'cy';`,
      );
      await same('after updates and deletes');
      value(await api.insert('orders', [{ id: 5, customer: 'dee', amount: '7' }]));
      value(await api.execute('DELETE FROM orders WHERE id = 1'));
      await same('after more');
      equal(
        await rows(api, 'SELECT * FROM by_customer ORDER BY customer'),
        [
          ['bob', '2', '15.50'],
          ['dee', '1', '7'],
        ],
        'the view at the end',
      );
    },
  },
  {
    name: 'parameters: $n in query and execute, insert of objects',
    async run(api) {
      equal(
        rowsOf(value(await api.query('SELECT $1::int + $2 AS s, $3::text AS t', [1, 2, 'x']))),
        [['3', 'x']],
        'query with parameters',
      );
      await script(api, 'CREATE TABLE p (id BIGINT, name TEXT, ok BOOLEAN)');
      equal(
        value(await api.execute('INSERT INTO p VALUES ($1, $2, $3)', [1, "it's", true])),
        { command: 'INSERT 0 1', rowCount: 1 },
        'execute with parameters',
      );
      value(await api.execute('INSERT INTO p VALUES ($1, $2, $3)', [2, null, false]));
      equal(
        value(
          await api.insert('p', [
            { id: 3, name: 'three', ok: true },
            { id: 4, name: 'four' },
          ]),
        ),
        2,
        'inserted rows',
      );
      equal(
        rowsOf(
          value(await api.query('SELECT id, name, ok FROM p WHERE id >= $1 ORDER BY id', [2])),
        ),
        [
          ['2', null, 'f'],
          ['3', 'three', 't'],
          ['4', 'four', null],
        ],
        'rows',
      );
      // A parameter is a value, never SQL.
      equal(
        rowsOf(value(await api.query('SELECT count(*) FROM p WHERE name = $1', ["x' OR 't"]))),
        [['0']],
        'quoted parameter',
      );
    },
  },
  {
    name: 'pin: the snapshot, then each committed batch of changes once, in order',
    async run(api) {
      await script(
        api,
        `CREATE TABLE t (k TEXT, v BIGINT);
INSERT INTO t VALUES ('a', 1), ('b', 2);
CREATE MATERIALIZED VIEW m AS SELECT k, sum(v) AS s, count(*) AS n FROM t GROUP BY k;`,
      );
      const batches: TextChange[][] = [];
      // Not awaited: calls queue in order, so this write is in the snapshot, not in the changes.
      const before = api.execute("INSERT INTO t VALUES ('z', 0)");
      const pinned = api.pin('m', (changes) => batches.push(changes));
      const writes = [
        "INSERT INTO t VALUES ('a', 5)",
        "UPDATE t SET v = 10 WHERE k = 'b'",
        "DELETE FROM t WHERE k = 'b'",
        "INSERT INTO t VALUES ('c', 3)",
      ].map((sql) => api.execute(sql));
      value(await before);
      const { id, snapshot } = value(await pinned);
      for (const w of writes) value(await w);
      equal(
        snapshot.columns.map((c) => [c.name, c.type]),
        [
          ['k', 'text'],
          ['s', 'numeric'],
          ['n', 'bigint'],
        ],
        'snapshot columns',
      );
      equal(
        sortedRows(rowsOf(snapshot)),
        sortedRows([
          ['a', '1', '1'],
          ['b', '2', '1'],
          ['z', '0', '1'],
        ]),
        'snapshot',
      );
      await eventually('four batches of changes', () => batches.length >= 4);
      equal(
        batches,
        [
          [
            { op: 'U-', row: ['a', '1', '1'] },
            { op: 'U+', row: ['a', '6', '2'] },
          ],
          [
            { op: 'U-', row: ['b', '2', '1'] },
            { op: 'U+', row: ['b', '10', '1'] },
          ],
          [{ op: '-', row: ['b', '10', '1'] }],
          [{ op: '+', row: ['c', '3', '1'] }],
        ],
        'changes',
      );
      equal(
        applied(rowsOf(snapshot), batches),
        sortedRows(await rows(api, 'SELECT * FROM m')),
        'applied',
      );
      await api.unsubscribe(id);
      // Pinning what is not a view fails as data.
      equal(failure(await api.pin('nope', () => undefined)).code, '42P01', 'unknown view');
    },
  },
  {
    name: 'subscribe: each committed batch of a view’s changes until unsubscribed',
    async run(api) {
      await script(api, ORDERS);
      const batches: TextChange[][] = [];
      const id = value(await api.subscribe('by_customer', (changes) => batches.push(changes)));
      value(await api.execute("INSERT INTO orders VALUES (1, 'ann', 10), (2, 'bob', 1)"));
      value(await api.execute("INSERT INTO orders VALUES (3, 'ann', 5)"));
      await eventually('two batches', () => batches.length >= 2);
      equal(
        batches.map((b) => b.map((c) => `${c.op} ${c.row.join(',')}`).sort()),
        [
          ['+ ann,1,10', '+ bob,1,1'],
          ['U+ ann,2,15', 'U- ann,1,10'],
        ],
        'changes',
      );
      await api.unsubscribe(id);
      value(await api.execute("INSERT INTO orders VALUES (4, 'cy', 1)"));
      // Everything queued before this query has committed; give a stray delivery time to land.
      equal(await rows(api, 'SELECT count(*) FROM by_customer'), [['3']], 'the view');
      await sleep(200);
      equal(batches.length, 2, 'batches after unsubscribing');
      equal(failure(await api.subscribe('nope', () => undefined)).code, '42P01', 'unknown view');
    },
  },
  {
    name: 'importFile: a CSV file becomes a new table with inferred types, then gains rows',
    async run(api) {
      const csv = 'id,Name,price,at\n1,a,1.5,2026-01-02 03:04:05\n2,"b, quoted",2,\n';
      const data = new TextEncoder().encode(csv).buffer;
      equal(
        value(await api.importFile('Items.csv', data)),
        {
          table: 'items',
          created: true,
          rowCount: 2,
          columns: [
            { name: 'id', type: 'bigint' },
            { name: 'name', type: 'character varying' },
            { name: 'price', type: 'double precision' },
            { name: 'at', type: 'timestamp without time zone' },
          ],
        },
        'import',
      );
      equal(
        await rows(api, 'SELECT * FROM items ORDER BY id'),
        [
          ['1', 'a', '1.5', '2026-01-02 03:04:05'],
          ['2', 'b, quoted', '2', null],
        ],
        'rows',
      );
      // The same file name again adds to the table; a bad value leaves it as it was.
      const more = value(await api.importFile('items.csv', 'id,name,price,at\n3,c,0.25,\n'));
      equal([more.created, more.rowCount], [false, 1], 'second import');
      const bad = failure(await api.importFile('items.csv', 'id,name,price,at\n4,d,x,\n'));
      equal(bad.code, '22P02', 'bad value');
      equal(await rows(api, 'SELECT count(*) FROM items'), [['3']], 'row count');
      check(
        value(await api.schema()).relations.some((r) => r.name === 'items'),
        'items in schema',
      );
    },
  },
  {
    name: 'generator: start inserts rows, pause stops them, resume goes on',
    async run(api) {
      const started = value(await api.startGenerator('clickstream', 2000));
      equal(
        [started.kind, started.running, started.tables],
        ['clickstream', true, ['clicks']],
        'started',
      );
      const count = async (): Promise<number> =>
        Number((await rows(api, 'SELECT count(*) FROM clicks'))[0]![0]);
      await eventually('generated rows', async () => (await count()) > 0);
      const paused = value(await api.pauseGenerator());
      check(!paused.running, 'the generator to be paused');
      const atPause = await count();
      equal(paused.rowsInserted, atPause, 'rows inserted');
      await sleep(300);
      equal(await count(), atPause, 'rows after the pause');
      equal((await api.generatorStatus()).running, false, 'status');
      value(await api.setGeneratorRate(500));
      const resumed = value(await api.resumeGenerator());
      equal([resumed.running, resumed.rowsPerSecond], [true, 500], 'resumed');
      await eventually('more rows', async () => (await count()) > atPause);
      value(await api.pauseGenerator());
    },
  },
  {
    name: 'reset: an empty database again',
    async run(api) {
      await script(
        api,
        'CREATE TABLE t (a INT); INSERT INTO t VALUES (1); CREATE VIEW v AS SELECT a FROM t',
      );
      const info = value(await api.reset());
      check(typeof info.storage === 'string' && info.storage !== '', 'a storage name');
      equal(value(await api.schema()).relations, [], 'schema after reset');
      equal(failure(await api.query('SELECT * FROM t')).code, '42P01', 'the table is gone');
      value(await api.ready());
      await script(api, 'CREATE TABLE t (b TEXT)');
      equal(await rows(api, 'SELECT count(*) FROM t'), [['0']], 'a new table');
    },
  },
];
