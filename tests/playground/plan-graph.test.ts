/**
 * EXPLAIN text → graph, over plans the engine prints in the test (streaming and batch, joins
 * with two inputs, CTEs): the tree read back has the operators in the engine's order with the
 * right parents, details split at top-level commas only, and the layout keeps boxes apart and
 * children below their parents.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { Sluice } from '../../runtime/index.js';
import {
  layoutPlan,
  operator,
  parsePlan,
  type GraphLayout,
  type PlanNode,
} from '../../playground/src/plan-graph.js';

let db: Sluice;

beforeAll(async () => {
  db = await Sluice.open({ storage: 'memory' });
  await db.execute(`CREATE TABLE t (ts TIMESTAMP, x INT, g VARCHAR);
    CREATE TABLE u (g VARCHAR, name VARCHAR)`);
});

async function explain(sql: string): Promise<string[]> {
  const r = await db.query(`EXPLAIN ${sql}`);
  return r.rows.map((row) => String(row[0]));
}

/** The tree as `name(child, child)`, to compare shapes at a glance. */
function shape(n: PlanNode): string {
  return n.children.length ? `${n.name}(${n.children.map(shape).join(', ')})` : n.name;
}

/** Every operator name in the text, in line order, read independently of the parser. */
function namesInText(lines: string[]): string[] {
  return lines.map((l) => /([A-Za-z]+)/.exec(l)![1]!);
}

function preorder(n: PlanNode): PlanNode[] {
  return [n, ...n.children.flatMap(preorder)];
}

function overlaps(layout: GraphLayout): boolean {
  const b = layout.boxes;
  for (let i = 0; i < b.length; i++)
    for (let j = i + 1; j < b.length; j++) {
      const p = b[i]!;
      const q = b[j]!;
      if (
        p.x < q.x + q.width &&
        q.x < p.x + p.width &&
        p.y < q.y + q.height &&
        q.y < p.y + p.height
      )
        return true;
    }
  return false;
}

describe('parsePlan', () => {
  test('a streaming window aggregate is a chain from the materialize down to the scan', async () => {
    const lines = await explain(
      `CREATE MATERIALIZED VIEW w AS SELECT window_start, count(*) AS n, sum(x) AS total
       FROM TUMBLE(t, ts, INTERVAL '1 minute') GROUP BY window_start`,
    );
    const roots = parsePlan(lines);
    expect(roots).toHaveLength(1);
    const root = roots[0]!;
    expect(shape(root)).toBe(
      'StreamMaterialize(StreamProject(StreamHashAgg(StreamTumble(StreamTableScan))))',
    );
    expect(preorder(root).map((n) => n.name)).toEqual(namesInText(lines));
    expect(root.details).toEqual(['view: w', 'columns: [window_start, n, total]']);
    const agg = root.children[0]!.children[0]!;
    // The commas inside brackets and parentheses stay inside their detail.
    expect(agg.details).toEqual(['group_key: [window_start]', 'aggs: [count(*), sum(x)]']);
  });

  test('a join has both inputs as children, in order', async () => {
    const lines = await explain(
      `CREATE MATERIALIZED VIEW j AS SELECT t.g, u.name, sum(x) AS s
       FROM t JOIN u ON t.g = u.g GROUP BY t.g, u.name`,
    );
    const [root] = parsePlan(lines);
    expect(shape(root!)).toBe(
      'StreamMaterialize(StreamProject(StreamHashAgg(StreamHashJoin(StreamTableScan, StreamTableScan))))',
    );
    const join = root!.children[0]!.children[0]!.children[0]!;
    expect(join.children.map((c) => c.details[0])).toEqual(['table: t', 'table: u']);
  });

  test('siblings under `│` continuation lines keep their parents', async () => {
    const lines = await explain(
      `WITH c AS (SELECT * FROM t WHERE x > 1) SELECT * FROM c a JOIN c b ON a.x = b.x
       UNION ALL SELECT * FROM t, t AS t2 ORDER BY 1`,
    );
    const roots = parsePlan(lines);
    expect(roots).toHaveLength(1);
    const all = preorder(roots[0]!);
    expect(all.map((n) => n.name)).toEqual(namesInText(lines));
    expect(all.map((n) => n.line)).toEqual(lines.map((_, i) => i));
    // Each node's parent is the nearest line above it that is one level shallower.
    const depth = (l: string): number => /^[│├└─ ]*/.exec(l)![0].length / 2;
    for (const n of all)
      for (const c of n.children) expect(depth(lines[c.line]!)).toBe(depth(lines[n.line]!) + 1);
    expect(all.filter((n) => n.children.length === 2).length).toBeGreaterThanOrEqual(3);
  });

  test('operators without details, and plain indentation', () => {
    expect(operator('UnionAll')).toEqual({ name: 'UnionAll', details: [] });
    expect(operator("Filter { predicate: (g = 'a, b') }")).toEqual({
      name: 'Filter',
      details: ["predicate: (g = 'a, b')"],
    });
    expect(parsePlan(['A', '  B', '    C', '  D']).map(shape)).toEqual(['A(B(C), D)']);
  });
});

describe('layoutPlan', () => {
  test('boxes do not overlap; children sit below their parents; edges join them', async () => {
    for (const sql of [
      `SELECT g, count(*) FROM t WHERE x > 1 GROUP BY g ORDER BY g`,
      `SELECT * FROM t UNION ALL SELECT * FROM t`,
      `SELECT t.g, u.name FROM t JOIN u ON t.g = u.g JOIN u AS v ON v.g = t.g`,
    ]) {
      const lines = await explain(sql);
      const layout = layoutPlan(parsePlan(lines));
      expect(layout.boxes).toHaveLength(lines.length);
      expect(layout.edges).toHaveLength(lines.length - 1);
      expect(overlaps(layout)).toBe(false);
      for (const e of layout.edges) {
        const child = layout.boxes[e.from]!;
        const parent = layout.boxes[e.to]!;
        expect(child.parent).toBe(parent.id);
        expect(child.y).toBeGreaterThanOrEqual(parent.y + parent.height);
      }
      for (const b of layout.boxes) {
        expect(b.x).toBeGreaterThanOrEqual(0);
        expect(b.x + b.width).toBeLessThanOrEqual(layout.width + 1e-9);
        expect(b.y + b.height).toBeLessThanOrEqual(layout.height + 1e-9);
      }
    }
  });
});
