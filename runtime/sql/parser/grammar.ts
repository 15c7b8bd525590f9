/** The parser's grammar tables: PostgreSQL operator precedence, and reserved and special words. */
import type { BinaryOperator, UnaryOperator } from '../ast.js';

/** Object-identifier types, which casts turn into catalog function calls. */
export const REG_TYPES = new Set(['regclass', 'regtype', 'regnamespace', 'regrole', 'regproc']);

/** Binding powers (PostgreSQL precedence, lowest first). */
export const Prec = {
  or: 1,
  and: 2,
  not: 3,
  is: 4,
  cmp: 5,
  like: 6,
  other: 7,
  add: 8,
  mul: 9,
  exp: 10,
  unary: 11,
  at: 12,
  collate: 13,
  subscript: 14,
  cast: 15,
  field: 16,
  atom: 100,
} as const;

export const BINARY_OPS: Record<string, BinaryOperator> = {
  '+': '+',
  '-': '-',
  '*': '*',
  '/': '/',
  '%': '%',
  '^': '^',
  '||': '||',
  '=': '=',
  '<>': '<>',
  '!=': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  '->': '->',
  '->>': '->>',
  '#>': '#>',
  '#>>': '#>>',
  '@>': '@>',
  '<@': '<@',
  '?': '?',
  '?|': '?|',
  '?&': '?&',
  '&': '&',
  '|': '|',
  '#': '#',
  '<<': '<<',
  '>>': '>>',
  '~': '~',
  '~*': '~*',
  '!~': '!~',
  '!~*': '!~*',
  '&&': '&&',
};

/** Whether `s` is an operator name made of PostgreSQL's operator characters. */
export function isOperatorName(s: string): boolean {
  return /^[+\-*/<>=~!@#%^&|`?]+$/.test(s) && s !== '=>';
}

/** Precedence of a binary operator. */
export function binaryPrec(op: BinaryOperator): number {
  switch (op) {
    case 'OR':
      return Prec.or;
    case 'AND':
      return Prec.and;
    case '=':
    case '<>':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return Prec.cmp;
    case '+':
    case '-':
      return Prec.add;
    case '*':
    case '/':
    case '%':
      return Prec.mul;
    case '^':
      return Prec.exp;
    default:
      return Prec.other;
  }
}

/** Precedence of a prefix operator (its operand binds everything tighter than this). */
export function unaryPrec(op: UnaryOperator): number {
  if (op === 'NOT') return Prec.not;
  if (op === '-' || op === '+') return Prec.unary;
  return Prec.other;
}

/** Keywords that can never be a column, table or alias name without quotes. */
export const RESERVED = new Set(
  (
    'all analyse analyze and any array as asc asymmetric both case cast check collate column ' +
    'constraint create current_catalog current_date current_role current_time current_timestamp ' +
    'current_user default deferrable desc distinct do else end except false fetch for foreign from ' +
    'grant group having in initially intersect into lateral leading limit localtime localtimestamp ' +
    'not null offset on only or order placing primary references returning select session_user ' +
    'some symmetric table then to trailing true union unique using variadic when where window ' +
    'with authorization binary collation concurrently cross current_schema freeze full ilike inner ' +
    'is isnull join left like natural notnull outer overlaps right similar tablesample verbose'
  ).split(' '),
);

/** Reserved words that may still name a function (`left(s, 2)`). */
export const FUNCTION_OK = new Set(
  'authorization binary collation concurrently cross current_schema freeze full ilike inner is isnull join left like natural notnull outer overlaps right similar tablesample verbose'.split(
    ' ',
  ),
);

/** Words that end an expression list item instead of being taken as a bare alias. */
export const NO_BARE_ALIAS = new Set(['emit', 'asof', 'set', 'format', 'encode', 'over', 'filter']);

/** SQL-standard functions written without parentheses. */
export const NILADIC = new Set([
  'current_date',
  'current_time',
  'current_timestamp',
  'localtime',
  'localtimestamp',
  'current_user',
  'session_user',
  'current_role',
  'current_schema',
  'current_catalog',
]);

export const TYPE_WORDS = new Set(
  (
    'int integer int2 int4 int8 smallint bigint real float float4 float8 double numeric decimal dec ' +
    'varchar character char text string boolean bool date time timestamp timestamptz interval ' +
    'jsonb json bytea struct'
  ).split(' '),
);

export const INTERVAL_UNITS = new Set([
  'year',
  'years',
  'month',
  'months',
  'day',
  'days',
  'hour',
  'hours',
  'minute',
  'minutes',
  'second',
  'seconds',
]);

/** Errors that mean "this word was not a parameter name after all" when reading `[name] type`. */
export const NAME_OR_TYPE = ['42601', '42704'];

export const QUERY_START = new Set(['select', 'with', 'values', 'table']);
