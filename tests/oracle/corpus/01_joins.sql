-- Joins: inner, outer, cross, USING, NATURAL, self and multi-way joins, residual ON
-- predicates and NULL join keys.
CREATE TABLE dept (id INT PRIMARY KEY, name TEXT, region TEXT);
CREATE TABLE emp (id INT PRIMARY KEY, name TEXT, dept_id INT, manager_id INT, salary NUMERIC(10,2), hired DATE);
CREATE TABLE proj (id INT PRIMARY KEY, title TEXT, dept_id INT, lead_id INT, budget BIGINT);
CREATE TABLE a (k INT, v TEXT);
CREATE TABLE b (k INT, w TEXT);
CREATE TABLE c (k INT, v TEXT, z INT);
INSERT INTO dept VALUES (1, 'Engineering', 'EU'), (2, 'Sales', 'US'), (3, 'Support', 'EU'), (4, 'Legal', NULL);
INSERT INTO emp VALUES
  (1, 'Ada', 1, NULL, 5200.00, '2019-03-01'),
  (2, 'Bob', 1, 1, 4100.50, '2020-07-15'),
  (3, 'Cid', 2, 1, 3900.00, '2021-01-10'),
  (4, 'Dee', 2, 3, 3900.00, '2022-05-20'),
  (5, 'Eve', NULL, 1, 2500.25, '2023-02-01'),
  (6, 'Fay', 3, 2, NULL, '2018-11-30'),
  (7, 'Gus', 9, NULL, 1800.00, NULL);
INSERT INTO proj VALUES
  (10, 'Compiler', 1, 2, 100000),
  (11, 'Website', 2, 3, 25000),
  (12, 'Helpdesk', 3, 6, 8000),
  (13, 'Audit', NULL, NULL, 5000),
  (14, 'Runtime', 1, 1, 250000);
INSERT INTO a VALUES (1, 'a1'), (2, 'a2'), (2, 'a2b'), (NULL, 'anull'), (4, 'a4');
INSERT INTO b VALUES (2, 'b2'), (3, 'b3'), (NULL, 'bnull'), (4, 'b4'), (4, 'b4b');
INSERT INTO c VALUES (1, 'a1', 10), (2, 'x', 20), (4, 'a4', 40), (NULL, 'anull', 50);

