/**
 * Plan-text tests of the rewrite rules run before stream planning (runtime/plan/rules): each
 * shows the bound logical plan and the plan the rule rewrites it into, as EXPLAIN prints them.
 */
import { describe, expect, it } from 'vitest';
import { bindPlan, findNode, planText } from './rules-helper.js';
import { subqueryToSemiJoin } from '../../runtime/plan/rules/subquery-to-semi-join.js';
import { scalarSubqueryToJoin } from '../../runtime/plan/rules/scalar-subquery-to-join.js';
import { splitJoinKeys } from '../../runtime/plan/rules/join-keys.js';
import { decorrelate } from '../../runtime/plan/rules/index.js';
import { lateralSubqueryToJoin } from '../../runtime/plan/rules/lateral-subquery-to-join.js';
import type { PlanNode } from '../../runtime/plan/logical.js';

const setup = 'CREATE TABLE l (k int, x int); CREATE TABLE r (k int, y int)';
const lines = (...xs: string[]): string => xs.join('\n');
const rewrite = (
  sql: string,
  rule: (p: PlanNode) => PlanNode,
): { before: string; after: string } => {
  const p = bindPlan(setup, sql);
  return { before: planText(p), after: planText(rule(p)) };
};

describe('subquery_to_semi_join', () => {
  it('IN (subquery) becomes a semi join on the compared columns', () => {
    const { before, after } = rewrite(
      'SELECT * FROM l WHERE k IN (SELECT k FROM r)',
      subqueryToSemiJoin,
    );
    expect(before).toBe(
      lines(
        'Project { exprs: [k, x] }',
        '└─Filter { predicate: (k ANY(subquery)) }',
        '  └─TableScan { table: l, columns: [k, x] }',
      ),
    );
    expect(after).toBe(
      lines(
        'Project { exprs: [k, x] }',
        '└─HashJoin { type: semi, predicate: k = k }',
        '  ├─TableScan { table: l, columns: [k, x] }',
        '  └─TableScan { table: r, columns: [k, y] }',
      ),
    );
  });

  it('a correlated EXISTS pulls its predicate up into keys and a residual; other conjuncts stay', () => {
    const { after } = rewrite(
      'SELECT * FROM l WHERE x > 0 AND EXISTS (SELECT 1 FROM r WHERE r.k = l.k AND r.y > l.x)',
      subqueryToSemiJoin,
    );
    expect(after).toBe(
      lines(
        'Project { exprs: [k, x] }',
        '└─Filter { predicate: (x > 0:integer) }',
        '  └─HashJoin { type: semi, predicate: k = k, condition: (y > x) }',
        '    ├─TableScan { table: l, columns: [k, x] }',
        '    └─TableScan { table: r, columns: [k, y] }',
      ),
    );
  });

  it('NOT EXISTS becomes an anti join', () => {
    const { before, after } = rewrite(
      'SELECT * FROM l WHERE NOT EXISTS (SELECT 1 FROM r WHERE r.k = l.k)',
      subqueryToSemiJoin,
    );
    expect(before).toContain('Filter { predicate: NOT EXISTS(subquery) }');
    expect(after).toBe(
      lines(
        'Project { exprs: [k, x] }',
        '└─HashJoin { type: anti, predicate: k = k }',
        '  ├─TableScan { table: l, columns: [k, x] }',
        '  └─TableScan { table: r, columns: [k, y] }',
      ),
    );
  });

  it('NOT IN keeps NULL semantics: any right row making x = y true or unknown removes x', () => {
    const { after } = rewrite(
      'SELECT * FROM l WHERE x NOT IN (SELECT y FROM r)',
      subqueryToSemiJoin,
    );
    expect(after).toBe(
      lines(
        'Project { exprs: [k, x] }',
        '└─NestedLoopJoin { type: anti, condition: ((x <> y) IS NOT TRUE) }',
        '  ├─TableScan { table: l, columns: [k, x] }',
        '  └─TableScan { table: r, columns: [k, y] }',
      ),
    );
  });

  it('leaves subqueries under OR and correlated scalar subqueries alone', () => {
    for (const sql of [
      'SELECT * FROM l WHERE k IN (SELECT k FROM r) OR x > 0',
      'SELECT * FROM l WHERE x > (SELECT avg(y) FROM r WHERE r.k = l.k)',
    ]) {
      const { before, after } = rewrite(sql, subqueryToSemiJoin);
      expect(after).toBe(before);
    }
  });
});

describe('scalar_subquery_to_join', () => {
  it('uncorrelated aggregate subqueries in WHERE and SELECT become left joins on TRUE', () => {
    const { before, after } = rewrite(
      'SELECT k, (SELECT max(y) FROM r) AS m FROM l WHERE x > (SELECT min(y) FROM r)',
      scalarSubqueryToJoin,
    );
    expect(before).toBe(
      lines(
        'Project { exprs: [k, (subquery)] }',
        '└─Filter { predicate: (x > (subquery)) }',
        '  └─TableScan { table: l, columns: [k, x] }',
      ),
    );
    expect(after).toBe(
      lines(
        'Project { exprs: [k, max] }',
        '└─NestedLoopJoin { type: left }',
        '  ├─Project { exprs: [k, x] }',
        '  │ └─Filter { predicate: (x > min) }',
        '  │   └─NestedLoopJoin { type: left }',
        '  │     ├─TableScan { table: l, columns: [k, x] }',
        '  │     └─Project { exprs: [min] }',
        '  │       └─SimpleAgg { aggs: [min(y)] }',
        '  │         └─TableScan { table: r, columns: [k, y] }',
        '  └─Project { exprs: [max] }',
        '    └─SimpleAgg { aggs: [max(y)] }',
        '      └─TableScan { table: r, columns: [k, y] }',
      ),
    );
  });

  it('a subquery that may return several rows is not a join (it must fail with 21000 instead)', () => {
    const { before, after } = rewrite(
      'SELECT k, (SELECT y FROM r) AS y FROM l',
      scalarSubqueryToJoin,
    );
    expect(after).toBe(before);
    const limited = rewrite(
      'SELECT k, (SELECT y FROM r ORDER BY y LIMIT 1) AS y FROM l',
      scalarSubqueryToJoin,
    );
    expect(limited.after).toContain('NestedLoopJoin { type: left }');
  });

  it('leaves correlated scalar subqueries alone', () => {
    const { before, after } = rewrite(
      'SELECT k FROM l WHERE x > (SELECT y FROM r WHERE r.k = l.k)',
      scalarSubqueryToJoin,
    );
    expect(after).toBe(before);
  });
});

