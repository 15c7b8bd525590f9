-- NULL handling: three-valued logic, IS [NOT] DISTINCT FROM, COALESCE/NULLIF, comparisons and
-- arithmetic with NULL, aggregates and grouping over NULLs.
CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, s TEXT, f BOOLEAN, x NUMERIC(10,2));
CREATE TABLE g (k TEXT, v INT);
INSERT INTO t VALUES
  (1, 1, 1, 'one', true, 1.50),
  (2, 2, NULL, NULL, false, NULL),
  (3, NULL, 3, 'three', NULL, 3.25),
  (4, NULL, NULL, '', true, 0.00),
  (5, 5, 6, 'five', false, -2.75);
INSERT INTO g VALUES ('a', 1), ('a', NULL), (NULL, 2), (NULL, NULL), ('b', NULL);

SELECT id, a = b AS eq, a <> b AS ne, a < b AS lt FROM t ORDER BY id;
SELECT id, a IS DISTINCT FROM b AS d, a IS NOT DISTINCT FROM b AS nd FROM t ORDER BY id;
SELECT id, f AND a > 1 AS x, f OR a > 1 AS y, NOT f AS z FROM t ORDER BY id;
SELECT NULL AND false, NULL AND true, NULL OR true, NULL OR false, NOT NULL::boolean;
SELECT id FROM t WHERE f;
SELECT id FROM t WHERE NOT f;
SELECT id FROM t WHERE f IS NOT TRUE;
SELECT id FROM t WHERE f IS UNKNOWN;
SELECT id, f IS TRUE, f IS FALSE, f IS NOT FALSE FROM t ORDER BY id;
SELECT id FROM t WHERE a IS NULL;
SELECT id FROM t WHERE a IS NOT NULL AND b IS NOT NULL;
SELECT id FROM t WHERE a = NULL;
SELECT id FROM t WHERE s = '';
SELECT id FROM t WHERE s IS NULL OR s = '';
SELECT id, COALESCE(a, b, -1) AS c FROM t ORDER BY id;
SELECT id, COALESCE(s, 'none') FROM t ORDER BY id;
SELECT id, NULLIF(a, 1) AS n, NULLIF(s, '') AS m FROM t ORDER BY id;
SELECT id, a + b AS sum, a * b AS prod, a - NULL AS z FROM t ORDER BY id;
SELECT id, s || '!' AS bang FROM t ORDER BY id;
SELECT id, concat(s, '!', a) AS c FROM t ORDER BY id;
SELECT id, x * 2 AS dbl, -x AS neg FROM t ORDER BY id;
SELECT count(*), count(a), count(b), count(s), count(f), count(x) FROM t;
SELECT sum(a), avg(a), min(a), max(a) FROM t;
SELECT sum(x), avg(x), min(x), max(x) FROM t;
SELECT sum(a) FROM t WHERE a IS NULL;
SELECT count(*), count(a), sum(a), avg(a), max(s) FROM t WHERE false;
SELECT k, count(*), count(v), sum(v) FROM g GROUP BY k;
SELECT k, count(*) FROM g GROUP BY k ORDER BY k NULLS FIRST;
SELECT k, count(*) FROM g GROUP BY k ORDER BY k;
SELECT DISTINCT k FROM g;
SELECT DISTINCT v FROM g ORDER BY v DESC;
SELECT count(DISTINCT k), count(DISTINCT v) FROM g;
SELECT k FROM g WHERE v IS NULL ORDER BY k NULLS LAST;
SELECT max(k), min(k) FROM g;
SELECT id, CASE WHEN a IS NULL THEN 'null' WHEN a > 2 THEN 'big' ELSE 'small' END FROM t ORDER BY id;
SELECT id, CASE a WHEN 1 THEN 'one' WHEN NULL THEN 'null?' ELSE 'other' END FROM t ORDER BY id;
SELECT id, greatest(a, b), least(a, b) FROM t ORDER BY id;
SELECT NULL::int IS NULL, NULL::text IS NOT NULL, (NULL = NULL) IS NULL;
SELECT id FROM t WHERE (a > 1) IS NOT FALSE ORDER BY id;
SELECT id, a BETWEEN 1 AND 3 AS btw FROM t ORDER BY id;
SELECT bool_and(f), bool_or(f), every(f) FROM t;
SELECT bool_and(f), bool_or(f) FROM t WHERE f IS NULL;
