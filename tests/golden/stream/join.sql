-- Hash joins: inner/outer with equi keys and residual conditions, three-way, self join.
CREATE TABLE l (k int, x int, s text);
CREATE TABLE r (k int, y int, s text);
EXPLAIN CREATE MATERIALIZED VIEW inner_j AS SELECT l.x, r.y FROM l JOIN r ON l.k = r.k;
EXPLAIN CREATE MATERIALIZED VIEW left_j AS SELECT l.x, r.y FROM l LEFT JOIN r ON l.k = r.k AND l.x < r.y;
EXPLAIN CREATE MATERIALIZED VIEW right_j AS SELECT l.x, r.y FROM l RIGHT JOIN r ON l.k = r.k AND l.s = r.s;
EXPLAIN CREATE MATERIALIZED VIEW full_j AS SELECT l.k AS lk, r.k AS rk FROM l FULL JOIN r ON l.k = r.k;
EXPLAIN CREATE MATERIALIZED VIEW three AS SELECT a.x, b.y, c.x AS cx FROM l a JOIN r b ON a.k = b.k LEFT JOIN l c ON b.y = c.x;
EXPLAIN CREATE MATERIALIZED VIEW cross_cond AS SELECT l.x, r.y FROM l JOIN r ON l.x < r.y;
-- WHERE over comma joins: an equality becomes the hash key, another two-sided conjunct (an OR across inputs too) the join condition, a one-sided one a filter on its input; a subquery conjunct stays above the join (and becomes a semi join).
EXPLAIN CREATE MATERIALIZED VIEW comma_where AS SELECT l.x, r.y FROM l, r WHERE l.k = r.k AND l.x < r.y AND r.s = 'a';
EXPLAIN CREATE MATERIALIZED VIEW comma_three AS SELECT a.x, b.y, c.s FROM l a, r b, l c WHERE a.k = b.k AND b.y = c.x AND c.s IS NOT NULL;
EXPLAIN CREATE MATERIALIZED VIEW comma_kept AS SELECT l.x FROM l, r WHERE l.k = r.k AND (l.x = 1 OR r.y = 2) AND l.x IN (SELECT y FROM r);
