/**
 * Unit tests of the sqllogictest parser and runner, against a scripted fake connection (so they
 * do not depend on the engine).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { globFiles, loadSltFile, parseSlt } from './parser.js';
import { renderingsMatch, runSltFile, type SltConnection, type SltResult } from './runner.js';

type Script = { [sql: string]: SltResult | Error | (() => SltResult) };

/** A connection that answers from a table of SQL → result, logging what it ran. */
class FakeConnection implements SltConnection {
  readonly ran: string[] = [];
  constructor(
    readonly name: string,
    readonly script: Script,
  ) {}
  async run(sql: string): Promise<SltResult> {
    this.ran.push(sql);
    const r = this.script[sql];
    if (r === undefined)
      throw Object.assign(new Error(`unknown statement: ${sql}`), { code: '42601' });
    if (r instanceof Error) throw r;
    return typeof r === 'function' ? r() : r;
  }
}

function sqlError(message: string, code = 'XX000'): Error {
  return Object.assign(new Error(message), { code });
}

function dir(files: { [name: string]: string }): string {
  const d = mkdtempSync(join(tmpdir(), 'slt-test-'));
  for (const [name, text] of Object.entries(files)) {
    const full = join(d, name);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, text);
  }
  return d;
}

const rows = (...r: (string | null)[][]): SltResult => ({
  columns: (r[0] ?? []).map((_, k) => ({ name: `c${k}`, type: 'text' })),
  rows: r,
});

async function run(text: string, script: Script, opts = {}) {
  const d = dir({ 'a.slt': text });
  const conns: FakeConnection[] = [];
  const res = await runSltFile(
    join(d, 'a.slt'),
    (name) => {
      const c = new FakeConnection(name, script);
      conns.push(c);
      return c;
    },
    opts,
  );
  return { res, conns };
}

describe('parser', () => {
  test('reads statements, queries, errors and retry clauses', () => {
    const recs = parseSlt(
      [
        'statement ok',
        'create table t (a int)',
        '',
        'statement count 2',
        'insert into t values (1), (2)',
        '',
        'query IT rowsort mylabel retry 3 backoff 500ms',
        'select a,',
        '  b from t',
        '----',
        '1 x',
        '2 y',
        '',
        'statement error division by zero',
        'select 1/0',
        '',
        'query error',
        'select 1/0',
        '----',
        'db error: ERROR: boom',
        '',
        'caused by: x',
        '',
        '',
        'statement error (22012)',
        'select 1/0',
      ].join('\n'),
      'x.slt',
    );
    expect(recs.map((r) => r.type)).toEqual([
      'statement',
      'statement',
      'query',
      'statement',
      'query',
      'statement',
    ]);
    const q = recs[2]!;
    expect(q.type === 'query' && q.sql).toBe('select a,\n  b from t');
    expect(q.type === 'query' && q.expect).toEqual({
      kind: 'rows',
      types: 'IT',
      sortMode: 'rowsort',
      label: 'mylabel',
      lines: ['1 x', '2 y'],
    });
    expect(q.type === 'query' && q.retry).toEqual({ attempts: 3, backoffMs: 500 });
    expect(recs[1]!.type === 'statement' && recs[1]!.expect).toEqual({ kind: 'count', count: 2 });
    expect(recs[3]!.type === 'statement' && recs[3]!.expect).toEqual({
      kind: 'error',
      error: { kind: 'regex', pattern: 'division by zero' },
    });
    expect(recs[4]!.type === 'query' && recs[4]!.expect).toEqual({
      kind: 'error',
      error: { kind: 'exact', text: 'db error: ERROR: boom\n\ncaused by: x' },
    });
    expect(recs[5]!.type === 'statement' && recs[5]!.expect).toEqual({
      kind: 'error',
      error: { kind: 'sqlstate', code: '22012' },
    });
    expect(recs[0]!.loc.line).toBe(1);
    expect(recs[2]!.loc.line).toBe(7);
  });

  test('rejects unknown directives with the line number', () => {
    expect(() => parseSlt('statement ok\nselect 1\n\nfrobnicate\n', 'f.slt')).toThrow(/f\.slt:4/);
  });

  test('conditions and connection apply to the next record only', () => {
    const recs = parseSlt(
      'skipif x\nonlyif y\nconnection c2\nstatement ok\nA\n\nstatement ok\nB\n',
      'f',
    );
    const [a, b] = recs;
    expect(a!.type === 'statement' && [a!.conditions, a!.connection]).toEqual([
      [
        { kind: 'skipif', label: 'x' },
        { kind: 'onlyif', label: 'y' },
      ],
      'c2',
    ]);
    expect(b!.type === 'statement' && [b!.conditions, b!.connection]).toEqual([[], 'default']);
  });

  test('include globs expand relative to the including file, ** included', () => {
    const d = dir({
      'main.slt': 'include ./parts/**/*.slt.part\n',
      'parts/a.slt.part': 'statement ok\nA\n',
      'parts/sub/b.slt.part': 'statement ok\nB\n',
      'parts/sub/deeper/c.slt.part': 'statement ok\nC\n',
      'parts/ignored.txt': 'x',
    });
    const recs = loadSltFile(join(d, 'main.slt')).filter((r) => r.type === 'statement');
    expect(recs.map((r) => r.type === 'statement' && r.sql)).toEqual(['A', 'B', 'C']);
    expect(recs[1]!.loc.includedFrom?.file).toBe(join(d, 'main.slt'));
    expect(globFiles(join(d, 'parts/*.slt.part'))).toEqual([join(d, 'parts/a.slt.part')]);
  });

  test('an include matching nothing is an error', () => {
    const d = dir({ 'main.slt': 'include ./nothing/*.slt\n' });
    expect(() => loadSltFile(join(d, 'main.slt'))).toThrow(/matched no file/);
  });
});

