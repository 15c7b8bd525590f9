-- Window functions: ranking, lag/lead, first/last value, aggregates over PARTITION BY / ORDER BY
-- with ROWS and RANGE frames, ntile, percent_rank and cume_dist.
CREATE TABLE scores (id INT PRIMARY KEY, team TEXT, player TEXT, pts INT, ts TIMESTAMP, amt NUMERIC(10,2));
INSERT INTO scores VALUES
  (1, 'red', 'ann', 10, '2024-01-01 10:00', 5.00),
  (2, 'red', 'ben', 20, '2024-01-01 11:00', 2.50),
  (3, 'red', 'cat', 20, '2024-01-02 09:00', NULL),
  (4, 'blue', 'dan', 5, '2024-01-01 08:00', 1.25),
  (5, 'blue', 'eve', 15, '2024-01-03 12:00', 4.75),
  (6, 'blue', 'fox', NULL, '2024-01-03 13:00', 3.00),
  (7, 'green', 'gil', 30, '2024-01-02 10:00', 10.00),
  (8, 'red', 'hal', 5, '2024-01-04 10:00', 0.50);

SELECT id, row_number() OVER (ORDER BY id) FROM scores ORDER BY id;
SELECT id, team, row_number() OVER (PARTITION BY team ORDER BY id) AS rn FROM scores ORDER BY id;
SELECT id, pts, rank() OVER (ORDER BY pts DESC NULLS LAST) FROM scores ORDER BY id;
SELECT id, pts, dense_rank() OVER (ORDER BY pts DESC NULLS LAST) FROM scores ORDER BY id;
SELECT id, team, pts, rank() OVER (PARTITION BY team ORDER BY pts), dense_rank() OVER (PARTITION BY team ORDER BY pts) FROM scores ORDER BY id;
SELECT id, pts, rank() OVER (ORDER BY pts NULLS FIRST) FROM scores ORDER BY id;
SELECT id, lag(pts) OVER (ORDER BY id), lead(pts) OVER (ORDER BY id) FROM scores ORDER BY id;
SELECT id, lag(pts, 2) OVER (ORDER BY id), lead(pts, 2, -1) OVER (ORDER BY id) FROM scores ORDER BY id;
SELECT id, team, lag(player, 1, 'none') OVER (PARTITION BY team ORDER BY ts) FROM scores ORDER BY id;
SELECT id, pts - lag(pts) OVER (ORDER BY ts) AS delta FROM scores ORDER BY id;
SELECT id, first_value(player) OVER (PARTITION BY team ORDER BY ts) FROM scores ORDER BY id;
SELECT id, last_value(player) OVER (PARTITION BY team ORDER BY ts) FROM scores ORDER BY id;
SELECT id, last_value(player) OVER (PARTITION BY team ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM scores ORDER BY id;
SELECT id, first_value(pts) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM scores ORDER BY id;
SELECT id, nth_value(player, 2) OVER (PARTITION BY team ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM scores ORDER BY id;
SELECT id, sum(pts) OVER () FROM scores ORDER BY id;
SELECT id, team, sum(pts) OVER (PARTITION BY team) FROM scores ORDER BY id;
SELECT id, sum(pts) OVER (ORDER BY id) AS running FROM scores ORDER BY id;
SELECT id, pts, sum(pts) OVER (ORDER BY pts) AS running FROM scores ORDER BY id;
SELECT id, team, sum(pts) OVER (PARTITION BY team ORDER BY id) AS running FROM scores ORDER BY id;
SELECT id, avg(pts) OVER (PARTITION BY team) FROM scores ORDER BY id;
SELECT id, count(*) OVER (PARTITION BY team), count(pts) OVER (PARTITION BY team) FROM scores ORDER BY id;
SELECT id, count(*) OVER (ORDER BY pts) FROM scores ORDER BY id;
SELECT id, sum(pts) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM scores ORDER BY id;
SELECT id, sum(pts) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND 1 PRECEDING) FROM scores ORDER BY id;
SELECT id, sum(pts) OVER (ORDER BY id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM scores ORDER BY id;
SELECT id, avg(amt) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM scores ORDER BY id;
SELECT id, max(pts) OVER (ORDER BY id ROWS 2 PRECEDING), min(pts) OVER (ORDER BY id ROWS UNBOUNDED PRECEDING) FROM scores ORDER BY id;
SELECT id, pts, sum(pts) OVER (ORDER BY pts RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM scores ORDER BY id;
SELECT id, pts, sum(pts) OVER (ORDER BY pts RANGE BETWEEN 5 PRECEDING AND 5 FOLLOWING) FROM scores ORDER BY id;
SELECT id, pts, count(*) OVER (ORDER BY pts RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM scores ORDER BY id;
SELECT id, ts, count(*) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '1 day' PRECEDING AND CURRENT ROW) FROM scores ORDER BY id;
SELECT id, ntile(3) OVER (ORDER BY id) FROM scores ORDER BY id;
SELECT id, team, ntile(2) OVER (PARTITION BY team ORDER BY id) FROM scores ORDER BY id;
SELECT id, pts, percent_rank() OVER (ORDER BY pts NULLS FIRST), cume_dist() OVER (ORDER BY pts NULLS FIRST) FROM scores ORDER BY id;
SELECT id, team, percent_rank() OVER (PARTITION BY team ORDER BY pts), cume_dist() OVER (PARTITION BY team ORDER BY pts) FROM scores ORDER BY id;
SELECT id, row_number() OVER w, rank() OVER w FROM scores WINDOW w AS (PARTITION BY team ORDER BY pts DESC NULLS LAST, id) ORDER BY id;
SELECT team, player, pts FROM (SELECT team, player, pts, row_number() OVER (PARTITION BY team ORDER BY pts DESC NULLS LAST, id) AS rn FROM scores) s WHERE rn = 1 ORDER BY team;
SELECT id, pts * 100.0 / sum(pts) OVER (PARTITION BY team) AS share FROM scores ORDER BY id;
SELECT team, sum(pts), rank() OVER (ORDER BY sum(pts) DESC) FROM scores GROUP BY team ORDER BY team;
SELECT team, count(*), sum(count(*)) OVER () FROM scores GROUP BY team ORDER BY team;
SELECT id, sum(amt) OVER (PARTITION BY team ORDER BY id), avg(amt) OVER (PARTITION BY team) FROM scores ORDER BY id;
SELECT id, lead(ts) OVER (PARTITION BY team ORDER BY ts) - ts AS gap FROM scores ORDER BY id;
SELECT DISTINCT team, first_value(player) OVER (PARTITION BY team ORDER BY pts DESC NULLS LAST, id) FROM scores;
SELECT id, row_number() OVER (ORDER BY team, player DESC) FROM scores ORDER BY id;
SELECT id, string_agg(player, ',') OVER (PARTITION BY team ORDER BY id) FROM scores ORDER BY id;
