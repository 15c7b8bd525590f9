-- Top-N, DISTINCT ON, row_number filters, window functions, time windows and session windows.
CREATE TABLE t (g int, v int, ts timestamptz);
EXPLAIN CREATE MATERIALIZED VIEW top3 AS SELECT * FROM t ORDER BY v DESC LIMIT 3;
EXPLAIN CREATE MATERIALIZED VIEW top_offset AS SELECT g, v FROM t ORDER BY v, g LIMIT 2 OFFSET 1;
EXPLAIN CREATE MATERIALIZED VIEW first_per_g AS SELECT DISTINCT ON (g) g, v FROM t ORDER BY g, v;
EXPLAIN CREATE MATERIALIZED VIEW rn AS SELECT * FROM (SELECT g, v, row_number() OVER (PARTITION BY g ORDER BY v) AS rn FROM t) x WHERE rn <= 2;
EXPLAIN CREATE MATERIALIZED VIEW ranks AS SELECT g, v, rank() OVER (PARTITION BY g ORDER BY v) AS r, sum(v) OVER (PARTITION BY g) AS s FROM t;
EXPLAIN CREATE MATERIALIZED VIEW tumbled AS SELECT window_start, count(*) AS c FROM TUMBLE(t, ts, INTERVAL '1 hour') GROUP BY window_start;
EXPLAIN CREATE MATERIALIZED VIEW hopped AS SELECT window_start, window_end, max(v) AS m FROM HOP(t, ts, INTERVAL '15 minutes', INTERVAL '1 hour') GROUP BY window_start, window_end;
EXPLAIN CREATE MATERIALIZED VIEW sessions AS SELECT g, ts, count(*) OVER (PARTITION BY g ORDER BY ts SESSION WITH GAP INTERVAL '10 minutes') AS n FROM t;
EXPLAIN CREATE MATERIALIZED VIEW session_tf AS SELECT g, window_start, window_end, sum(v) AS s FROM SESSION(t, ts, INTERVAL '10 minutes', g) GROUP BY g, window_start, window_end;
