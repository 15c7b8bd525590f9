-- Edge cases of value formatting and type resolution that everyday queries run into: float and
-- numeric text output, interval output, casts from text, mixed-type COALESCE/CASE/UNION,
-- statistics aggregates, grouping by output aliases and time zone offsets.
CREATE TABLE m (id INT PRIMARY KEY, i INT, b BIGINT, n NUMERIC(12,3), f DOUBLE PRECISION, t TEXT);
INSERT INTO m VALUES
  (1, 3, 10, 1.500, 0.1, '1'),
  (2, 4, 20, 2.250, 0.2, '2.5'),
  (3, NULL, 30, NULL, 1e20, 'x'),
  (4, 4, NULL, -0.125, -1.5, NULL),
  (5, 7, 50, 100.000, 1e-7, 'true');

SELECT 0.1::float8 * 3, 1.0::float8, -0.0::float8, 1e16::float8, 1e15::float8, 1e-5::float8;
SELECT 123456789.123::real, 10::real / 3, 1::float8 / 3, 2::float8 / 3 * 3;
SELECT f, f::text, f * 10 FROM m ORDER BY id;
SELECT (1 / 3::float8)::numeric(10,5), 1.5::float8::int, 2.5::float8::int, (-2.5)::float8::int;
SELECT 'NaN'::numeric, 'NaN'::numeric > 1, '1e3'::numeric, '  1.50  '::numeric, '-0'::numeric, '1.0e-2'::numeric;
SELECT 0.1::numeric(10,1) * 3, 1::numeric / 3, 2::numeric / 7 * 7, 1000000::numeric / 7;
SELECT n, n * n, n / 3, n + i, round(n, 1), trunc(n, 2) FROM m ORDER BY id;
SELECT sum(n), avg(n), avg(i), avg(b), sum(b) / count(b) FROM m;
SELECT stddev(i), variance(i), stddev_pop(i), var_pop(i), stddev_samp(n), var_samp(n) FROM m;
SELECT avg(x), sum(x) FROM (VALUES (1.5), (2.25), (3)) v (x);
SELECT avg(x) FROM (VALUES (1), (2)) v (x);
SELECT COALESCE(i, 1.5), COALESCE(n, i), COALESCE(t, 'none'), COALESCE(NULL, NULL, 3) FROM m ORDER BY id;
SELECT CASE WHEN i > 3 THEN n ELSE i END, CASE WHEN i > 3 THEN i ELSE 0.5 END FROM m ORDER BY id;
SELECT i FROM m UNION ALL SELECT n FROM m ORDER BY 1 NULLS FIRST;
SELECT 1 AS x UNION ALL SELECT 2.50 UNION ALL SELECT NULL ORDER BY x;
SELECT greatest(1, 2.5, i), least(n, 0) FROM m ORDER BY id;
SELECT 'yes'::boolean, '0'::boolean, ' t '::boolean, 'FALSE'::boolean, 'on'::boolean;
SELECT t = '1', i::text = t FROM m ORDER BY id;
SELECT i::text || '/' || b::text || '/' || n::text AS s FROM m ORDER BY id;
SELECT i::numeric / 2, i / 2, i::float8 / 2, b / 3, b % 3 FROM m ORDER BY id;
SELECT INTERVAL '1 day' - INTERVAL '1 hour', INTERVAL '-1 day -2 hours', INTERVAL '1000 hours', INTERVAL '1 day' * 1.5;
SELECT INTERVAL '2 hours 30 minutes' / 4, INTERVAL '1 month' / 2, INTERVAL '0.5 seconds', INTERVAL '-00:00:01.5';
SELECT TIMESTAMP '2024-12-31 23:00' - TIMESTAMP '2024-01-01 00:00', DATE '2024-03-10' - INTERVAL '1 hour';
SELECT '2024-1-5 3:04'::timestamp, '2024/01/05'::date, '20240105'::date, 'epoch'::timestamp;
SELECT TIMESTAMPTZ '2024-07-01 12:00:00+05:30', TIMESTAMPTZ '2024-07-01 12:00:00-09:30';
SELECT TIMESTAMPTZ '2024-07-01 12:00:00+00' AT TIME ZONE 'UTC+3', TIMESTAMP '2024-07-01 12:00:00' AT TIME ZONE 'UTC-2';
SELECT i % 2 AS parity, count(*) FROM m GROUP BY parity ORDER BY parity NULLS LAST;
SELECT i * 10 AS tens, sum(b) FROM m GROUP BY 1 ORDER BY tens DESC NULLS LAST;
SELECT t AS label FROM m ORDER BY label NULLS FIRST;
SELECT id, -i AS neg FROM m ORDER BY neg, id;
SELECT count(*), max(i), sum(n), string_agg(t, ','), array_agg(i), bool_or(i > 0) FROM m WHERE id > 100;
SELECT array_agg(n ORDER BY id), array_agg(t ORDER BY id), array_agg(f ORDER BY id) FROM m;
SELECT split_part('a,b,c', ',', -1), repeat('ab', -1), lpad('abc', -1), left('abc', 0), position('' IN 'abc');
SELECT concat(NULL, NULL), concat_ws(',', NULL, 'a', NULL, 'b'), 'a' || 1 || 2.50, length(concat(1, NULL, 2));
SELECT substring('abcdef', 2), substring('abcdef', 2, 3), substr('abcdef', 0, 2), 'abc' < 'abcd', 'B' < 'a';
SELECT count(*) FROM m a JOIN m b ON a.i = b.i;
SELECT a.id, b.id FROM m a JOIN m b ON a.n < b.n ORDER BY a.id, b.id;
SELECT sum(i) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), avg(n) OVER (ORDER BY id) FROM m ORDER BY id;
SELECT id, i, lag(i, 1, 0) OVER (ORDER BY id), lead(n, 1, 0.5) OVER (ORDER BY id) FROM m ORDER BY id;
SELECT 9223372036854775807, -9223372036854775808, 9223372036854775808, 2147483647::bigint * 2;
SELECT b * 1000000000 FROM m WHERE b IS NOT NULL ORDER BY id;
SELECT 5 BETWEEN 1 AND 10, 5 NOT BETWEEN 10 AND 1, 5 BETWEEN SYMMETRIC 10 AND 1;
SELECT 'abc' IN ('a', 'abc'), 3 IN (1, 2), NULL::int IN (1), 1 IN (NULL, 1);
