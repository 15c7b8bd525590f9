-- Query clauses: VALUES, CASE, DISTINCT, DISTINCT ON, ORDER BY with NULLS FIRST/LAST and
-- expressions, LIMIT / OFFSET, and generate_series.
CREATE TABLE items (id INT PRIMARY KEY, cat TEXT, name TEXT, price NUMERIC(10,2), stock INT, added TIMESTAMP);
INSERT INTO items VALUES
  (1, 'fruit', 'apple', 1.20, 50, '2024-01-01 09:00'),
  (2, 'fruit', 'banana', 0.50, NULL, '2024-01-02 09:00'),
  (3, 'veg', 'carrot', 0.80, 20, '2024-01-02 10:00'),
  (4, 'veg', 'daikon', 2.40, 0, NULL),
  (5, 'dairy', 'egg', 0.30, 120, '2024-01-03 08:00'),
  (6, NULL, 'flour', 1.10, 15, '2024-01-03 08:30'),
  (7, 'fruit', 'grape', 3.50, 8, '2024-01-04 12:00'),
  (8, 'dairy', 'milk', 0.99, NULL, '2024-01-05 07:00');

VALUES (1, 'a'), (2, 'b'), (3, NULL);
SELECT * FROM (VALUES (1, 2.5), (2, NULL), (3, 4)) v (a, b) ORDER BY a;
SELECT column1, column2 FROM (VALUES ('x', 1), ('y', 2)) v;
VALUES (1 + 1, 'a' || 'b'), (3, upper('c')) ORDER BY 1;
SELECT id, CASE WHEN price > 2 THEN 'high' WHEN price > 1 THEN 'mid' ELSE 'low' END AS band FROM items ORDER BY id;
SELECT id, CASE cat WHEN 'fruit' THEN 1 WHEN 'veg' THEN 2 END AS code FROM items ORDER BY id;
SELECT id, CASE WHEN stock IS NULL THEN 0 ELSE stock END FROM items ORDER BY id;
SELECT id, CASE WHEN stock > 10 THEN price ELSE 0 END FROM items ORDER BY id;
SELECT sum(CASE WHEN cat = 'fruit' THEN 1 ELSE 0 END) AS fruits, sum(CASE WHEN stock = 0 THEN 1 END) AS empty FROM items;
SELECT DISTINCT cat FROM items;
SELECT DISTINCT cat FROM items ORDER BY cat NULLS FIRST;
SELECT DISTINCT cat, stock > 10 AS many FROM items;
SELECT count(*) FROM (SELECT DISTINCT cat FROM items) d;
SELECT DISTINCT ON (cat) cat, name, price FROM items ORDER BY cat, price DESC;
SELECT DISTINCT ON (cat) cat, name FROM items ORDER BY cat NULLS FIRST, id;
SELECT DISTINCT ON (stock > 10) stock > 10 AS many, name FROM items ORDER BY stock > 10, name;
SELECT id, stock FROM items ORDER BY stock NULLS FIRST, id;
SELECT id, stock FROM items ORDER BY stock DESC, id;
SELECT id, stock FROM items ORDER BY stock ASC NULLS LAST, id;
SELECT id, stock FROM items ORDER BY stock DESC NULLS LAST, id;
SELECT id, cat FROM items ORDER BY cat DESC NULLS FIRST, id DESC;
SELECT id, added FROM items ORDER BY added NULLS FIRST;
SELECT name FROM items ORDER BY price * COALESCE(stock, 0) DESC, name;
SELECT name, price FROM items ORDER BY length(name), name;
SELECT id, name FROM items ORDER BY id LIMIT 3;
SELECT id, name FROM items ORDER BY id LIMIT 3 OFFSET 2;
SELECT id, name FROM items ORDER BY id OFFSET 6;
SELECT id FROM items ORDER BY id LIMIT 0;
SELECT id FROM items ORDER BY id LIMIT 100 OFFSET 7;
SELECT id FROM items ORDER BY id DESC FETCH FIRST 2 ROWS ONLY;
SELECT id FROM items ORDER BY id LIMIT ALL;
SELECT cat, count(*) FROM items GROUP BY cat ORDER BY count(*) DESC, cat NULLS LAST LIMIT 2;
SELECT * FROM generate_series(1, 5);
SELECT * FROM generate_series(10, 1, -3);
SELECT * FROM generate_series(1, 0);
SELECT g FROM generate_series(1, 10) AS g WHERE g % 3 = 0;
SELECT g * g AS sq FROM generate_series(1, 5) g ORDER BY sq DESC;
SELECT sum(g), count(*) FROM generate_series(1, 100) g;
SELECT * FROM generate_series(TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-03', INTERVAL '12 hours');
SELECT * FROM generate_series(0.5, 2.5, 0.5);
SELECT g, i.name FROM generate_series(1, 3) g JOIN items i ON i.id = g;
SELECT g.n, count(i.id) FROM generate_series(0, 3) AS g(n) LEFT JOIN items i ON i.stock > n * 40 GROUP BY g.n ORDER BY g.n;
SELECT generate_series(1, 3) AS s;
SELECT 1 + 2 AS three, 'lit', NULL AS nothing, true AND false;
SELECT id * 2, -price, price + 1, name || '' FROM items WHERE id <= 2 ORDER BY id;
SELECT id FROM items WHERE id IN (2, 4, 6, 8) AND NOT (cat = 'veg') ORDER BY id;
SELECT id FROM items WHERE name BETWEEN 'b' AND 'e' ORDER BY id;
SELECT id FROM items WHERE price NOT BETWEEN 0.5 AND 1.5 ORDER BY id;
SELECT i.* FROM items i WHERE i.id = 3;
SELECT items.name FROM items WHERE items.cat = 'dairy' ORDER BY items.name;
SELECT CAST(stock AS TEXT) AS s, CAST(price AS INT) AS p, stock::numeric / 3 AS third FROM items ORDER BY id;
