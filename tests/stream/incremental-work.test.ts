/**
 * Maintenance is proportional to the change, not to the data: with 100,000 rows in a table, one
 * more row touches O(1) operator state in an aggregate view (its group), a join view (its key's
 * bucket), a top-N view (the first N rows) and a session-window view (the sessions the row
 * joins or splits). Counted with the graph's WorkStats, never timed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Database, type Session } from '../../runtime/engine.js';

let session: Session;
let db: Database;

function delta(sql: string): { stateTouches: number; rowsIn: number } {
  const { stateTouches, rowsIn } = db.graph.stats;
  session.execute(sql);
  return {
    stateTouches: db.graph.stats.stateTouches - stateTouches,
    rowsIn: db.graph.stats.rowsIn - rowsIn,
  };
}

beforeAll(() => {
  db = new Database();
  session = db.connect();
  session.execute('CREATE TABLE big (id int, g int, v int)');
  session.execute(
    'INSERT INTO big SELECT i, i % 1000, i % 97 FROM generate_series(1, 100000) AS s(i)',
  );
  session.execute('CREATE TABLE dim (g int, name text)');
  session.execute("INSERT INTO dim SELECT i, 'g' || i FROM generate_series(0, 999) AS s(i)");
});

describe('incremental work', () => {
  it('the table really holds 100,000 rows in 1,000 groups', () => {
    session.execute(
      'CREATE MATERIALIZED VIEW agg AS SELECT g, count(*) AS c, sum(v) AS s, max(v) AS m FROM big GROUP BY g',
    );
    const rows = session.execute('SELECT count(*), sum(c)::bigint FROM agg')[0]!.rows!;
    expect(rows).toEqual([[1000n, 100000n]]);
  });

  it('one inserted row touches O(1) aggregate state', () => {
    const d = delta('INSERT INTO big VALUES (100001, 5, 1)');
    expect(d.stateTouches).toBeLessThanOrEqual(10);
    expect(d.rowsIn).toBeLessThanOrEqual(10);
    expect(session.execute('SELECT c FROM agg WHERE g = 5')[0]!.rows).toEqual([[101n]]);
  });

  it('one deleted row (the group maximum) touches O(1) aggregate state', () => {
    session.execute('INSERT INTO big VALUES (100002, 7, 500)');
    const d = delta('DELETE FROM big WHERE id = 100002');
    expect(d.stateTouches).toBeLessThanOrEqual(10);
    expect(session.execute('SELECT m FROM agg WHERE g = 7')[0]!.rows).toEqual([[96]]);
  });

  it("one row into a join touches only its key's bucket", () => {
    session.execute(
      'CREATE MATERIALIZED VIEW j AS SELECT big.id, dim.name FROM big JOIN dim ON big.g = dim.g',
    );
    const onBig = delta('INSERT INTO big VALUES (100003, 42, 0)');
    // Probe dim's bucket for 42 (one row), store the new row, materialize one output row.
    expect(onBig.stateTouches).toBeLessThanOrEqual(10);
    expect(onBig.rowsIn).toBeLessThanOrEqual(10);
    // A dim row matches the ~100 big rows of its key: work follows that bucket, not the table.
    const onDim = delta("INSERT INTO dim VALUES (42, 'again')");
    expect(onDim.stateTouches).toBeGreaterThan(100);
    expect(onDim.stateTouches).toBeLessThanOrEqual(3 * 102 + 10);
    expect(session.execute("SELECT count(*) FROM j WHERE name = 'again'")[0]!.rows).toEqual([
      [101n],
    ]);
  });

  it('one row into an ORDER BY ... LIMIT view reads the top rows, not the table', () => {
    // Measured alone: the other views would add their own (constant) work.
    session.execute('DROP MATERIALIZED VIEW agg; DROP MATERIALIZED VIEW j');
    session.execute(
      'CREATE MATERIALIZED VIEW top3 AS SELECT id, v FROM big ORDER BY v DESC, id LIMIT 3',
    );
    const d = delta('INSERT INTO big VALUES (100004, 1, 1000)');
    expect(d.stateTouches).toBeLessThanOrEqual(10);
    expect(session.execute('SELECT id FROM top3 WHERE v = 1000')[0]!.rows).toEqual([[100004]]);
    // Deleting a top row refills from the sorted state, still reading only a few rows.
    const del = delta('DELETE FROM big WHERE id = 100004');
    expect(del.stateTouches).toBeLessThanOrEqual(10);
    expect(session.execute('SELECT count(*) FROM top3')[0]!.rows).toEqual([[3n]]);
  });

  it('one row into a session-window view re-evaluates the sessions it touches, not the partition', () => {
    session.execute('DROP MATERIALIZED VIEW top3');
    // One partition of 20,000 sessions of one row each (times 10 apart, gap 6).
    session.execute('CREATE TABLE clicks (u int, t int)');
    session.execute('INSERT INTO clicks SELECT 1, i * 10 FROM generate_series(1, 20000) AS s(i)');
    session.execute(
      'CREATE MATERIALIZED VIEW sess AS SELECT u, t, count(*) OVER (PARTITION BY u ORDER BY t SESSION WITH GAP 6) AS n FROM clicks',
    );
    const n = (t: number): unknown => session.execute(`SELECT n FROM sess WHERE t = ${t}`)[0]!.rows;
    // 15 bridges the sessions of 10 and 20: those three rows are evaluated again.
    const merge = delta('INSERT INTO clicks VALUES (1, 15)');
    expect(merge.stateTouches).toBeLessThanOrEqual(20);
    expect([n(10), n(15), n(20), n(30)]).toEqual([[[3n]], [[3n]], [[3n]], [[1n]]]);
    // Deleting it splits the session again.
    const split = delta('DELETE FROM clicks WHERE t = 15');
    expect(split.stateTouches).toBeLessThanOrEqual(20);
    expect([n(10), n(20)]).toEqual([[[1n]], [[1n]]]);
  });
});