describe('runner', () => {
  test('passes matching results, with NULL, (empty) and whitespace normalisation', async () => {
    const { res } = await run(
      'query IT\nselect\n----\n1 hello   world\nNULL (empty)\n\nstatement ok\ncreate\n',
      { select: rows(['1', 'hello world'], [null, '']), create: { tag: 'CREATE TABLE' } },
    );
    expect(res.failures).toEqual([]);
    expect([res.passed, res.failed, res.skipped]).toEqual([2, 0, 0]);
  });

  test('reports a wrong result with file:line, sql, expected and got', async () => {
    const { res } = await run('statement ok\ncreate\n\nquery I\nselect\n----\n1\n2\n', {
      create: { tag: 'CREATE TABLE' },
      select: rows(['1'], ['3']),
    });
    expect(res.failed).toBe(1);
    expect(res.failures[0]).toMatchObject({ sql: 'select', expected: '1\n2', got: '1\n3' });
    expect(res.failures[0]!.where).toMatch(/a\.slt:4$/);
  });

  test('rowsort and valuesort sort the actual rows; nosort keeps order', async () => {
    const script = { q: rows(['b', '2'], ['a', '10'], ['a', '1']) };
    const sorted = await run('query TI rowsort\nq\n----\na 1\na 10\nb 2\n', script);
    expect(sorted.res.failures).toEqual([]);
    const values = await run('query TI valuesort\nq\n----\n1\n10\n2\na\na\nb\n', script);
    expect(values.res.failures).toEqual([]);
    const unsorted = await run('query TI\nq\n----\na 1\na 10\nb 2\n', script);
    expect(unsorted.res.failed).toBe(1);
    const control = await run(
      'control sortmode rowsort\n\nquery TI\nq\n----\na 1\na 10\nb 2\n',
      script,
    );
    expect(control.res.failures).toEqual([]);
  });

  test('statement count compares the affected row count', async () => {
    const script = { ins: { tag: 'INSERT 0 3' } };
    expect((await run('statement count 3\nins\n', script)).res.passed).toBe(1);
    expect((await run('statement count 2\nins\n', script)).res.failed).toBe(1);
  });

  test('expected errors: regex, sqlstate, exact text, and unexpected success', async () => {
    const script = { bad: sqlError('division by zero', '22012'), good: { tag: 'SELECT 1' } };
    const { res } = await run(
      [
        'statement error division by',
        'bad',
        '',
        'statement error (22012)',
        'bad',
        '',
        'query error',
        'bad',
        '----',
        'division by zero',
        '',
        '',
        'statement error some other text',
        'bad',
        '',
        'statement error',
        'good',
        '',
        'statement ok',
        'bad',
        '',
      ].join('\n'),
      script,
    );
    expect([res.passed, res.failed]).toEqual([3, 3]);
    expect(res.failures.map((f) => f.got)).toEqual([
      'error: division by zero',
      'ok',
      'error: division by zero',
    ]);
  });

  test('any-error mode accepts other wording and records it as a mismatch', async () => {
    const { res } = await run(
      'statement error Division by zero error\nbad\n',
      { bad: sqlError('division by zero') },
      {
        errorMatching: 'any-error',
      },
    );
    expect([res.passed, res.failed]).toEqual([1, 0]);
    expect(res.errorMismatches).toHaveLength(1);
    expect(res.errorMismatches[0]!.got).toBe('division by zero');
  });

  test('renderings mode: the same values written another way match, different values do not', async () => {
    const q = rows(
      ['10', '6221.5000000000000000'],
      ['11', '263196.666666666667'],
      ['12', '2015-07-15 00:00:00.01'],
    );
    const text = (lines: string[]): string =>
      ['query IR rowsort', 'q', '----', ...lines, ''].join('\n');
    const written = [
      '10 6221.50',
      '11 263196.66666666666666666666667',
      '12 2015-07-15 00:00:00.010',
    ];
    // Exact matching (the default) tells the renderings apart.
    expect((await run(text(written), { q })).res.failed).toBe(1);
    const lenient = { valueMatching: 'renderings' };
    expect((await run(text(written), { q }, lenient)).res.passed).toBe(1);
    // Another value, a rounding too coarse to be a quotient's, or another time still fails.
    for (const wrong of [
      ['10 6221.51', '11 263196.66666666666666666666667', '12 2015-07-15 00:00:00.010'],
      ['10 6222', '11 263196.66666666666666666666667', '12 2015-07-15 00:00:00.010'],
      ['10 6221.50', '11 263196.66666666696666666666667', '12 2015-07-15 00:00:00.010'],
      ['10 6221.50', '11 263196.66666666666666666666667', '12 2015-07-15 00:00:00.011'],
      ['10 6221.50', '11 263196.66666666666666666666667', '12 2015-07-15 00:00:01.010'],
    ])
      expect((await run(text(wrong), { q }, lenient)).res.failed, wrong.join('; ')).toBe(1);
  });

  test('renderingsMatch compares token by token', () => {
    expect(renderingsMatch('1 x 0.5', '1 x 0.50000')).toBe(true);
    expect(renderingsMatch('-0.3333333333333333333333333333', '-0.33333333333333333333')).toBe(
      true,
    );
    expect(renderingsMatch('0.6666666666666666666666666667', '0.66666666666666666667')).toBe(true);
    // A 15-digit value is exact, not a rounded quotient: no tolerance.
    expect(renderingsMatch('1.23456789012345', '1.234567890123449')).toBe(false);
    expect(renderingsMatch('10:13:36.070+00', '10:13:36.07+00')).toBe(true);
    expect(renderingsMatch('10:13:36.070+00', '10:13:36.07+01')).toBe(false);
    expect(renderingsMatch('10:13:36', '10:13:36.000')).toBe(true);
    expect(renderingsMatch('a b', 'a  b')).toBe(false);
    expect(renderingsMatch('1.5', 'x1.5')).toBe(false);
  });

  test('skipif/onlyif by label, system records skipped, halt stops', async () => {
    const { res, conns } = await run(
      [
        'skipif sluice',
        'statement ok',
        'one',
        '',
        'onlyif sluice',
        'statement ok',
        'two',
        '',
        'onlyif postgres',
        'statement ok',
        'three',
        '',
        'system ok',
        'echo hi',
        '----',
        'hi',
        '',
        '',
        'halt',
        '',
        'statement ok',
        'four',
      ].join('\n'),
      { one: { tag: 'X' }, two: { tag: 'X' }, three: { tag: 'X' }, four: { tag: 'X' } },
    );
    expect(conns.flatMap((c) => c.ran)).toEqual(['two']);
    expect([res.passed, res.failed, res.skipped, res.halted]).toEqual([1, 0, 3, true]);
  });

  test('connection records run on named sessions, opened once each', async () => {
    const { res, conns } = await run(
      'statement ok\na\n\nconnection other\nstatement ok\nb\n\nstatement ok\nc\n\nconnection other\nstatement ok\nd\n',
      { a: { tag: 'X' }, b: { tag: 'X' }, c: { tag: 'X' }, d: { tag: 'X' } },
    );
    expect(res.failures).toEqual([]);
    expect(conns.map((c) => [c.name, c.ran])).toEqual([
      ['default', ['a', 'c']],
      ['other', ['b', 'd']],
    ]);
  });

  test('retry re-runs a failing record until it passes', async () => {
    let n = 0;
    const { res } = await run('query I retry 3 backoff 1ms\nq\n----\n3\n', {
      q: () => rows([String(++n)]),
    });
    expect(res.failures).toEqual([]);
    expect(n).toBe(3);
    n = -10;
    const again = await run('query I retry 2 backoff 1ms\nq\n----\n3\n', {
      q: () => rows([String(++n)]),
    });
    expect(again.res.failed).toBe(1);
  });

  test('maxRetryWaitMs caps the waits of a retry record', async () => {
    let n = 0;
    // Backoff 10ms, cap 25ms: attempts after 10, 20 and 25ms of waiting, then it gives up.
    const { res } = await run(
      'query I retry 9 backoff 10ms\nq\n----\n99\n',
      { q: () => rows([String(++n)]) },
      { maxRetryWaitMs: 25 },
    );
    expect(res.failed).toBe(1);
    expect(n).toBe(4);
    n = 0;
    // A zero cap still re-runs the record once, at once.
    await run(
      'query I retry 9 backoff 1s\nq\n----\n99\n',
      { q: () => rows([String(++n)]) },
      { maxRetryWaitMs: 0 },
    );
    expect(n).toBe(2);
  });

  test('per-source counts attribute included records to their part file', async () => {
    const d = dir({
      'main.slt': 'statement ok\na\n\ninclude ./p/*.slt.part\n',
      'p/x.slt.part': 'statement ok\nb\n\nstatement ok\nbad\n',
    });
    const res = await runSltFile(
      join(d, 'main.slt'),
      () => new FakeConnection('d', { a: { tag: 'X' }, b: { tag: 'X' } }),
    );
    expect(res.bySource[join(d, 'main.slt')]).toEqual({ passed: 1, failed: 0, skipped: 0 });
    expect(res.bySource[join(d, 'p/x.slt.part')]).toEqual({ passed: 1, failed: 1, skipped: 0 });
    expect(res.failures[0]!.where).toMatch(/x\.slt\.part:4 \(included from .*main\.slt:4\)/);
  });

  test('a query record over a command passes only when no rows are expected', async () => {
    const script = { flush: { tag: 'FLUSH' } };
    expect((await run('query I\nflush\n', script)).res.passed).toBe(1);
    expect((await run('query I\nflush\n----\n1\n', script)).res.failed).toBe(1);
  });

  test('renderings: decimals without trailing zeros and offsets with minutes, only when asked', async () => {
    const script = {
      q: rows(['708.0000000000000000', '2023-11-23 12:01:15+00', 'B'], ['710.25', '1.50', 'x']),
    };
    const file = 'query RTT\nq\n----\n708  2023-11-23 12:01:15+00:00  B\n710.2500 1.5 x\n';
    expect((await run(file, script, { valueMatching: 'renderings' })).res.failures).toEqual([]);
    expect((await run(file, script)).res.failed).toBe(1);
    // Other values still differ: another number, another offset, text, a missing column.
    for (const wrong of [
      '708.1 2023-11-23 12:01:15+00:00 B\n710.25 1.5 x',
      '708 2023-11-23 12:01:15+01:00 B\n710.25 1.5 x',
      '708 2023-11-23 12:01:15+00:00 b\n710.25 1.5 x',
      '708 2023-11-23 12:01:15+00:00\n710.25 1.5 x',
      '708 2023-11-23 12:01:15+00:30 B\n710.25 1.5 x',
    ]) {
      const res = (
        await run(`query RTT\nq\n----\n${wrong}\n`, script, { valueMatching: 'renderings' })
      ).res;
      expect(res.failed, wrong).toBe(1);
    }
  });

  test('substitution replaces variables only when switched on', async () => {
    process.env['SLT_TEST_VAR'] = 'tbl';
    const { res, conns } = await run(
      'statement ok\nselect $SLT_TEST_VAR\n\ncontrol substitution on\n\nstatement ok\nselect ${SLT_TEST_VAR}\n',
      { 'select $SLT_TEST_VAR': { tag: 'X' }, 'select tbl': { tag: 'X' } },
    );
    expect(res.failures).toEqual([]);
    expect(conns[0]!.ran).toEqual(['select $SLT_TEST_VAR', 'select tbl']);
  });
});