SELECT e.name, d.name FROM emp e JOIN dept d ON e.dept_id = d.id ORDER BY e.name;
SELECT e.name, d.name FROM emp e INNER JOIN dept d ON d.id = e.dept_id WHERE d.region = 'EU';
SELECT e.name, d.name AS dept FROM emp e LEFT JOIN dept d ON e.dept_id = d.id ORDER BY e.id;
SELECT e.name, d.name AS dept FROM emp e RIGHT JOIN dept d ON e.dept_id = d.id;
SELECT e.name, d.name AS dept FROM emp e FULL OUTER JOIN dept d ON e.dept_id = d.id;
SELECT e.name, d.name AS dept FROM emp e FULL JOIN dept d ON e.dept_id = d.id WHERE e.id IS NULL OR d.id IS NULL;
SELECT count(*) FROM emp CROSS JOIN dept;
SELECT d.name, p.title FROM dept d CROSS JOIN proj p WHERE p.budget > 50000 ORDER BY d.name, p.title;
SELECT d.name, p.title FROM dept d, proj p WHERE d.id = p.dept_id;
SELECT * FROM a JOIN b USING (k);
SELECT * FROM a LEFT JOIN b USING (k);
SELECT * FROM a RIGHT JOIN b USING (k);
SELECT * FROM a FULL JOIN b USING (k);
SELECT k, v, w FROM a FULL JOIN b USING (k) ORDER BY k NULLS FIRST, v, w;
SELECT * FROM a NATURAL JOIN b;
SELECT * FROM a NATURAL JOIN c;
SELECT * FROM a NATURAL LEFT JOIN c;
SELECT * FROM a NATURAL FULL JOIN c;
SELECT a.k, b.k FROM a JOIN b ON a.k = b.k;
SELECT a.k, b.k FROM a LEFT JOIN b ON a.k = b.k;
SELECT a.v, b.w FROM a JOIN b ON a.k = b.k OR (a.k IS NULL AND b.k IS NULL);
SELECT a.v, b.w FROM a JOIN b ON a.k IS NOT DISTINCT FROM b.k;
SELECT a.v, b.w FROM a LEFT JOIN b ON a.k = b.k AND b.w <> 'b4';
SELECT a.v, b.w FROM a LEFT JOIN b ON a.k = b.k WHERE b.w <> 'b4';
SELECT a.v, b.w FROM a LEFT JOIN b ON a.k = b.k AND a.v LIKE 'a2%';
SELECT a.v, b.w FROM a RIGHT JOIN b ON a.k = b.k AND a.v = 'a2';
SELECT a.v, b.w FROM a FULL JOIN b ON a.k = b.k AND b.w = 'b4b';
SELECT a.v, b.w FROM a JOIN b ON a.k < b.k;
SELECT a.v, b.w FROM a LEFT JOIN b ON a.k + 1 = b.k;
SELECT a.v, b.w FROM a FULL JOIN b ON a.k = b.k - 2;
SELECT a.v, b.w FROM a JOIN b ON true;
SELECT a.v, b.w FROM a LEFT JOIN b ON false;
SELECT e.name AS employee, m.name AS manager FROM emp e LEFT JOIN emp m ON e.manager_id = m.id ORDER BY e.id;
SELECT m.name, count(e.id) AS reports FROM emp m LEFT JOIN emp e ON e.manager_id = m.id GROUP BY m.name ORDER BY reports DESC, m.name;
SELECT e1.name, e2.name FROM emp e1 JOIN emp e2 ON e1.salary = e2.salary AND e1.id < e2.id;
SELECT e.name, d.name AS dept, p.title FROM emp e JOIN dept d ON e.dept_id = d.id JOIN proj p ON p.dept_id = d.id ORDER BY e.name, p.title;
SELECT e.name, p.title FROM emp e LEFT JOIN proj p ON p.lead_id = e.id LEFT JOIN dept d ON p.dept_id = d.id WHERE d.region IS DISTINCT FROM 'US';
SELECT d.name, p.title, e.name FROM dept d LEFT JOIN proj p ON p.dept_id = d.id LEFT JOIN emp e ON e.id = p.lead_id;
SELECT d.name, sum(p.budget) AS total FROM dept d LEFT JOIN proj p ON p.dept_id = d.id GROUP BY d.name;
SELECT d.name, count(p.id), count(*) FROM dept d LEFT JOIN proj p ON p.dept_id = d.id GROUP BY d.name;
SELECT e.name FROM emp e JOIN dept d ON e.dept_id = d.id AND d.region = 'EU' AND e.salary > 3000;
SELECT x.name, y.name FROM dept x JOIN dept y ON x.region = y.region AND x.id <> y.id;
SELECT p.title, e.name, d.name FROM proj p FULL JOIN emp e ON p.lead_id = e.id FULL JOIN dept d ON e.dept_id = d.id;
SELECT t.k, t.v FROM (a JOIN c ON a.k = c.k) AS t (k, v, k2, v2, z);
SELECT a.v, sub.w FROM a JOIN (SELECT k, max(w) AS w FROM b GROUP BY k) sub ON sub.k = a.k;
SELECT count(*) FROM a, b, c;
SELECT a.v, b.w, c.z FROM a JOIN b ON a.k = b.k JOIN c ON c.k = b.k;
SELECT a.v, b.w, c.z FROM a LEFT JOIN b ON a.k = b.k LEFT JOIN c ON c.k = b.k;
SELECT a.v, b.w, c.z FROM a LEFT JOIN (b JOIN c ON b.k = c.k) ON a.k = b.k;
SELECT e.name, e.salary, d.name FROM emp e JOIN dept d ON e.dept_id = d.id WHERE e.salary BETWEEN 3000 AND 5000 ORDER BY e.salary DESC, e.name;
SELECT d.region, count(*) FROM emp e JOIN dept d ON e.dept_id = d.id GROUP BY d.region;
SELECT d.name FROM dept d LEFT JOIN emp e ON e.dept_id = d.id WHERE e.id IS NULL;
SELECT e.name FROM emp e LEFT JOIN dept d ON e.dept_id = d.id WHERE d.id IS NULL ORDER BY e.name;
