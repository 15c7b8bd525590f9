import { describe, expect, it } from 'vitest';
import { T, arrayOf } from '../../runtime/types/datatype.js';
import { call, resolve, sqlstateOf } from './helpers.js';

const t = (s: string | null): [string | null, typeof T.text] => [s, T.text];
const i = (n: number | null): [number | null, typeof T.int4] => [n, T.int4];

describe('string functions', () => {
  it('length counts characters, octet_length bytes', () => {
    expect(call('length', [t('héllo😀')])).toBe(6);
    expect(call('char_length', [t('')])).toBe(0);
    expect(call('octet_length', [t('héllo😀')])).toBe(10);
    expect(call('length', [t(null)])).toBe(null);
  });
  it('case functions', () => {
    expect(call('lower', [t('ABC déF')])).toBe('abc déf');
    expect(call('upper', [t('abc')])).toBe('ABC');
    expect(call('initcap', [t("hi THOMAS o'neil 3rd")])).toBe("Hi Thomas O'Neil 3rd");
  });
  it('substr and substring', () => {
    expect(call('substr', [t('alphabet'), i(3)])).toBe('phabet');
    expect(call('substr', [t('alphabet'), i(3), i(2)])).toBe('ph');
    expect(call('substr', [t('alphabet'), i(0), i(3)])).toBe('al');
    expect(call('substr', [t('alphabet'), i(-2), i(3)])).toBe('');
    expect(call('substring', [t('a😀bc'), i(2), i(2)])).toBe('😀b');
    expect(sqlstateOf(() => call('substr', [t('abc'), i(1), i(-1)]))).toBe('22011');
    expect(call('substring', [t('Thomas'), ['...$', T.unknown]])).toBe('mas');
    expect(call('substring', [t('Thomas'), ['o(.)a', T.unknown]])).toBe('m');
    expect(call('substring', [t('Thomas'), ['%#"o_a#"_', T.unknown], ['#', T.unknown]])).toBe(
      'oma',
    );
  });
  it('position, replace, trims, pads', () => {
    expect(call('strpos', [t('high'), t('ig')])).toBe(2);
    expect(call('position', [t('om'), t('Thomas')])).toBe(3);
    expect(call('position', [t('x'), t('Thomas')])).toBe(0);
    expect(call('replace', [t('abcdefabcdef'), t('cd'), t('XX')])).toBe('abXXefabXXef');
    expect(call('btrim', [t('xyxtrimyyx'), t('xyz')])).toBe('trim');
    expect(call('ltrim', [t('  x  ')])).toBe('x  ');
    expect(call('rtrim', [t('  x  ')])).toBe('  x');
    expect(call('lpad', [t('hi'), i(5), t('xy')])).toBe('xyxhi');
    expect(call('rpad', [t('hi'), i(5), t('xy')])).toBe('hixyx');
    expect(call('lpad', [t('hello'), i(2)])).toBe('he');
    expect(call('left', [t('abcde'), i(2)])).toBe('ab');
    expect(call('left', [t('abcde'), i(-2)])).toBe('abc');
    expect(call('right', [t('abcde'), i(2)])).toBe('de');
    expect(call('right', [t('abcde'), i(-2)])).toBe('cde');
    expect(call('repeat', [t('Pg'), i(4)])).toBe('PgPgPgPg');
    expect(call('reverse', [t('abc😀')])).toBe('😀cba');
  });
  it('concat, concat_ws, format', () => {
    expect(call('concat', [t('abcde'), [2, T.int4], [null, T.int4], [22n, T.int8]])).toBe(
      'abcde222',
    );
    expect(call('concat_ws', [t(','), t('abcde'), [2, T.int4], [null, T.int4], [22, T.int4]])).toBe(
      'abcde,2,22',
    );
    expect(call('concat_ws', [t(null), t('a')])).toBe(null);
    expect(call('format', [t('Hello %s, %1$s'), t('World')])).toBe('Hello World, World');
    expect(call('format', [t('INSERT INTO %I VALUES(%L)'), t('Foo bar'), t("O'Reilly")])).toBe(
      `INSERT INTO "Foo bar" VALUES('O''Reilly')`,
    );
    expect(call('format', [t('|%-10s|%5s|'), t('foo'), t('bar')])).toBe('|foo       |  bar|');
    expect(call('format', [t('%s%s'), t('Hello'), t(null)])).toBe('Hello');
    expect(call('format', [t('%L'), t(null)])).toBe('NULL');
    expect(sqlstateOf(() => call('format', [t('%s %s'), t('Hello')]))).toBe('22023');
  });
  it('split_part, starts_with, translate, to_hex, ascii, chr, md5', () => {
    expect(call('split_part', [t('abc~@~def~@~ghi'), t('~@~'), i(2)])).toBe('def');
    expect(call('split_part', [t('abc,def,ghi,jkl'), t(','), i(-2)])).toBe('ghi');
    expect(call('split_part', [t('abc'), t(','), i(5)])).toBe('');
    expect(sqlstateOf(() => call('split_part', [t('abc'), t(','), i(0)]))).toBe('22023');
    expect(call('starts_with', [t('alphabet'), t('alph')])).toBe(true);
    expect(call('translate', [t('12345'), t('143'), t('ax')])).toBe('a2x5');
    expect(call('to_hex', [i(2147483647)])).toBe('7fffffff');
    expect(call('to_hex', [i(-1)])).toBe('ffffffff');
    expect(call('to_hex', [[-1n, T.int8]])).toBe('ffffffffffffffff');
    expect(call('ascii', [t('x')])).toBe(120);
    expect(call('chr', [i(65)])).toBe('A');
    expect(sqlstateOf(() => call('chr', [i(0)]))).toBe('54000');
    expect(call('md5', [t('abc')])).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(call('md5', [t('')])).toBe('d41d8cd98f00b204e9800998ecf8427e');
  });
  it('quote_ident and quote_literal', () => {
    expect(call('quote_ident', [t('Foo bar')])).toBe('"Foo bar"');
    expect(call('quote_ident', [t('foo')])).toBe('foo');
    expect(call('quote_ident', [t('select')])).toBe('"select"');
    expect(call('quote_literal', [t("O'Reilly")])).toBe("'O''Reilly'");
    expect(call('quote_literal', [t('a\\b')])).toBe("E'a\\\\b'");
    expect(call('quote_literal', [[42.5, T.float8]])).toBe("'42.5'");
  });
  it('string_to_array', () => {
    expect(call('string_to_array', [t('xx~~yy~~zz'), t('~~'), t('yy')])).toEqual([
      'xx',
      null,
      'zz',
    ]);
    expect(call('string_to_array', [t('abc'), t(null)])).toEqual(['a', 'b', 'c']);
    expect(call('string_to_array', [t('abc'), t('')])).toEqual(['abc']);
    expect(call('string_to_array', [t(''), t(',')])).toEqual([]);
  });
  it('regular expression functions', () => {
    expect(call('regexp_match', [t('foobarbequebaz'), t('(bar)(beque)')])).toEqual([
      'bar',
      'beque',
    ]);
    expect(call('regexp_match', [t('abc'), t('Bc')])).toBe(null);
    expect(call('regexp_match', [t('abc'), t('Bc'), t('i')])).toEqual(['bc']);
    expect(call('regexp_match', [t('abc'), t('(?i)Bc'), t('c')])).toEqual(['bc']);
    expect(call('regexp_match', [t('abc'), t('(x)?b')])).toEqual([null]);
    expect(
      call('regexp_matches', [t('foobarbequebazilbarfbonk'), t('(b[^b]+)(b[^b]+)'), t('g')]),
    ).toEqual(['bar', 'beque']);
    expect(call('regexp_replace', [t('Thomas'), t('.[mN]a.'), t('M')])).toBe('ThM');
    expect(call('regexp_replace', [t('fooBARbaz'), t('a'), t('X'), t('gi')])).toBe('fooBXRbXz');
    expect(call('regexp_replace', [t('abc'), t('(b)'), t('[\\1\\&]')])).toBe('a[bb]c');
    expect(
      call('regexp_replace', [t('A PostgreSQL function'), t('a|e|i|o|u'), t('X'), i(1), i(2)]),
    ).toBe('A PostgrXSQL function');
    expect(call('regexp_count', [t('ABCABCAXYaxy'), t('A.')])).toBe(3);
    expect(call('regexp_count', [t('ABCABCAXYaxy'), t('A.'), i(1), t('i')])).toBe(4);
    expect(call('regexp_like', [t('Hello World'), t('world$'), t('i')])).toBe(true);
    expect(
      call('regexp_instr', [t('number of your street, town zip, FR'), t('[^,]+'), i(1), i(2)]),
    ).toBe(23);
    expect(
      call('regexp_substr', [t('number of your street, town zip, FR'), t('[^,]+'), i(1), i(2)]),
    ).toBe(' town zip');
    expect(call('regexp_split_to_array', [t('hello world'), t('\\s+')])).toEqual([
      'hello',
      'world',
    ]);
    expect(call('regexp_split_to_array', [t('abc'), t('')])).toEqual(['a', 'b', 'c']);
    expect(call('regexp_split_to_array', [t('a,,b'), t(',?')])).toEqual(['a', '', 'b']);
    expect(call('regexp_split_to_array', [t(',a'), t(',')])).toEqual(['', 'a']);
    expect(sqlstateOf(() => call('regexp_match', [t('a'), t('(')]))).toBe('2201B');
    expect(sqlstateOf(() => call('regexp_match', [t('a'), t('a'), t('z')]))).toBe('22023');
  });
  it('encode and decode', () => {
    const bytes = call('decode', [t('MTIzAAE='), t('base64')]) as Uint8Array;
    expect([...bytes]).toEqual([49, 50, 51, 0, 1]);
    expect(call('encode', [[bytes, T.bytea], t('hex')])).toBe('3132330001');
    expect(call('encode', [[bytes, T.bytea], t('base64')])).toBe('MTIzAAE=');
    expect(call('encode', [[bytes, T.bytea], t('escape')])).toBe('123\\000\u0001');
  });
  it('resolves unknown literals to text and picks return types', () => {
    expect(resolve('length', [T.unknown]).argTypes).toEqual([T.text]);
    expect(resolve('regexp_match', [T.varchar, T.unknown]).returnType).toEqual(arrayOf(T.text));
    expect(resolve('substring', [T.text, T.int2]).argTypes[1]).toEqual(T.int4);
  });
});
