/**
 * The examples of the examples menu: SQL scripts that run as they are on an empty database.
 * Each one after the first begins by dropping what it creates, so it can be run again.
 */
import { CLICKSTREAM_TABLES, NEXMARK_TABLES } from '../../runtime/sources/index.js';

export interface Example {
  id: string;
  title: string;
  sql: string;
}

/** The purchase-revenue scenario (scenarios/seed_revenue.sql), verbatim. */
const SEED_REVENUE = `-- The purchase-revenue example: a table, two incrementally maintained
-- materialized views (one grouped aggregate, one tumbling window), and
-- ad-hoc queries over them. Rows are inserted AFTER the views exist, so the
-- results below can only come from incremental maintenance.
SET TIME ZONE 'UTC';

CREATE TABLE fcluster_events (
    event_id   BIGINT,
    user_id    BIGINT,
    event_type VARCHAR,
    amount     NUMERIC,
    ts         TIMESTAMPTZ
);

CREATE MATERIALIZED VIEW fcluster_revenue_per_user AS
SELECT
    user_id,
    COUNT(*) FILTER (WHERE event_type = 'purchase') AS purchase_count,
    SUM(amount)  FILTER (WHERE event_type = 'purchase') AS total_revenue,
    MAX(ts)      AS last_event_ts
FROM fcluster_events
GROUP BY user_id;

CREATE MATERIALIZED VIEW fcluster_purchase_volume_1min AS
SELECT
    window_start,
    window_end,
    COUNT(*)    AS event_count,
    SUM(amount) AS window_revenue
FROM TUMBLE(fcluster_events, ts, INTERVAL '1 minute')
WHERE event_type = 'purchase'
GROUP BY window_start, window_end;

INSERT INTO fcluster_events VALUES
    (1, 101, 'view',     NULL,  '2026-04-02 07:26:10+00'),
    (2, 101, 'purchase', 39.50, '2026-04-02 07:27:05+00'),
    (3, 102, 'purchase', 99.00, '2026-04-02 07:27:20+00'),
    (4, 101, 'purchase', 49.99, '2026-04-02 07:27:45+00'),
    (5, 103, 'view',     NULL,  '2026-04-02 07:28:30+00'),
    (6, 103, 'cart',     12.00, '2026-04-02 07:28:40+00');

SELECT user_id, total_revenue
FROM fcluster_revenue_per_user
WHERE total_revenue > 50
ORDER BY total_revenue DESC;

SELECT * FROM fcluster_revenue_per_user ORDER BY user_id;

SELECT window_start, window_end, event_count, window_revenue
FROM fcluster_purchase_volume_1min;
`;

const JOIN = `-- A materialized join: each order with its customer, and revenue per country.
-- Both views follow inserts, updates and deletes on either table.
DROP MATERIALIZED VIEW IF EXISTS shop_revenue_by_country;
DROP MATERIALIZED VIEW IF EXISTS shop_order_details;
DROP TABLE IF EXISTS shop_orders;
DROP TABLE IF EXISTS shop_customers;

CREATE TABLE shop_customers (customer_id INT PRIMARY KEY, name VARCHAR, country VARCHAR);
CREATE TABLE shop_orders (order_id INT PRIMARY KEY, customer_id INT, amount NUMERIC);

CREATE MATERIALIZED VIEW shop_order_details AS
SELECT o.order_id, c.name, c.country, o.amount
FROM shop_orders o JOIN shop_customers c ON o.customer_id = c.customer_id;

CREATE MATERIALIZED VIEW shop_revenue_by_country AS
SELECT c.country, count(*) AS orders, sum(o.amount) AS revenue
FROM shop_orders o JOIN shop_customers c ON o.customer_id = c.customer_id
GROUP BY c.country;

INSERT INTO shop_customers VALUES (1, 'Ada', 'UK'), (2, 'Linus', 'FI'), (3, 'Grace', 'US');
INSERT INTO shop_orders VALUES (10, 1, 25.00), (11, 2, 12.50), (12, 1, 7.25), (13, 3, 40.00);
-- Orders whose customer arrives later join as soon as it does.
INSERT INTO shop_orders VALUES (14, 4, 99.99);
INSERT INTO shop_customers VALUES (4, 'Barbara', 'US');
UPDATE shop_customers SET country = 'SE' WHERE customer_id = 2;

SELECT * FROM shop_order_details ORDER BY order_id;

SELECT * FROM shop_revenue_by_country ORDER BY revenue DESC;
`;

