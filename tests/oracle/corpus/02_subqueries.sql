-- Subqueries: scalar, IN / NOT IN (with NULLs), EXISTS / NOT EXISTS, correlated subqueries in
-- WHERE and SELECT, derived tables and LATERAL.
CREATE TABLE customers (id INT PRIMARY KEY, name TEXT, city TEXT, tier INT);
CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT, amount NUMERIC(10,2), status TEXT, placed DATE);
CREATE TABLE nums (n INT);
CREATE TABLE nulls_list (n INT);
INSERT INTO customers VALUES
  (1, 'Acme', 'Berlin', 1),
  (2, 'Bolt', 'Paris', 2),
  (3, 'Crux', 'Berlin', 2),
  (4, 'Dyna', NULL, 3),
  (5, 'Echo', 'Rome', NULL);
INSERT INTO orders VALUES
  (100, 1, 250.00, 'paid', '2024-01-05'),
  (101, 1, 75.50, 'open', '2024-01-20'),
  (102, 2, 1200.00, 'paid', '2024-02-11'),
  (103, 3, 19.99, 'cancelled', '2024-02-12'),
  (104, 3, 310.00, 'paid', '2024-03-01'),
  (105, NULL, 42.00, 'open', '2024-03-02'),
  (106, 2, NULL, 'open', '2024-03-15'),
  (107, 9, 5.00, 'paid', '2024-03-20');
INSERT INTO nums VALUES (1), (2), (3), (4), (5);
INSERT INTO nulls_list VALUES (1), (NULL), (3);

SELECT (SELECT max(amount) FROM orders);
SELECT name, (SELECT count(*) FROM orders o WHERE o.customer_id = c.id) AS n_orders FROM customers c ORDER BY id;
SELECT name, (SELECT sum(amount) FROM orders o WHERE o.customer_id = c.id) AS total FROM customers c ORDER BY id;
SELECT name, (SELECT max(placed) FROM orders o WHERE o.customer_id = c.id AND o.status = 'paid') AS last_paid FROM customers c;
SELECT id, amount FROM orders WHERE amount > (SELECT avg(amount) FROM orders) ORDER BY id;
SELECT id FROM orders WHERE amount = (SELECT min(amount) FROM orders);
SELECT (SELECT name FROM customers WHERE id = 99) IS NULL AS missing;
SELECT name FROM customers WHERE id IN (SELECT customer_id FROM orders WHERE status = 'paid');
SELECT name FROM customers WHERE id NOT IN (SELECT customer_id FROM orders WHERE customer_id IS NOT NULL);
SELECT name FROM customers WHERE id NOT IN (SELECT customer_id FROM orders);
SELECT n FROM nums WHERE n IN (SELECT n FROM nulls_list);
SELECT n FROM nums WHERE n NOT IN (SELECT n FROM nulls_list);
SELECT n, n IN (SELECT n FROM nulls_list) AS in_list FROM nums ORDER BY n;
SELECT n, n NOT IN (SELECT n FROM nulls_list) AS not_in FROM nums ORDER BY n;
SELECT n, n NOT IN (SELECT n FROM nulls_list WHERE n IS NOT NULL) AS not_in FROM nums ORDER BY n;
SELECT n FROM nums WHERE n IN (1, 3, NULL);
SELECT n FROM nums WHERE n NOT IN (1, 3);
SELECT n, n NOT IN (1, NULL) AS x FROM nums ORDER BY n;
SELECT NULL::int IN (SELECT n FROM nums) AS a, NULL::int IN (SELECT n FROM nums WHERE false) AS b;
SELECT name FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id);
SELECT name FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id);
SELECT name FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.amount > 200);
SELECT name FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.status <> 'paid');
SELECT count(*) FROM orders WHERE EXISTS (SELECT 1 FROM customers WHERE city = 'Rome');
SELECT count(*) FROM orders WHERE EXISTS (SELECT 1 FROM customers WHERE city = 'Oslo');
SELECT id FROM orders o WHERE amount > (SELECT avg(amount) FROM orders o2 WHERE o2.customer_id = o.customer_id);
SELECT id, amount FROM orders o WHERE amount = (SELECT max(amount) FROM orders o2 WHERE o2.status = o.status) ORDER BY id;
SELECT c.name, c.tier FROM customers c WHERE c.tier = (SELECT max(tier) FROM customers c2 WHERE c2.city = c.city);
SELECT name, EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.status = 'open') AS has_open FROM customers c ORDER BY name;
SELECT name, (SELECT count(*) FROM customers c2 WHERE c2.tier < c.tier) AS lower_tiers FROM customers c ORDER BY name;
SELECT t.city, t.n FROM (SELECT city, count(*) AS n FROM customers GROUP BY city) t WHERE t.n > 1;
SELECT avg(total) FROM (SELECT customer_id, sum(amount) AS total FROM orders GROUP BY customer_id) s;
SELECT s.status, s.cnt FROM (SELECT status, count(*) AS cnt FROM orders GROUP BY status) AS s ORDER BY s.cnt DESC, s.status;
SELECT x.a + x.b AS total FROM (SELECT 1 AS a, 2 AS b) x;
SELECT * FROM (SELECT id, amount FROM orders WHERE status = 'paid') p JOIN (SELECT id, name FROM customers) c ON c.id = p.id - 99;
SELECT * FROM (VALUES (1, 'one'), (2, 'two')) AS v (num, word) ORDER BY num;
SELECT c.name, last.id, last.amount FROM customers c, LATERAL (SELECT id, amount FROM orders o WHERE o.customer_id = c.id ORDER BY placed DESC LIMIT 1) last ORDER BY c.name;
SELECT c.name, l.cnt FROM customers c CROSS JOIN LATERAL (SELECT count(*) AS cnt FROM orders o WHERE o.customer_id = c.id) l ORDER BY c.name;
SELECT c.name, l.id FROM customers c LEFT JOIN LATERAL (SELECT id FROM orders o WHERE o.customer_id = c.id AND o.amount > 100) l ON true ORDER BY c.name, l.id;
SELECT n, sq.double FROM nums, LATERAL (SELECT n * 2 AS double) sq ORDER BY n;
SELECT name FROM customers WHERE tier = ANY (SELECT n FROM nums WHERE n > 1);
SELECT name FROM customers WHERE tier > ALL (SELECT n FROM nums WHERE n < 3);
SELECT n FROM nums WHERE n > ALL (SELECT n FROM nulls_list);
SELECT n FROM nums WHERE n < ANY (SELECT n FROM nulls_list);
SELECT name FROM customers WHERE city IN (SELECT city FROM customers GROUP BY city HAVING count(*) > 1);
SELECT name FROM customers WHERE (SELECT count(*) FROM orders WHERE customer_id = customers.id) >= 2;
SELECT status, (SELECT count(*) FROM customers) AS customers FROM orders GROUP BY status;
SELECT id FROM orders WHERE customer_id IN (SELECT id FROM customers WHERE city = 'Berlin') AND amount > (SELECT min(amount) FROM orders WHERE status = 'paid');
SELECT name, (SELECT o.status FROM orders o WHERE o.customer_id = c.id ORDER BY o.amount DESC NULLS LAST LIMIT 1) AS top_status FROM customers c;
SELECT COALESCE((SELECT sum(n) FROM nums WHERE n > 10), 0) AS s;
