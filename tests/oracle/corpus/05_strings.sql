-- Strings: LIKE/ILIKE, concatenation, substring, position, case mapping, trimming, padding,
-- replace, split_part and friends.
CREATE TABLE words (id INT PRIMARY KEY, w TEXT, v VARCHAR(20));
INSERT INTO words VALUES
  (1, 'apple', 'Apple Pie'),
  (2, 'Banana', '  padded  '),
  (3, 'cherry_tart', 'a,b,,c'),
  (4, '100%', 'x-y-z'),
  (5, '', 'MiXeD'),
  (6, NULL, NULL),
  (7, 'Ærøskøbing', 'naïve café');

SELECT id FROM words WHERE w LIKE 'a%' ORDER BY id;
SELECT id FROM words WHERE w LIKE '%an%' ORDER BY id;
SELECT id FROM words WHERE w LIKE '_____' ORDER BY id;
SELECT id FROM words WHERE w LIKE '%\_%' ORDER BY id;
SELECT id FROM words WHERE w LIKE '%\%' ORDER BY id;
SELECT id FROM words WHERE w LIKE '100!%' ESCAPE '!';
SELECT id FROM words WHERE w NOT LIKE '%a%' ORDER BY id;
SELECT id FROM words WHERE w ILIKE 'BAN%' ORDER BY id;
SELECT id FROM words WHERE v ILIKE '%pie' ORDER BY id;
SELECT id FROM words WHERE w NOT ILIKE 'a%' ORDER BY id;
SELECT id, w LIKE '' AS empty FROM words ORDER BY id;
SELECT 'abc' LIKE 'a_c', 'abc' LIKE 'A%', 'abc' ILIKE 'A%', 'a' LIKE '%%';
SELECT id, w || '-' || v AS joined FROM words ORDER BY id;
SELECT id, concat(w, '/', v), concat_ws('|', w, v, id) FROM words ORDER BY id;
SELECT 'n=' || 5, 5 || '!', 1.50 || 'x', true || '';
SELECT id, length(w), char_length(v), octet_length(w) FROM words ORDER BY id;
SELECT id, upper(w), lower(v) FROM words ORDER BY id;
SELECT id, substring(w FROM 2 FOR 3), substring(w FROM 3), substr(v, 2, 4) FROM words ORDER BY id;
SELECT substring('hello' FROM 0 FOR 3), substring('hello' FROM -1 FOR 4), substr('hello', 10);
SELECT id, position('a' IN w), strpos(v, 'a') FROM words ORDER BY id;
SELECT id, trim(v), ltrim(v), rtrim(v) FROM words ORDER BY id;
SELECT trim(BOTH 'x' FROM 'xxhixx'), trim(LEADING 'x' FROM 'xxhixx'), trim(TRAILING 'x' FROM 'xxhixx');
SELECT btrim('--a--', '-'), ltrim('001200', '0'), rtrim('001200', '0');
SELECT lpad('7', 3, '0'), lpad('hello', 3), rpad('ab', 5, 'xy'), lpad('', 2, '*'), rpad('abc', 6);
SELECT id, lpad(w, 8, '.'), rpad(w, 8, '.') FROM words WHERE id < 4 ORDER BY id;
SELECT id, replace(w, 'a', 'A'), replace(v, ' ', '') FROM words ORDER BY id;
SELECT split_part('a,b,,c', ',', 1), split_part('a,b,,c', ',', 3), split_part('a,b,,c', ',', 4), split_part('a,b,,c', ',', 9);
SELECT id, split_part(v, '-', 2) FROM words ORDER BY id;
SELECT left('abcdef', 2), right('abcdef', 2), left('abc', -1), right('abc', -1);
SELECT reverse('stressed'), repeat('ab', 3), repeat('x', 0);
SELECT initcap('hello wORLD foo-bar'), upper('straße'), lower('ÀÉÎ');
SELECT ascii('A'), chr(66), length('naïve');
SELECT starts_with('foobar', 'foo'), starts_with('foobar', 'bar');
SELECT translate('hello', 'el', 'ip'), md5('abc');
SELECT id, w FROM words ORDER BY w;
SELECT id, w FROM words ORDER BY w DESC NULLS LAST;
SELECT id, v FROM words ORDER BY lower(v), id;
SELECT w < 'b', 'Z' < 'a', 'abc' < 'abd', 'ab' < 'abc' FROM words WHERE id = 1;
SELECT min(w), max(w), count(DISTINCT lower(w)) FROM words;
SELECT 'it''s', 'a' || NULL, length(''), '' = '' AS e;
SELECT 'abc'::varchar(2), CAST('hello world' AS VARCHAR(5)), 'x'::text || 'y'::varchar;
SELECT id, v::text = trim(v) FROM words ORDER BY id;
SELECT string_agg(w, ',' ORDER BY id) FROM words;
SELECT upper(substring(w FROM 1 FOR 1)) || lower(substring(w FROM 2)) AS cap FROM words ORDER BY id;
SELECT id, CASE WHEN w LIKE '%e%' THEN 'has e' ELSE 'no e' END FROM words ORDER BY id;