const TOP_N = `-- Top-N per group: the best three scores of each game, kept up to date.
-- Deleting a leader brings the next best score back into the view.
DROP MATERIALIZED VIEW IF EXISTS game_leaderboard;
DROP TABLE IF EXISTS game_scores;

CREATE TABLE game_scores (game VARCHAR, player VARCHAR, score INT);

CREATE MATERIALIZED VIEW game_leaderboard AS
SELECT game, player, score, rank
FROM (
  SELECT game, player, score,
         row_number() OVER (PARTITION BY game ORDER BY score DESC, player) AS rank
  FROM game_scores
) ranked
WHERE rank <= 3;

INSERT INTO game_scores VALUES
  ('chess', 'ann', 1830), ('chess', 'bob', 1710), ('chess', 'cid', 1920), ('chess', 'dee', 1650),
  ('go', 'eve', 2410), ('go', 'fay', 2280), ('go', 'gus', 2555), ('go', 'hal', 2190);
DELETE FROM game_scores WHERE game = 'chess' AND player = 'cid';

SELECT * FROM game_leaderboard ORDER BY game, rank;
`;

const TUMBLE = `-- Tumbling windows: per-sensor averages over 5-minute windows of event time.
-- Late rows update the window they belong to.
DROP MATERIALIZED VIEW IF EXISTS sensor_5min;
DROP TABLE IF EXISTS sensor_readings;

CREATE TABLE sensor_readings (sensor VARCHAR, reading DOUBLE PRECISION, ts TIMESTAMPTZ);

CREATE MATERIALIZED VIEW sensor_5min AS
SELECT sensor, window_start, window_end,
       count(*) AS readings, round(avg(reading)::numeric, 2) AS avg_reading, max(reading) AS peak
FROM TUMBLE(sensor_readings, ts, INTERVAL '5 minutes')
GROUP BY sensor, window_start, window_end;

INSERT INTO sensor_readings VALUES
  ('boiler', 71.5, '2026-04-02 08:00:12+00'), ('boiler', 73.0, '2026-04-02 08:03:40+00'),
  ('boiler', 78.25, '2026-04-02 08:06:05+00'), ('intake', 12.0, '2026-04-02 08:01:00+00'),
  ('intake', 11.5, '2026-04-02 08:08:30+00'), ('intake', 13.75, '2026-04-02 08:09:59+00');
-- A late reading for the first window.
INSERT INTO sensor_readings VALUES ('boiler', 80.0, '2026-04-02 08:04:59+00');

SELECT * FROM sensor_5min ORDER BY sensor, window_start;
`;

/** The generator's tables, created here when the generator has not created them yet. */
function generatorDdl(tables: readonly { ddl: string }[]): string {
  return tables
    .map((t) => `${t.ddl.replace(/^CREATE TABLE /, 'CREATE TABLE IF NOT EXISTS ')};`)
    .join('\n');
}

const DASHBOARD = `-- A live dashboard over generated page views. Pick Clickstream in the
-- generator (top bar) and press Start: it fills the table clicks, and the
-- views below follow every batch. Pin a view ("pin" in the schema) to watch it.
DROP MATERIALIZED VIEW IF EXISTS dashboard_traffic_10s;
DROP MATERIALIZED VIEW IF EXISTS dashboard_top_pages_1min;
DROP MATERIALIZED VIEW IF EXISTS dashboard_referrers;
${generatorDdl(CLICKSTREAM_TABLES)}

-- Views and distinct visitors per 10-second window.
CREATE MATERIALIZED VIEW dashboard_traffic_10s AS
SELECT window_start, window_end, count(*) AS views, count(DISTINCT user_id) AS visitors
FROM TUMBLE(clicks, event_time, INTERVAL '10' SECOND)
GROUP BY window_start, window_end;

-- The three busiest pages of each minute.
CREATE MATERIALIZED VIEW dashboard_top_pages_1min AS
SELECT window_start, page, views, rank
FROM (
  SELECT window_start, page, views,
         row_number() OVER (PARTITION BY window_start ORDER BY views DESC, page) AS rank
  FROM (
    SELECT window_start, page, count(*) AS views
    FROM TUMBLE(clicks, event_time, INTERVAL '1' MINUTE)
    GROUP BY window_start, page
  ) per_page
) ranked
WHERE rank <= 3;

-- Where visitors come from.
CREATE MATERIALIZED VIEW dashboard_referrers AS
SELECT coalesce(referrer, '(direct)') AS referrer, count(*) AS views
FROM clicks
GROUP BY coalesce(referrer, '(direct)');

SELECT * FROM dashboard_traffic_10s ORDER BY window_start DESC LIMIT 6;

SELECT * FROM dashboard_top_pages_1min ORDER BY window_start DESC, rank LIMIT 6;

SELECT count(*) AS views, count(DISTINCT user_id) AS visitors, max(event_time) AS latest
FROM clicks;
`;

