-- Numbers: NUMERIC scale rules, division, round/trunc, sum/avg of numerics and integers, casts
-- between numeric types, integer arithmetic and floating point.
CREATE TABLE prices (id INT PRIMARY KEY, price NUMERIC(10,2), qty INT, discount NUMERIC(4,3), big BIGINT, small SMALLINT, ratio DOUBLE PRECISION, r REAL);
INSERT INTO prices VALUES
  (1, 39.50, 3, 0.100, 9000000000, 7, 0.5, 1.5),
  (2, 49.99, 1, 0.000, -5, -3, 2.25, 0.25),
  (3, 0.01, 100, 0.333, 1234567890123, 32000, 1e-5, 3.75),
  (4, 1234.56, 7, NULL, 0, 0, -1.125, -8),
  (5, 10.00, 0, 0.050, 42, 1, 100, 0.125);

SELECT 39.50 + 49.99;
SELECT 1.1 + 2.22, 1.10 * 2.2, 10.000 - 0.5, 3.0 * 3.00;
SELECT 1 / 3.0, 10 / 4.0, 2.0 / 3, 1.00 / 7;
SELECT 100.0 / 3, 1 / 3.000000, 22 / 7.0;
SELECT 7 / 2, -7 / 2, 7 % 3, -7 % 3, 7 % -3;
SELECT 7.5 % 2, -7.5 % 2;
SELECT 2 ^ 10, 2.0 ^ 3;
SELECT round(2.5), round(-2.5), round(3.14159, 2), round(1234.5678, -2), round(0.005, 2);
SELECT trunc(2.7), trunc(-2.7), trunc(3.14159, 3), trunc(1234.5678, -1);
SELECT ceil(2.1), ceil(-2.1), floor(2.9), floor(-2.9), ceiling(0.5);
SELECT abs(-3), abs(-3.50), abs(5), sign(-2.5), sign(0);
SELECT round(price * qty, 1), price * qty, price * discount FROM prices ORDER BY id;
SELECT id, price / qty FROM prices WHERE qty <> 0 ORDER BY id;
SELECT id, round(price / qty, 2) FROM prices WHERE qty > 0 ORDER BY id;
SELECT id, price * (1 - discount) AS net FROM prices ORDER BY id;
SELECT sum(price), avg(price), min(price), max(price) FROM prices;
SELECT sum(qty), avg(qty), sum(big), avg(big), sum(small), avg(small) FROM prices;
SELECT sum(price * qty) AS revenue FROM prices;
SELECT sum(discount), avg(discount), count(discount) FROM prices;
SELECT avg(qty)::numeric(10,3), round(avg(price), 2) FROM prices;
SELECT 5::numeric(5,2), 3.14159::numeric(4,2), 2.5::numeric(3,0), -2.5::numeric(3,0);
SELECT CAST(12.345 AS NUMERIC(6,1)), CAST('1.005' AS NUMERIC(5,2)), CAST(0.5 AS INT), CAST(1.5 AS INT), CAST(-1.5 AS INT);
SELECT '42'::int + 1, '  7 '::int, '-12'::bigint * 2, '3.50'::numeric;
SELECT 10::bigint * 3, 32767::smallint + 1, 2147483647::bigint + 1;
SELECT 9000000000 * 2, -9223372036854775807 - 1;
SELECT 2147483647 + 0, -2147483648, 2147483648;
SELECT id, big * 2, big + qty, small * qty, small + 1 FROM prices ORDER BY id;
SELECT id, qty / 2, qty % 3, -qty FROM prices ORDER BY id;
SELECT 1.0::float8 / 3, 0.1::float8 + 0.2, 1e300::float8 * 10, 2.5::real * 2;
SELECT ratio * 2, ratio + 1, r * 2 FROM prices ORDER BY id;
SELECT id, ratio::numeric(10,4), r::int FROM prices ORDER BY id;
SELECT sqrt(16), sqrt(2.0), power(2, 0.5), exp(0), ln(1);
SELECT 1e10::float8, 1.5e-7::float8, 123456789012345678::float8, 0.1::real;
SELECT 'NaN'::float8, 'Infinity'::float8, '-Infinity'::float8;
SELECT sum(ratio), max(ratio), min(r) FROM prices;
SELECT 3 = 3.0, 1 < 1.5, 2::bigint = 2, 0.1::float8 = 0.1;
SELECT id FROM prices WHERE price > 20 AND price < 100 ORDER BY id;
SELECT id FROM prices WHERE price = 10 ORDER BY id;
SELECT id, price FROM prices ORDER BY price DESC LIMIT 2;
SELECT 1.000 + 1, 0.00 * 5, 100 * 1.10, 0.1 * 0.1;
SELECT 123.456::numeric(10,2) + 0.004, 1.23e3, 5.0e-2;
SELECT 12345678901234567890::numeric * 10, 0.000000001 * 1000;
SELECT 10 / 3::numeric, 1::numeric / 8, 2::numeric / 3 * 3;
SELECT mod(17, 5), mod(-17, 5), mod(17.5, 5), div(17, 5), gcd(12, 18), lcm(4, 6);
SELECT min(qty * price), max(price / 3) FROM prices;
SELECT qty::text || ' items', price::text, discount::text FROM prices WHERE id < 3 ORDER BY id;
SELECT 0.1 + 0.2 = 0.3, 1 / 3.0 * 3;
