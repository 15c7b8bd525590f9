-- Dates and times: timestamp, timestamptz, date and interval arithmetic, date_trunc, extract,
-- comparisons, casts and AT TIME ZONE with fixed zones. The session time zone is UTC.
CREATE TABLE events (id INT PRIMARY KEY, at TIMESTAMP, atz TIMESTAMPTZ, d DATE, dur INTERVAL);
INSERT INTO events VALUES
  (1, '2024-01-15 10:30:00', '2024-01-15 10:30:00+00', '2024-01-15', '1 hour'),
  (2, '2024-02-29 23:59:59.5', '2024-02-29 23:59:59.5+02', '2024-02-29', '2 days 3 hours'),
  (3, '2023-12-31 00:00:00', '2023-12-31 00:00:00-05', '2023-12-31', '1 mon 2 days'),
  (4, '2024-03-10 08:15:30.123456', '2024-03-10 08:15:30.123456+00', '2024-03-10', '-30 minutes'),
  (5, NULL, NULL, NULL, NULL),
  (6, '1999-12-31 23:59:59', '2000-01-01 00:00:00+00', '2000-02-28', '1 year 6 mons');

SELECT id, at, atz, d, dur FROM events ORDER BY id;
SELECT TIMESTAMP '2024-01-15 10:30:00', DATE '2024-01-15', TIMESTAMPTZ '2024-01-15 10:30:00+03', INTERVAL '90 minutes';
SELECT '2024-01-15 10:30'::timestamp, '2024-01-15'::date, '2024-01-15 12:00:00-08'::timestamptz;
SELECT id, at + INTERVAL '1 day', at - INTERVAL '2 hours', at + dur FROM events ORDER BY id;
SELECT id, d + 1, d - 1, d + 30 FROM events ORDER BY id;
SELECT id, d + INTERVAL '1 month', d + dur FROM events ORDER BY id;
SELECT DATE '2024-03-01' - DATE '2024-02-01', DATE '2024-01-01' - DATE '2023-01-01';
SELECT TIMESTAMP '2024-03-01 12:00' - TIMESTAMP '2024-02-28 06:30';
SELECT TIMESTAMP '2024-01-31 10:00' + INTERVAL '1 month', DATE '2024-01-31' + INTERVAL '1 month';
SELECT TIMESTAMP '2024-03-01 00:00' - INTERVAL '1 day 1 second';
SELECT id, atz + INTERVAL '36 hours', atz - at::timestamptz FROM events ORDER BY id;
SELECT id, date_trunc('month', at), date_trunc('day', at), date_trunc('hour', at) FROM events ORDER BY id;
SELECT id, date_trunc('year', at), date_trunc('quarter', at), date_trunc('week', at), date_trunc('minute', at) FROM events ORDER BY id;
SELECT id, date_trunc('day', atz), date_trunc('month', atz) FROM events ORDER BY id;
SELECT id, extract(year FROM at), extract(month FROM at), extract(day FROM at), extract(hour FROM at) FROM events ORDER BY id;
SELECT id, extract(minute FROM at), extract(second FROM at), extract(dow FROM at), extract(doy FROM at) FROM events ORDER BY id;
SELECT id, extract(epoch FROM at), extract(epoch FROM atz) FROM events ORDER BY id;
SELECT id, extract(year FROM d), extract(isodow FROM d), extract(quarter FROM d), extract(week FROM d) FROM events ORDER BY id;
SELECT id, extract(day FROM dur), extract(hour FROM dur), extract(epoch FROM dur) FROM events ORDER BY id;
SELECT date_part('month', TIMESTAMP '2024-07-04 12:00'), date_part('epoch', DATE '2024-01-01');
SELECT id FROM events WHERE at > '2024-01-01' ORDER BY id;
SELECT id FROM events WHERE d BETWEEN '2024-01-01' AND '2024-02-29' ORDER BY id;
SELECT id FROM events WHERE atz < TIMESTAMPTZ '2024-01-01 00:00:00+00' ORDER BY id;
SELECT id FROM events WHERE at::date = d ORDER BY id;
SELECT id FROM events WHERE dur > INTERVAL '1 day' ORDER BY id;
SELECT id, at = atz::timestamp AS same FROM events ORDER BY id;
SELECT id, at::date, atz::date, d::timestamp, at::time FROM events ORDER BY id;
SELECT id, atz AT TIME ZONE 'UTC', at AT TIME ZONE 'UTC' FROM events ORDER BY id;
SELECT TIMESTAMPTZ '2024-01-15 10:30:00+00' AT TIME ZONE '+05:00', TIMESTAMP '2024-01-15 10:30:00' AT TIME ZONE 'UTC';
SELECT TIMESTAMPTZ '2024-06-01 00:00:00+00' AT TIME ZONE 'Etc/GMT-3';
SELECT min(at), max(at), min(d), max(atz), min(dur), max(dur) FROM events;
SELECT count(*) FROM events WHERE at IS NULL;
SELECT id, at FROM events ORDER BY at DESC NULLS LAST;
SELECT id, d FROM events ORDER BY d NULLS FIRST;
SELECT date_trunc('month', at) AS m, count(*) FROM events GROUP BY date_trunc('month', at) ORDER BY m NULLS LAST;
SELECT INTERVAL '1 day' + INTERVAL '25 hours', INTERVAL '1 hour' * 3, INTERVAL '3 days' / 2, -INTERVAL '1 month';
SELECT INTERVAL '1 year 2 months 3 days 04:05:06', INTERVAL '0', INTERVAL '-1 day +2 hours', INTERVAL '1.5 hours';
SELECT INTERVAL '36 hours' = INTERVAL '1 day 12 hours', INTERVAL '30 days' = INTERVAL '1 month', INTERVAL '1 day' < INTERVAL '25 hours';
SELECT sum(dur), avg(dur) FROM events WHERE id IN (1, 2, 4);
SELECT TIMESTAMP '2024-02-28 12:00' + INTERVAL '1 day', DATE '2023-02-28' + 1, DATE '2024-12-31' + 1;
SELECT to_char(TIMESTAMP '2024-03-05 14:07:09', 'YYYY-MM-DD HH24:MI:SS');
SELECT make_date(2024, 2, 29), make_timestamp(2024, 1, 2, 3, 4, 5.5);
SELECT '2024-01-15T10:30:00Z'::timestamptz, '2024-01-15 10:30:00.000001'::timestamp;
SELECT age(TIMESTAMP '2024-03-15', TIMESTAMP '2023-01-10');
SELECT DATE '2024-01-15' < TIMESTAMP '2024-01-15 00:00:01', DATE '2024-01-15' = TIMESTAMP '2024-01-15 00:00:00';
SELECT to_timestamp(1700000000), to_timestamp(0);
SELECT id, justify_hours(dur), justify_days(INTERVAL '45 days') FROM events WHERE id < 3 ORDER BY id;