const NEXMARK_Q5 = `-- Nexmark q5, hot items: the auctions with the most bids in each
-- 10-second window, windows sliding every 2 seconds. Pick Nexmark in the
-- generator (top bar) and press Start to feed person, auction and bid.
DROP MATERIALIZED VIEW IF EXISTS nexmark_q5;
${generatorDdl(NEXMARK_TABLES)}

CREATE MATERIALIZED VIEW nexmark_q5 AS
SELECT AuctionBids.auction, AuctionBids.num FROM (
  SELECT bid.auction, count(*) AS num, window_start AS starttime
  FROM HOP(bid, date_time, INTERVAL '2' SECOND, INTERVAL '10' SECOND)
  GROUP BY window_start, bid.auction
) AS AuctionBids
JOIN (
  SELECT max(CountBids.num) AS maxn, CountBids.starttime_c
  FROM (
    SELECT count(*) AS num, window_start AS starttime_c
    FROM HOP(bid, date_time, INTERVAL '2' SECOND, INTERVAL '10' SECOND)
    GROUP BY bid.auction, window_start
  ) AS CountBids
  GROUP BY CountBids.starttime_c
) AS MaxBids
ON AuctionBids.starttime = MaxBids.starttime_c AND AuctionBids.num >= MaxBids.maxn;

SELECT * FROM nexmark_q5 ORDER BY num DESC, auction LIMIT 10;

SELECT count(*) AS hot_items, max(num) AS most_bids FROM nexmark_q5;
`;

const NEXMARK_Q7 = `-- Nexmark q7, highest bid: the bids at the top price of each 10-second
-- tumbling window. Pick Nexmark in the generator (top bar) and press Start
-- to feed person, auction and bid.
DROP MATERIALIZED VIEW IF EXISTS nexmark_q7;
${generatorDdl(NEXMARK_TABLES)}

CREATE MATERIALIZED VIEW nexmark_q7 AS
SELECT B.auction, B.price, B.bidder, B.date_time
FROM bid B
JOIN (
  SELECT MAX(price) AS maxprice, window_end AS date_time
  FROM TUMBLE(bid, date_time, INTERVAL '10' SECOND)
  GROUP BY window_end
) B1 ON B.price = B1.maxprice
WHERE B.date_time BETWEEN B1.date_time - INTERVAL '10' SECOND AND B1.date_time;

SELECT * FROM nexmark_q7 ORDER BY date_time DESC LIMIT 10;

SELECT count(*) AS windows_won, max(price) AS top_price FROM nexmark_q7;
`;

const NEXMARK_SOURCE = `-- A Nexmark source, read by the database itself (no generator needed):
-- 1,000 auction events a second, stamped with the wall clock. A source
-- reads only while a materialized view consumes it, and a view created
-- later starts at the events read from then on. Run the last SELECT again
-- to watch the windows fill.
DROP SOURCE IF EXISTS nexmark_events CASCADE;
CREATE SOURCE nexmark_events (
  event_type BIGINT,
  person STRUCT<id BIGINT, name VARCHAR, city VARCHAR, date_time TIMESTAMP>,
  auction STRUCT<id BIGINT, item_name VARCHAR, seller BIGINT, date_time TIMESTAMP>,
  bid STRUCT<auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, date_time TIMESTAMP>,
  date_time TIMESTAMP AS
    CASE WHEN event_type = 0 THEN (person).date_time
         WHEN event_type = 1 THEN (auction).date_time
         ELSE (bid).date_time END,
  WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND
) WITH (
  connector = 'nexmark',
  nexmark.min.event.gap.in.ns = '1000000',
  nexmark.use.real.time = 'true',
  nexmark.event.num = '3600000'
);

CREATE VIEW nexmark_bids AS
SELECT (bid).auction, (bid).bidder, (bid).price, (bid).channel, date_time
FROM nexmark_events WHERE event_type = 2;

-- Bids and turnover per 10-second window.
CREATE MATERIALIZED VIEW nexmark_bids_10s AS
SELECT window_start, count(*) AS bids, sum(price) AS turnover
FROM TUMBLE(nexmark_bids, date_time, INTERVAL '10' SECOND)
GROUP BY window_start;

SHOW SOURCES;

SELECT count(*) AS windows, coalesce(sum(bids), 0) AS bids FROM nexmark_bids_10s;
`;

export const EXAMPLES: readonly Example[] = [
  { id: 'seed-revenue', title: 'Purchase revenue (two views)', sql: SEED_REVENUE },
  { id: 'join', title: 'Join: orders and customers', sql: JOIN },
  { id: 'top-n', title: 'Top-N per group', sql: TOP_N },
  { id: 'tumble', title: 'Tumbling windows', sql: TUMBLE },
  { id: 'dashboard', title: 'Windowed dashboard (clickstream)', sql: DASHBOARD },
  { id: 'nexmark-q5', title: 'Nexmark q5: hot items', sql: NEXMARK_Q5 },
  { id: 'nexmark-q7', title: 'Nexmark q7: highest bid', sql: NEXMARK_Q7 },
  { id: 'nexmark-source', title: 'Nexmark source (CREATE SOURCE)', sql: NEXMARK_SOURCE },
];
