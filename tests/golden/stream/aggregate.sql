-- Hash and simple aggregation: every aggregate family, DISTINCT, FILTER, ORDER BY, HAVING.
CREATE TABLE t (a int, b int, s text, n numeric(10,2));
EXPLAIN CREATE MATERIALIZED VIEW by_a AS SELECT a, count(*) AS c, sum(b) AS sb, avg(n) AS an, min(s) AS lo, max(b) AS hi FROM t GROUP BY a;
EXPLAIN CREATE MATERIALIZED VIEW distinct_aggs AS SELECT a, count(DISTINCT b) AS cd, string_agg(s, ',' ORDER BY s) AS sa, array_agg(b ORDER BY b DESC) AS ab FROM t GROUP BY a;
EXPLAIN CREATE MATERIALIZED VIEW filtered AS SELECT a, count(*) FILTER (WHERE b > 0) AS pos, bool_and(b > 0) AS all_pos FROM t WHERE s IS NOT NULL GROUP BY a HAVING count(*) > 1;
EXPLAIN CREATE MATERIALIZED VIEW total AS SELECT count(*) AS c, sum(n) AS total FROM t;
EXPLAIN CREATE MATERIALIZED VIEW rollup AS SELECT a, s, count(*) AS c FROM t GROUP BY ROLLUP (a, s);