describe('join_keys', () => {
  it('moves l = r conjuncts (either way round) into hash keys and keeps the rest as the condition', () => {
    // The binder moves WHERE conjuncts into comma joins itself: bind the condition above a
    // derived table (same columns) to get the join and its condition apart.
    const p = bindPlan(
      setup,
      'SELECT * FROM (SELECT * FROM l, r) s (lk, x, rk, y) WHERE lk = rk AND x < y AND y = x + 1 AND lk = 3',
    );
    const filter = findNode(p, 'filter')!;
    const join = findNode(p, 'join')!;
    const unsplit = { ...join, condition: filter.predicate };
    expect(planText(unsplit)).toBe(
      lines(
        'NestedLoopJoin { type: inner, condition: ((k = k) AND (x < y) AND (y = (x + 1:integer)) AND (k = 3:integer)) }',
        '├─TableScan { table: l, columns: [k, x] }',
        '└─TableScan { table: r, columns: [k, y] }',
      ),
    );
    expect(planText(splitJoinKeys(unsplit))).toBe(
      lines(
        'HashJoin { type: inner, predicate: k = k AND (x + 1:integer) = y, condition: ((x < y) AND (k = 3:integer)) }',
        '├─TableScan { table: l, columns: [k, x] }',
        '└─TableScan { table: r, columns: [k, y] }',
      ),
    );
  });

  it('a condition made only of keys disappears', () => {
    const p = bindPlan(setup, 'SELECT * FROM (SELECT * FROM l, r) s (lk, x, rk, y) WHERE lk = rk');
    const unsplit = { ...findNode(p, 'join')!, condition: findNode(p, 'filter')!.predicate };
    expect(planText(splitJoinKeys(unsplit)).split('\n')[0]).toBe(
      'HashJoin { type: inner, predicate: k = k }',
    );
  });
});

describe('lateral_subquery_to_join', () => {
  it('a global aggregate becomes a left join with it grouped by the key; count reads 0 when empty', () => {
    const { before, after } = rewrite(
      'SELECT l.k, s.m, s.c FROM l, LATERAL (SELECT max(y) AS m, count(*) AS c FROM r WHERE r.k = l.k) s',
      lateralSubqueryToJoin,
    );
    expect(before).toContain('NestedLoopJoin { type: inner lateral }');
    expect(after).toBe(
      lines(
        'Project { exprs: [k, m, c] }',
        '└─Project { exprs: [k, x, max, coalesce(count, 0:bigint)] }',
        '  └─HashJoin { type: left, predicate: k = key0 }',
        '    ├─TableScan { table: l, columns: [k, x] }',
        '    └─HashAgg { group_key: [k], aggs: [max(y), count(*)] }',
        '      └─TableScan { table: r, columns: [k, y] }',
      ),
    );
  });

  it('LEFT JOIN LATERAL over a filter keeps the join kind and exposes the key', () => {
    const { after } = rewrite(
      'SELECT * FROM l LEFT JOIN LATERAL (SELECT y FROM r WHERE r.k = l.k AND y > 0) s ON true',
      lateralSubqueryToJoin,
    );
    expect(after).toBe(
      lines(
        'Project { exprs: [k, x, y] }',
        '└─Project { exprs: [k, x, y] }',
        '  └─HashJoin { type: left, predicate: k = key0 }',
        '    ├─TableScan { table: l, columns: [k, x] }',
        '    └─Project { exprs: [y, k] }',
        '      └─Filter { predicate: (y > 0:integer) }',
        '        └─TableScan { table: r, columns: [k, y] }',
      ),
    );
  });

  it('a grouped aggregate groups by the key too; the ON condition stays the join condition', () => {
    const { after } = rewrite(
      'SELECT * FROM l LEFT JOIN LATERAL (SELECT y, count(*) AS n FROM r WHERE r.k = l.k GROUP BY y) s ON s.y < l.x',
      lateralSubqueryToJoin,
    );
    expect(after).toContain('HashJoin { type: left, predicate: k = key0, condition: (y < x) }');
    expect(after).toContain('HashAgg { group_key: [k, y], aggs: [count(*)] }');
  });

  it('leaves other correlation LATERAL', () => {
    const { before, after } = rewrite(
      'SELECT * FROM l, LATERAL (SELECT max(y) AS m FROM r WHERE r.y > l.x) s',
      lateralSubqueryToJoin,
    );
    expect(after).toBe(before);
  });
});

describe('the rule pipeline (decorrelate)', () => {
  it('applies both subquery rules in one pass', () => {
    const p = bindPlan(
      setup,
      'SELECT * FROM l WHERE k IN (SELECT k FROM r) AND x > (SELECT min(y) FROM r)',
    );
    const text = planText(decorrelate(p));
    expect(text).toContain('HashJoin { type: semi, predicate: k = k }');
    expect(text).toContain('NestedLoopJoin { type: left }');
    expect(text).not.toContain('subquery');
  });
});
