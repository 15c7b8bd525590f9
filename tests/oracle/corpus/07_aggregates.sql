-- Grouping and aggregates: GROUP BY / HAVING, FILTER, DISTINCT aggregates, string_agg and
-- array_agg with ORDER BY, bool_and / bool_or, grouping by expressions and positions.
CREATE TABLE sales (id INT PRIMARY KEY, region TEXT, product TEXT, qty INT, price NUMERIC(10,2), paid BOOLEAN, sold DATE);
INSERT INTO sales VALUES
  (1, 'north', 'apple', 10, 1.20, true, '2024-01-03'),
  (2, 'north', 'pear', 5, 2.00, false, '2024-01-04'),
  (3, 'south', 'apple', 7, 1.10, true, '2024-01-04'),
  (4, 'south', 'apple', 3, 1.10, true, '2024-02-01'),
  (5, 'east', 'plum', NULL, 3.00, NULL, '2024-02-02'),
  (6, 'north', 'apple', 10, 1.25, true, '2024-02-10'),
  (7, 'west', 'pear', 1, NULL, false, '2024-03-01'),
  (8, 'south', 'plum', 4, 2.80, false, '2024-03-05'),
  (9, NULL, 'apple', 2, 1.00, true, '2024-03-06'),
  (10, 'east', 'pear', 6, 2.10, true, '2024-03-07');

SELECT region, count(*) FROM sales GROUP BY region;
SELECT region, sum(qty), avg(qty), min(qty), max(qty) FROM sales GROUP BY region;
SELECT region, product, sum(qty) FROM sales GROUP BY region, product;
SELECT product, sum(qty * price) AS revenue FROM sales GROUP BY product ORDER BY revenue DESC;
SELECT region, count(*) FROM sales GROUP BY region HAVING count(*) > 1;
SELECT region, sum(qty) FROM sales GROUP BY region HAVING sum(qty) >= 10 ORDER BY region;
SELECT product FROM sales GROUP BY product HAVING min(price) < 1.15;
SELECT count(*) FROM sales HAVING count(*) > 5;
SELECT count(*) FROM sales HAVING count(*) > 50;
SELECT region, avg(price) FROM sales WHERE paid GROUP BY region;
SELECT region, count(*) AS n FROM sales GROUP BY 1 ORDER BY 2 DESC, 1;
SELECT upper(product) AS p, count(*) FROM sales GROUP BY upper(product);
SELECT extract(month FROM sold) AS m, sum(qty) FROM sales GROUP BY extract(month FROM sold) ORDER BY m;
SELECT qty > 5 AS big, count(*) FROM sales GROUP BY qty > 5;
SELECT region, count(*) FILTER (WHERE paid) AS paid_n, count(*) FILTER (WHERE NOT paid) AS unpaid_n FROM sales GROUP BY region;
SELECT sum(qty) FILTER (WHERE product = 'apple') AS apples, sum(qty) FILTER (WHERE product <> 'apple') AS others FROM sales;
SELECT avg(price) FILTER (WHERE region = 'north'), max(sold) FILTER (WHERE paid) FROM sales;
SELECT count(DISTINCT product), count(DISTINCT region), count(DISTINCT price) FROM sales;
SELECT region, count(DISTINCT product) FROM sales GROUP BY region;
SELECT sum(DISTINCT qty), avg(DISTINCT qty), sum(qty) FROM sales;
SELECT count(DISTINCT product) FILTER (WHERE qty > 3) FROM sales;
SELECT string_agg(product, ',' ORDER BY id) FROM sales;
SELECT region, string_agg(product, '; ' ORDER BY product, id) FROM sales GROUP BY region;
SELECT string_agg(DISTINCT product, ',' ORDER BY product) FROM sales;
SELECT string_agg(region, '|' ORDER BY region DESC NULLS LAST) FROM sales WHERE product = 'apple';
SELECT array_agg(id ORDER BY id) FROM sales WHERE paid;
SELECT product, array_agg(qty ORDER BY qty NULLS FIRST, id) FROM sales GROUP BY product;
SELECT array_agg(DISTINCT region ORDER BY region) FROM sales;
SELECT array_agg(price ORDER BY id DESC) FROM sales WHERE region = 'south';
SELECT bool_and(paid), bool_or(paid) FROM sales;
SELECT region, bool_and(paid), bool_or(paid) FROM sales GROUP BY region;
SELECT product, bool_and(qty > 2) AS all_big, bool_or(price > 2) AS any_pricey FROM sales GROUP BY product;
SELECT region, product, count(*) FROM sales GROUP BY region, product HAVING count(*) > 1 ORDER BY region, product;
SELECT count(*), count(qty), count(price), count(paid), count(region) FROM sales;
SELECT sum(qty) / count(qty) AS int_avg, avg(qty) FROM sales;
SELECT region, round(avg(price), 3), round(sum(price * qty) / sum(qty), 4) FROM sales WHERE qty IS NOT NULL GROUP BY region;
SELECT min(product), max(product), min(sold), max(sold), min(paid::int), max(price) FROM sales;
SELECT region, max(qty) - min(qty) AS spread FROM sales GROUP BY region;
SELECT product, sum(qty) AS s FROM sales GROUP BY product HAVING sum(qty) > 10 AND count(*) > 2;
SELECT region FROM sales GROUP BY region HAVING bool_or(product = 'plum');
SELECT date_trunc('month', sold) AS month, count(*), sum(qty) FROM sales GROUP BY 1 ORDER BY 1;
SELECT CASE WHEN qty < 5 THEN 'small' ELSE 'large' END AS size, count(*) FROM sales GROUP BY 1;
SELECT product, count(*) * 100 / (SELECT count(*) FROM sales) AS pct FROM sales GROUP BY product;
SELECT sum(x), count(x) FROM (SELECT qty AS x FROM sales WHERE qty > 100) s;
SELECT region, sum(qty) FROM sales WHERE region IS NOT NULL GROUP BY region ORDER BY sum(qty) DESC, region LIMIT 2;
SELECT count(*) FILTER (WHERE qty IS NULL), sum(qty) FILTER (WHERE qty > 100) FROM sales;
SELECT product, string_agg(region, ',' ORDER BY id) FILTER (WHERE region IS NOT NULL) FROM sales GROUP BY product;
SELECT avg(price), sum(price), avg(qty::numeric), sum(qty::bigint) FROM sales;
SELECT region, product, sum(qty), grouping(region) AS g1, grouping(product) AS g2, grouping(region, product) AS g3 FROM sales GROUP BY GROUPING SETS ((region), (product), ());
SELECT region, product, count(*), grouping(product, region) FROM sales GROUP BY ROLLUP (region, product) HAVING grouping(product) = 1;
SELECT region, grouping(region), sum(qty) FROM sales GROUP BY region;
