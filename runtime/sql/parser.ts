/**
 * The SQL parser: hand-written recursive descent over the token stream, with a Pratt loop for
 * expressions that follows PostgreSQL's operator precedence. Produces the AST of `ast.ts`; syntax
 * errors are `SqlError('42601', ...)` worded and positioned as PostgreSQL reports them.
 */
import { SqlError, syntaxError } from '../errors.js';
import type { DataType, StructField } from '../types/datatype.js';
import type {
  Assignment,
  BinaryOperator,
  ColumnDef,
  Cte,
  DropObjectType,
  Expr,
  FormatEncode,
  FunctionArg,
  FunctionParam,
  GroupByItem,
  Ident,
  JoinConstraint,
  JoinType,
  ObjectName,
  OrderByItem,
  Query,
  Select,
  SelectItem,
  SetExpr,
  SetStatement,
  ShowStatement,
  SqlOption,
  Statement,
  TableAlias,
  TableRef,
  UnaryOperator,
  WindowFrame,
  WindowFrameBound,
  WindowSpec,
  With,
} from './ast.js';
import { tokenize, type Token } from './tokenizer.js';

/** Object-identifier types, which casts turn into catalog function calls. */
const REG_TYPES = new Set(['regclass', 'regtype', 'regnamespace', 'regrole', 'regproc']);

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

const BINARY_OPS: Record<string, BinaryOperator> = {
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
function isOperatorName(s: string): boolean {
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
const FUNCTION_OK = new Set(
  'authorization binary collation concurrently cross current_schema freeze full ilike inner is isnull join left like natural notnull outer overlaps right similar tablesample verbose'.split(
    ' ',
  ),
);

/** Words that end an expression list item instead of being taken as a bare alias. */
const NO_BARE_ALIAS = new Set(['emit', 'asof', 'set', 'format', 'encode', 'over', 'filter']);

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

const TYPE_WORDS = new Set(
  (
    'int integer int2 int4 int8 smallint bigint real float float4 float8 double numeric decimal dec ' +
    'varchar character char text string boolean bool date time timestamp timestamptz interval ' +
    'jsonb json bytea struct'
  ).split(' '),
);

const INTERVAL_UNITS = new Set([
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
const NAME_OR_TYPE = ['42601', '42704'];

const QUERY_START = new Set(['select', 'with', 'values', 'table']);

class Parser {
  private readonly toks: Token[];
  private i = 0;

  constructor(private readonly sql: string) {
    this.toks = tokenize(sql);
  }

  // ---- token helpers ---------------------------------------------------------------------------

  peek(k = 0): Token {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)]!;
  }

  next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  isWord(w: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'word' && t.value === w;
  }

  isOp(o: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'op' && t.value === o;
  }

  eatWord(w: string): boolean {
    if (this.isWord(w)) {
      this.i++;
      return true;
    }
    return false;
  }

  /** Consume a sequence of words only if all are present. */
  eatWords(...ws: string[]): boolean {
    for (let k = 0; k < ws.length; k++) if (!this.isWord(ws[k]!, k)) return false;
    this.i += ws.length;
    return true;
  }

  eatOp(o: string): boolean {
    if (this.isOp(o)) {
      this.i++;
      return true;
    }
    return false;
  }

  expectWord(w: string): Token {
    if (!this.isWord(w)) this.fail();
    return this.next();
  }

  expectOp(o: string): Token {
    if (!this.isOp(o)) this.fail();
    return this.next();
  }

  /** `>` that may be the first half of a `>>` token (nested STRUCT<...>). */
  expectCloseAngle(): void {
    const t = this.peek();
    if (t.kind === 'op' && t.value === '>>') {
      this.toks[this.i] = { kind: 'op', value: '>', text: '>', pos: t.pos + 1 };
      return;
    }
    if (t.kind === 'op' && t.value === '>=') {
      this.toks[this.i] = { kind: 'op', value: '=', text: '=', pos: t.pos + 1 };
      return;
    }
    this.expectOp('>');
  }

  fail(t: Token = this.peek()): never {
    if (t.kind === 'eof') throw syntaxError('syntax error at end of input', t.pos);
    throw syntaxError(`syntax error at or near "${t.text}"`, t.pos);
  }

  /** Run `f`; on a syntax error rewind and return undefined. */
  attempt<T>(f: () => T, codes: readonly string[] = ['42601']): T | undefined {
    const save = this.i;
    try {
      return f();
    } catch (e) {
      if (e instanceof SqlError && codes.includes(e.code)) {
        this.i = save;
        return undefined;
      }
      throw e;
    }
  }

  // ---- identifiers -----------------------------------------------------------------------------

  isIdent(k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'qident' || (t.kind === 'word' && !RESERVED.has(t.value));
  }

  /** Any word or quoted identifier (for option names and similar non-reserved positions). */
  isAnyWord(k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'qident' || t.kind === 'word';
  }

  ident(): Ident {
    if (!this.isIdent()) this.fail();
    const t = this.next();
    return { value: t.value, quoted: t.kind === 'qident', pos: t.pos };
  }

  anyIdent(): Ident {
    if (!this.isAnyWord()) this.fail();
    const t = this.next();
    return { value: t.value, quoted: t.kind === 'qident', pos: t.pos };
  }

  objectName(): ObjectName {
    const parts = [this.ident()];
    while (this.isOp('.') && this.isAnyWord(1)) {
      this.i++;
      parts.push(this.anyIdent());
    }
    return parts;
  }

  identList(): Ident[] {
    const out = [this.ident()];
    while (this.eatOp(',')) out.push(this.ident());
    return out;
  }

  parenIdentList(): Ident[] {
    this.expectOp('(');
    const out = this.identList();
    this.expectOp(')');
    return out;
  }

  // ---- statements ------------------------------------------------------------------------------

  statements(): Statement[] {
    const out: Statement[] = [];
    for (;;) {
      while (this.eatOp(';'));
      if (this.peek().kind === 'eof') return out;
      out.push(this.statement());
      if (!this.isOp(';') && this.peek().kind !== 'eof') this.fail();
    }
  }

  statement(): Statement {
    const t = this.peek();
    if (t.kind === 'op' && t.value === '(') return { kind: 'query', query: this.query() };
    if (t.kind !== 'word') this.fail();
    switch (t.value) {
      case 'select':
      case 'with':
      case 'values':
      case 'table':
        return { kind: 'query', query: this.query() };
      case 'insert':
        return this.insert();
      case 'update':
        return this.update();
      case 'delete':
        return this.delete();
      case 'create':
        return this.create();
      case 'drop':
        return this.drop();
      case 'show':
        return this.show();
      case 'set':
        return this.set();
      case 'reset': {
        this.i++;
        const name = this.eatWord('all') ? 'all' : this.varName();
        return { kind: 'set', scope: 'session', name, values: [], isDefault: true };
      }
      case 'describe':
      case 'desc':
        this.i++;
        return { kind: 'describe', name: this.objectName() };
      case 'explain':
        return this.explain();
      case 'flush':
        this.i++;
        return { kind: 'flush' };
      case 'begin': {
        this.i++;
        if (!this.eatWord('transaction')) this.eatWord('work');
        return { kind: 'begin', modes: this.transactionModes() };
      }
      case 'start':
        this.i++;
        this.expectWord('transaction');
        return { kind: 'startTransaction', modes: this.transactionModes() };
      case 'commit':
      case 'end':
        this.i++;
        if (!this.eatWord('transaction')) this.eatWord('work');
        return { kind: 'commit' };
      case 'rollback':
      case 'abort':
        this.i++;
        if (!this.eatWord('transaction')) this.eatWord('work');
        return { kind: 'rollback' };
      default:
        this.fail();
    }
  }

  transactionModes(): string[] {
    const modes: string[] = [];
    for (;;) {
      let m: string | undefined;
      if (this.eatWords('read', 'only')) m = 'READ ONLY';
      else if (this.eatWords('read', 'write')) m = 'READ WRITE';
      else if (this.eatWords('not', 'deferrable')) m = 'NOT DEFERRABLE';
      else if (this.eatWord('deferrable')) m = 'DEFERRABLE';
      else if (this.eatWords('isolation', 'level')) {
        const words: string[] = [];
        if (this.eatWord('serializable')) words.push('SERIALIZABLE');
        else if (this.eatWords('repeatable', 'read')) words.push('REPEATABLE READ');
        else if (this.eatWords('read', 'committed')) words.push('READ COMMITTED');
        else if (this.eatWords('read', 'uncommitted')) words.push('READ UNCOMMITTED');
        else this.fail();
        m = `ISOLATION LEVEL ${words.join(' ')}`;
      }
      if (m === undefined) return modes;
      modes.push(m);
      this.eatOp(',');
    }
  }

  varName(): string {
    const parts = [this.anyIdent().value];
    while (this.eatOp('.')) parts.push(this.anyIdent().value);
    return parts.join('.');
  }

  set(): SetStatement {
    this.expectWord('set');
    let scope: 'session' | 'local' = 'session';
    if (this.eatWord('local')) scope = 'local';
    else this.eatWord('session');
    if (this.eatWords('time', 'zone')) {
      if (this.eatWord('local') || this.eatWord('default'))
        return { kind: 'set', scope, name: 'timezone', values: [], isDefault: true };
      return { kind: 'set', scope, name: 'timezone', values: [this.setValue()], isDefault: false };
    }
    const name = this.varName();
    if (!this.eatOp('=')) this.expectWord('to');
    if (this.eatWord('default')) return { kind: 'set', scope, name, values: [], isDefault: true };
    const values = [this.setValue()];
    while (this.eatOp(',')) values.push(this.setValue());
    return { kind: 'set', scope, name, values, isDefault: false };
  }

  setValue(): Expr {
    const t = this.peek();
    if (t.kind === 'string') {
      this.i++;
      return { kind: 'literal', value: { kind: 'string', value: t.value }, pos: t.pos };
    }
    if (t.kind === 'number') {
      this.i++;
      return { kind: 'literal', value: { kind: 'number', text: t.value }, pos: t.pos };
    }
    if (t.kind === 'op' && (t.value === '-' || t.value === '+') && this.peek(1).kind === 'number') {
      this.i++;
      const n = this.next();
      return {
        kind: 'unary',
        op: t.value,
        operand: { kind: 'literal', value: { kind: 'number', text: n.value }, pos: n.pos },
        pos: t.pos,
      };
    }
    if (t.kind === 'word' || t.kind === 'qident') {
      this.i++;
      return {
        kind: 'identifier',
        parts: [{ value: t.value, quoted: t.kind === 'qident', pos: t.pos }],
        pos: t.pos,
      };
    }
    this.fail();
  }

  show(): ShowStatement {
    this.expectWord('show');
    const withFrom = (what: ShowStatement['what']): ShowStatement => {
      const s: ShowStatement = { kind: 'show', what };
      if (this.eatWord('from') || this.eatWord('in')) s.from = this.objectName();
      if (this.eatWord('like')) {
        const t = this.next();
        if (t.kind !== 'string') this.fail(t);
        s.like = t.value;
      }
      return s;
    };
    if (this.eatWord('tables')) return withFrom('tables');
    if (this.eatWords('materialized', 'views')) return withFrom('materialized views');
    if (this.eatWord('views')) return withFrom('views');
    if (this.eatWord('sources')) return withFrom('sources');
    if (this.eatWord('sinks')) return withFrom('sinks');
    if (this.eatWord('functions')) return withFrom('functions');
    if (this.eatWord('databases')) return withFrom('databases');
    if (this.eatWord('schemas')) return withFrom('schemas');
    if (this.isWord('columns') && (this.isWord('from', 1) || this.isWord('in', 1))) {
      this.i += 2;
      return { kind: 'show', what: 'columns', name: this.objectName() };
    }
    if (this.eatWord('create')) {
      let objectType: DropObjectType;
      if (this.eatWords('materialized', 'view')) objectType = 'materialized view';
      else {
        const t = this.next();
        const found = (['table', 'view', 'source', 'sink', 'index', 'function'] as const).find(
          (x) => t.kind === 'word' && t.value === x,
        );
        if (found === undefined) this.fail(t);
        objectType = found;
      }
      return { kind: 'show', what: 'create', objectType, name: this.objectName() };
    }
    if (this.eatWord('all'))
      return { kind: 'show', what: 'variable', name: [{ value: 'all', quoted: false }] };
    if (this.eatWords('time', 'zone'))
      return { kind: 'show', what: 'variable', name: [{ value: 'timezone', quoted: false }] };
    if (this.eatWords('transaction', 'isolation', 'level'))
      return {
        kind: 'show',
        what: 'variable',
        name: [{ value: 'transaction_isolation', quoted: false }],
      };
    const name = [this.anyIdent()];
    while (this.eatOp('.')) name.push(this.anyIdent());
    return { kind: 'show', what: 'variable', name };
  }

  explain(): Statement {
    this.expectWord('explain');
    const options: string[] = [];
    if (this.isOp('(') && this.peek(1).kind === 'word' && !this.startsQueryAt(1)) {
      this.i++;
      do {
        const words: string[] = [];
        while (this.peek().kind === 'word' || this.peek().kind === 'string')
          words.push(this.next().value.toUpperCase());
        if (words.length === 0) this.fail();
        options.push(words.join(' '));
      } while (this.eatOp(','));
      this.expectOp(')');
    } else {
      for (;;) {
        if (this.eatWord('analyze') || this.eatWord('analyse')) options.push('ANALYZE');
        else if (this.eatWord('verbose')) options.push('VERBOSE');
        else if (this.eatWord('logical')) options.push('LOGICAL');
        else if (this.eatWord('physical')) options.push('PHYSICAL');
        else if (this.eatWord('distsql')) options.push('DISTSQL');
        else break;
      }
    }
    return { kind: 'explain', options, statement: this.statement() };
  }

  insert(): Statement {
    this.expectWord('insert');
    this.expectWord('into');
    const table = this.objectName();
    let columns: Ident[] | undefined;
    if (this.isOp('(') && !this.startsQueryAt(1)) columns = this.parenIdentList();
    const source = this.query();
    const returning = this.returning();
    return {
      kind: 'insert',
      table,
      ...(columns && { columns }),
      source,
      ...(returning && { returning }),
    };
  }

  returning(): SelectItem[] | undefined {
    if (!this.eatWord('returning')) return undefined;
    return this.selectItems();
  }

  tableAliasIdent(): Ident | undefined {
    if (this.eatWord('as')) return this.ident();
    if (this.isIdent() && !(this.peek().kind === 'word' && NO_BARE_ALIAS.has(this.peek().value)))
      return this.ident();
    return undefined;
  }

  update(): Statement {
    this.expectWord('update');
    const table = this.objectName();
    const alias = this.tableAliasIdent();
    this.expectWord('set');
    const assignments: Assignment[] = [];
    do {
      let columns: Ident[];
      if (this.isOp('(')) columns = this.parenIdentList();
      else {
        columns = [this.ident()];
        // `SET t.col = ...` is not PostgreSQL, but nested field targets are: keep the last part.
        while (this.eatOp('.')) columns = [this.anyIdent()];
      }
      this.expectOp('=');
      assignments.push({ columns, value: this.expr() });
    } while (this.eatOp(','));
    const from = this.eatWord('from') ? this.fromList() : undefined;
    const where = this.eatWord('where') ? this.expr() : undefined;
    const returning = this.returning();
    return {
      kind: 'update',
      table,
      ...(alias && { alias }),
      assignments,
      ...(from && { from }),
      ...(where && { where }),
      ...(returning && { returning }),
    };
  }

  delete(): Statement {
    this.expectWord('delete');
    this.expectWord('from');
    const table = this.objectName();
    const alias = this.tableAliasIdent();
    const using = this.eatWord('using') ? this.fromList() : undefined;
    const where = this.eatWord('where') ? this.expr() : undefined;
    const returning = this.returning();
    return {
      kind: 'delete',
      table,
      ...(alias && { alias }),
      ...(using && { using }),
      ...(where && { where }),
      ...(returning && { returning }),
    };
  }

  ifNotExists(): boolean {
    return this.eatWords('if', 'not', 'exists');
  }

  create(): Statement {
    this.expectWord('create');
    const orReplace = this.eatWords('or', 'replace');
    if (this.isWord('materialized') || this.isWord('view')) {
      const materialized = this.eatWord('materialized');
      this.expectWord('view');
      const ifNotExists = this.ifNotExists();
      const name = this.objectName();
      const columns = this.isOp('(') ? this.parenIdentList() : undefined;
      const withOptions = this.withOptions();
      this.expectWord('as');
      const query = this.query();
      const emitOnWindowClose = this.eatWords('emit', 'on', 'window', 'close');
      return {
        kind: 'createView',
        materialized,
        ifNotExists,
        orReplace,
        name,
        ...(columns && { columns }),
        query,
        emitOnWindowClose,
        withOptions,
      };
    }
    if (this.eatWord('table')) return this.createTable();
    if (this.eatWord('source')) return this.createSource();
    if (this.eatWord('sink')) {
      const ifNotExists = this.ifNotExists();
      const name = this.objectName();
      let from: ObjectName | undefined;
      let asQuery: Query | undefined;
      const into = this.eatWord('into') ? this.objectName() : undefined;
      if (this.eatWord('from')) from = this.objectName();
      else if (this.eatWord('as')) asQuery = this.query();
      const withOptions = this.withOptions();
      const format = this.formatEncode();
      return {
        kind: 'createSink',
        name,
        ifNotExists,
        ...(into && { into }),
        ...(from && { from }),
        ...(asQuery && { asQuery }),
        withOptions,
        ...(format && { format }),
      };
    }
    if (this.eatWord('schema')) {
      const ifNotExists = this.ifNotExists();
      return { kind: 'createSchema', name: this.objectName(), ifNotExists };
    }
    if (this.eatWord('function')) return this.createFunction(orReplace);
    if (this.eatWord('index')) {
      const ifNotExists = this.ifNotExists();
      const name = this.objectName();
      this.expectWord('on');
      const table = this.objectName();
      this.expectOp('(');
      const columns = this.orderItems();
      this.expectOp(')');
      let include: Ident[] = [];
      let distributedBy: Expr[] = [];
      if (this.eatWord('include')) include = this.parenIdentList();
      if (this.eatWords('distributed', 'by')) {
        this.expectOp('(');
        distributedBy = this.exprList();
        this.expectOp(')');
      }
      return { kind: 'createIndex', name, ifNotExists, table, columns, include, distributedBy };
    }
    this.fail();
  }

  withOptions(): SqlOption[] {
    if (!(this.isWord('with') && this.isOp('(', 1))) return [];
    this.i += 2;
    const out: SqlOption[] = [];
    if (this.eatOp(')')) return out;
    do {
      const name = [this.anyIdent()];
      while (this.eatOp('.')) name.push(this.anyIdent());
      this.expectOp('=');
      out.push({ name, value: this.optionValue() });
    } while (this.eatOp(','));
    this.expectOp(')');
    return out;
  }

  optionValue(): Expr {
    const t = this.peek();
    if (t.kind === 'word' && !this.isOp('(', 1) && !this.isOp('.', 1)) {
      this.i++;
      if (t.value === 'true' || t.value === 'false')
        return {
          kind: 'literal',
          value: { kind: 'boolean', value: t.value === 'true' },
          pos: t.pos,
        };
      return {
        kind: 'identifier',
        parts: [{ value: t.value, quoted: false, pos: t.pos }],
        pos: t.pos,
      };
    }
    return this.expr();
  }

  formatEncode(): FormatEncode | undefined {
    if (!this.eatWord('format')) return undefined;
    const format = this.anyIdent().value.toUpperCase();
    this.expectWord('encode');
    const encode = this.anyIdent().value.toUpperCase();
    let options: SqlOption[] = [];
    if (this.isOp('(')) {
      this.i++;
      options = [];
      if (!this.isOp(')'))
        do {
          const name = [this.anyIdent()];
          while (this.eatOp('.')) name.push(this.anyIdent());
          this.expectOp('=');
          options.push({ name, value: this.optionValue() });
        } while (this.eatOp(','));
      this.expectOp(')');
    }
    return { format, encode, options };
  }

  /** Column list of CREATE TABLE / SOURCE, with table constraints. */
  tableElements(): {
    columns: ColumnDef[];
    primaryKey?: Ident[];
    watermark?: { column: Ident; expr: Expr };
  } {
    const columns: ColumnDef[] = [];
    let primaryKey: Ident[] | undefined;
    let watermark: { column: Ident; expr: Expr } | undefined;
    this.expectOp('(');
    if (this.eatOp(')')) return { columns };
    do {
      if (this.eatWord('constraint')) this.ident();
      if (this.eatWords('primary', 'key')) primaryKey = this.parenIdentList();
      else if (this.eatWord('watermark')) {
        this.expectWord('for');
        const column = this.ident();
        this.expectWord('as');
        watermark = { column, expr: this.expr() };
      } else columns.push(this.columnDef());
      // A trailing comma before `)` is accepted (as RisingWave does).
    } while (this.eatOp(',') && !this.isOp(')'));
    this.expectOp(')');
    return { columns, ...(primaryKey && { primaryKey }), ...(watermark && { watermark }) };
  }

  columnDef(): ColumnDef {
    const name = this.ident();
    const col: ColumnDef = { name, dataType: this.dataType() };
    for (;;) {
      if (this.eatWord('constraint')) this.ident();
      if (this.eatWords('not', 'null')) col.notNull = true;
      else if (this.eatWord('null')) col.notNull = false;
      else if (this.eatWords('primary', 'key')) col.primaryKey = true;
      else if (this.eatWord('default')) col.default = this.expr(Prec.cmp);
      else if (this.eatWord('as')) col.generated = this.expr();
      else break;
    }
    return col;
  }

  createTable(): Statement {
    const ifNotExists = this.ifNotExists();
    const name = this.objectName();
    const elems = this.isOp('(') ? this.tableElements() : { columns: [] };
    let appendOnly = false;
    let onConflict: 'overwrite' | 'ignore' | 'doUpdateIfNotNull' | undefined;
    let withOptions: SqlOption[] = [];
    let format: FormatEncode | undefined;
    let asQuery: Query | undefined;
    for (;;) {
      if (this.eatWords('append', 'only')) appendOnly = true;
      else if (this.eatWords('on', 'conflict')) {
        if (this.eatWord('overwrite') || this.eatWords('do', 'update', 'full'))
          onConflict = 'overwrite';
        else if (this.eatWord('ignore') || this.eatWords('do', 'nothing')) onConflict = 'ignore';
        else if (this.eatWords('do', 'update', 'if', 'not', 'null'))
          onConflict = 'doUpdateIfNotNull';
        else this.fail();
      } else if (this.isWord('with') && this.isOp('(', 1)) withOptions = this.withOptions();
      else if (this.isWord('format')) format = this.formatEncode();
      else if (this.eatWord('as')) asQuery = this.query();
      else break;
    }
    return {
      kind: 'createTable',
      name,
      ifNotExists,
      columns: elems.columns,
      ...(elems.primaryKey && { primaryKey: elems.primaryKey }),
      appendOnly,
      ...(elems.watermark && { watermark: elems.watermark }),
      withOptions,
      ...(format && { format }),
      ...(asQuery && { asQuery }),
      ...(onConflict && { onConflict }),
    };
  }

  createSource(): Statement {
    const ifNotExists = this.ifNotExists();
    const name = this.objectName();
    const elems = this.isOp('(') ? this.tableElements() : { columns: [] };
    let withOptions: SqlOption[] = [];
    let format: FormatEncode | undefined;
    for (;;) {
      if (this.isWord('with') && this.isOp('(', 1)) withOptions = this.withOptions();
      else if (this.isWord('format')) format = this.formatEncode();
      else break;
    }
    return {
      kind: 'createSource',
      name,
      ifNotExists,
      columns: elems.columns,
      ...(elems.watermark && { watermark: elems.watermark }),
      withOptions,
      ...(format && { format }),
    };
  }

  createFunction(orReplace: boolean): Statement {
    const name = this.objectName();
    this.expectOp('(');
    const params: FunctionParam[] = [];
    if (!this.isOp(')'))
      do {
        // A parameter is `[name] type`: a name is present when a type follows it.
        const save = this.i;
        if (this.isIdent() && !this.isOp(',', 1) && !this.isOp(')', 1)) {
          const candidate = this.ident();
          const ok = this.attempt(() => this.dataType(), NAME_OR_TYPE);
          if (ok !== undefined) {
            params.push({ name: candidate, dataType: ok });
            continue;
          }
          this.i = save;
        }
        params.push({ dataType: this.dataType() });
      } while (this.eatOp(','));
    this.expectOp(')');
    let returns: DataType | undefined;
    let language = '';
    let body: { kind: 'as'; text: string } | { kind: 'return'; expr: Expr } | undefined;
    const options: string[] = [];
    for (;;) {
      if (this.eatWord('returns')) returns = this.dataType();
      else if (this.eatWord('language')) language = this.anyIdent().value;
      else if (this.eatWord('as')) {
        const t = this.next();
        if (t.kind !== 'string') this.fail(t);
        body = { kind: 'as', text: t.value };
      } else if (this.eatWord('return')) body = { kind: 'return', expr: this.expr() };
      else if (
        this.peek().kind === 'word' &&
        ['immutable', 'stable', 'volatile', 'strict', 'leakproof'].includes(this.peek().value)
      )
        options.push(this.next().value.toUpperCase());
      else if (this.eatWords('called', 'on', 'null', 'input')) options.push('CALLED ON NULL INPUT');
      else if (this.eatWords('returns', 'null', 'on', 'null', 'input'))
        options.push('RETURNS NULL ON NULL INPUT');
      else break;
    }
    if (body === undefined) this.fail();
    return {
      kind: 'createFunction',
      orReplace,
      name,
      params,
      ...(returns && { returns }),
      language,
      body,
      options,
    };
  }

  drop(): Statement {
    this.expectWord('drop');
    let objectType: DropObjectType;
    if (this.eatWords('materialized', 'view')) objectType = 'materialized view';
    else {
      const t = this.next();
      const types: DropObjectType[] = [
        'table',
        'view',
        'source',
        'sink',
        'index',
        'function',
        'schema',
        'database',
      ];
      const found = types.find((x) => t.kind === 'word' && t.value === x);
      if (found === undefined) this.fail(t);
      objectType = found;
    }
    const ifExists = this.eatWords('if', 'exists');
    const names: ObjectName[] = [];
    const argTypes: (DataType[] | undefined)[] = [];
    let anyArgs = false;
    do {
      names.push(this.objectName());
      if (objectType === 'function' && this.eatOp('(')) {
        anyArgs = true;
        const types: DataType[] = [];
        if (!this.isOp(')'))
          do {
            if (this.isIdent() && !this.isOp(',', 1) && !this.isOp(')', 1) && !this.isOp('[', 1)) {
              const save = this.i;
              this.i++;
              const ty = this.attempt(() => this.dataType(), NAME_OR_TYPE);
              if (ty !== undefined) {
                types.push(ty);
                continue;
              }
              this.i = save;
            }
            types.push(this.dataType());
          } while (this.eatOp(','));
        this.expectOp(')');
        argTypes.push(types);
      } else argTypes.push(undefined);
    } while (this.eatOp(','));
    let cascade = false;
    if (this.eatWord('cascade')) cascade = true;
    else this.eatWord('restrict');
    return { kind: 'drop', objectType, ifExists, names, cascade, ...(anyArgs && { argTypes }) };
  }

  // ---- data types ------------------------------------------------------------------------------

  typeModifier(): number[] {
    const out: number[] = [];
    if (!this.eatOp('(')) return out;
    do {
      const t = this.next();
      if (t.kind !== 'number' || !/^\d+$/.test(t.value)) this.fail(t);
      out.push(Number(t.value));
    } while (this.eatOp(','));
    this.expectOp(')');
    return out;
  }

  timeZoneSuffix(): boolean | undefined {
    if (this.eatWords('with', 'time', 'zone')) return true;
    if (this.eatWords('without', 'time', 'zone')) return false;
    return undefined;
  }

  /** The operator of `OPERATOR([schema.]op)`, after the opening parenthesis. */
  qualifiedOperator(): BinaryOperator {
    if (this.peek().kind === 'word' || this.peek().kind === 'qident') {
      const schema = this.next();
      if (schema.value !== 'pg_catalog')
        throw new SqlError('3F000', `schema "${schema.value}" does not exist`, schema.pos);
      this.expectOp('.');
    }
    const o = this.peek();
    if (o.kind !== 'op' || !isOperatorName(o.value)) this.fail();
    this.i++;
    this.expectOp(')');
    return BINARY_OPS[o.value] ?? (o.value as BinaryOperator);
  }

  /** A collation name; `pg_catalog.`, where every collation lives, is dropped. */
  collationName(): ObjectName {
    const name = this.objectName();
    if (name.length === 2 && name[0]!.value === 'pg_catalog' && !name[0]!.quoted) {
      // Kept quoted so that printing `default` (a reserved word) reads back the same.
      return [{ ...name[1]!, quoted: true }];
    }
    return name;
  }

  /**
   * A cast to an object-identifier type (`::regclass`, `::regtype`, `::regnamespace`,
   * `::regrole`, `::regproc`), which Sluice has no data type for: it becomes a call of
   * `pg_catalog.regclass(x)` (and so on), the oid (bigint) of the named object. A following
   * cast to text (`::regclass::text`) calls `pg_catalog.regclassout` (...) instead: the
   * object's name, as PostgreSQL prints these types. Returns undefined (consuming nothing) when the next type is another one.
   */
  regTypeCast(expr: Expr, pos: number): Expr | undefined {
    const k = this.isWord('pg_catalog') && this.isOp('.', 1) ? 2 : 0;
    const w = this.peek(k);
    if (w.kind !== 'word' || !REG_TYPES.has(w.value)) return undefined;
    this.i += k + 1;
    const call = (fn: string): Expr => ({
      kind: 'function',
      name: [
        { value: 'pg_catalog', quoted: false, pos },
        { value: fn, quoted: false, pos },
      ],
      args: [{ value: expr }],
      distinct: false,
      star: false,
      orderBy: [],
      pos,
    });
    if (this.isOp('::')) {
      const j = this.isWord('pg_catalog', 1) && this.isOp('.', 2) ? 3 : 1;
      const to = this.peek(j);
      if (to.kind === 'word' && ['text', 'name', 'varchar'].includes(to.value)) {
        this.i += j + 1;
        return call(`${w.value}out`);
      }
    }
    return call(w.value);
  }

  dataType(): DataType {
    // Built-in types live in pg_catalog; clients qualify them (`::pg_catalog.text`).
    if (this.isWord('pg_catalog') && this.isOp('.', 1)) this.i += 2;
    const t = this.peek();
    if (t.kind !== 'word' && t.kind !== 'qident') this.fail();
    this.i++;
    let ty: DataType;
    switch (t.value) {
      // Object identifiers are bigint in Sluice (they all fit); `name` is text.
      case 'oid':
        ty = { kind: 'int8' };
        break;
      case 'name':
        ty = { kind: 'text' };
        break;
      case 'int':
      case 'integer':
      case 'int4':
        ty = { kind: 'int4' };
        break;
      case 'smallint':
      case 'int2':
        ty = { kind: 'int2' };
        break;
      case 'bigint':
      case 'int8':
        ty = { kind: 'int8' };
        break;
      case 'real':
      case 'float4':
        ty = { kind: 'float4' };
        break;
      case 'float8':
        ty = { kind: 'float8' };
        break;
      case 'float': {
        const m = this.typeModifier();
        ty = m[0] !== undefined && m[0] <= 24 ? { kind: 'float4' } : { kind: 'float8' };
        break;
      }
      case 'double':
        this.eatWord('precision');
        ty = { kind: 'float8' };
        break;
      case 'numeric':
      case 'decimal':
      case 'dec': {
        const m = this.typeModifier();
        ty = { kind: 'numeric' };
        if (m[0] !== undefined) ty.precision = m[0];
        if (m[1] !== undefined) ty.scale = m[1];
        break;
      }
      case 'varchar': {
        const m = this.typeModifier();
        ty = m[0] !== undefined ? { kind: 'varchar', length: m[0] } : { kind: 'varchar' };
        break;
      }
      case 'character':
      case 'char': {
        this.eatWord('varying');
        const m = this.typeModifier();
        ty = m[0] !== undefined ? { kind: 'varchar', length: m[0] } : { kind: 'varchar' };
        break;
      }
      case 'text':
      case 'string':
        ty = { kind: 'text' };
        break;
      case 'boolean':
      case 'bool':
        ty = { kind: 'boolean' };
        break;
      case 'date':
        ty = { kind: 'date' };
        break;
      case 'time': {
        this.typeModifier();
        const tz = this.timeZoneSuffix();
        if (tz === true) throw new SqlError('0A000', 'time with time zone is not supported', t.pos);
        ty = { kind: 'time' };
        break;
      }
      case 'timestamp': {
        this.typeModifier();
        ty = this.timeZoneSuffix() === true ? { kind: 'timestamptz' } : { kind: 'timestamp' };
        break;
      }
      case 'timestamptz':
        this.typeModifier();
        ty = { kind: 'timestamptz' };
        break;
      case 'interval':
        ty = { kind: 'interval' };
        break;
      case 'jsonb':
      case 'json':
        ty = { kind: 'jsonb' };
        break;
      case 'bytea':
        ty = { kind: 'bytea' };
        break;
      case 'struct': {
        this.expectOp('<');
        const fields: StructField[] = [];
        if (!this.isOp('>'))
          do {
            const name = this.anyIdent().value;
            fields.push({ name, type: this.dataType() });
          } while (this.eatOp(','));
        this.expectCloseAngle();
        ty = { kind: 'struct', fields };
        break;
      }
      default:
        throw new SqlError('42704', `type "${t.value}" does not exist`, t.pos);
    }
    for (;;) {
      if (this.isOp('[') && this.isOp(']', 1)) this.i += 2;
      else if (this.isOp('[') && this.peek(1).kind === 'number' && this.isOp(']', 2)) this.i += 3;
      else if (this.isWord('array') && !this.isOp('[', 1)) this.i++;
      else break;
      ty = { kind: 'array', element: ty };
    }
    return ty;
  }

  // ---- queries ---------------------------------------------------------------------------------

  startsQueryAt(k: number): boolean {
    const t = this.peek(k);
    if (t.kind === 'word' && QUERY_START.has(t.value)) return true;
    if (t.kind === 'op' && t.value === '(') return this.startsQueryAt(k + 1);
    return false;
  }

  query(): Query {
    let withClause: With | undefined;
    if (this.eatWord('with')) {
      const recursive = this.eatWord('recursive');
      const ctes: Cte[] = [];
      do {
        const name = this.ident();
        const columns = this.isOp('(') ? this.parenIdentList() : undefined;
        this.expectWord('as');
        let materialized: boolean | undefined;
        if (this.eatWord('materialized')) materialized = true;
        else if (this.eatWords('not', 'materialized')) materialized = false;
        this.expectOp('(');
        const query = this.query();
        this.expectOp(')');
        ctes.push({
          name,
          ...(columns && { columns }),
          query,
          ...(materialized !== undefined && { materialized }),
        });
      } while (this.eatOp(','));
      withClause = { recursive, ctes };
    }
    const body = this.setExpr(0);
    const q: Query = { ...(withClause && { with: withClause }), body, orderBy: [] };
    if (this.eatWords('order', 'by')) q.orderBy = this.orderItems();
    for (;;) {
      if (this.eatWord('limit')) {
        if (!this.eatWord('all')) q.limit = this.expr();
      } else if (this.eatWord('offset')) {
        q.offset = this.expr();
        if (!this.eatWord('rows')) this.eatWord('row');
      } else if (this.eatWord('fetch')) {
        if (!this.eatWord('first')) this.expectWord('next');
        let n: Expr = { kind: 'literal', value: { kind: 'number', text: '1' } };
        if (!this.isWord('row') && !this.isWord('rows')) n = this.expr(Prec.add - 1);
        if (!this.eatWord('rows')) this.expectWord('row');
        if (this.eatWords('with', 'ties')) q.withTies = true;
        else this.expectWord('only');
        q.limit = n;
      } else break;
    }
    return q;
  }

  setExpr(minPrec: number): SetExpr {
    let left = this.setOperand();
    for (;;) {
      const t = this.peek();
      let prec = 0;
      if (t.kind === 'word' && (t.value === 'union' || t.value === 'except')) prec = 1;
      else if (t.kind === 'word' && t.value === 'intersect') prec = 2;
      if (prec === 0 || prec <= minPrec) return left;
      this.i++;
      const op = t.value as 'union' | 'intersect' | 'except';
      const all = this.eatWord('all');
      if (!all) this.eatWord('distinct');
      const right = this.setExpr(prec);
      left = { kind: 'setOp', op, all, left, right };
    }
  }

  setOperand(): SetExpr {
    if (this.eatOp('(')) {
      const query = this.query();
      this.expectOp(')');
      return { kind: 'query', query };
    }
    if (this.isWord('select')) return { kind: 'select', select: this.select() };
    if (this.eatWord('values')) {
      const rows: Expr[][] = [];
      do {
        this.expectOp('(');
        rows.push(this.exprList());
        this.expectOp(')');
      } while (this.eatOp(','));
      return { kind: 'values', rows };
    }
    if (this.isWord('table')) {
      const pos = this.next().pos;
      const name = this.objectName();
      return {
        kind: 'select',
        select: {
          projection: [{ kind: 'wildcard', pos }],
          from: [{ kind: 'table', name, pos }],
          groupBy: [],
          windows: [],
        },
      };
    }
    this.fail();
  }

  select(): Select {
    this.expectWord('select');
    const s: Select = { projection: [], from: [], groupBy: [], windows: [] };
    if (this.eatWord('distinct')) {
      if (this.eatWord('on')) {
        this.expectOp('(');
        s.distinct = { kind: 'distinctOn', exprs: this.exprList() };
        this.expectOp(')');
      } else s.distinct = { kind: 'distinct' };
    } else this.eatWord('all');
    const t = this.peek();
    const endsList =
      t.kind === 'eof' ||
      (t.kind === 'op' && (t.value === ';' || t.value === ')')) ||
      (t.kind === 'word' &&
        ['from', 'where', 'group', 'union', 'except', 'intersect', 'order', 'limit'].includes(
          t.value,
        ));
    if (!endsList) s.projection = this.selectItems();
    if (this.eatWord('from')) s.from = this.fromList();
    if (this.eatWord('where')) s.where = this.expr();
    if (this.eatWords('group', 'by')) {
      this.eatWord('all');
      s.groupBy = this.groupByItems();
    }
    if (this.eatWord('having')) s.having = this.expr();
    if (this.eatWord('window')) {
      do {
        const name = this.ident();
        this.expectWord('as');
        s.windows.push({ name, spec: this.windowSpec() });
      } while (this.eatOp(','));
    }
    return s;
  }

  selectItems(): SelectItem[] {
    const items: SelectItem[] = [];
    do items.push(this.selectItem());
    while (this.eatOp(','));
    return items;
  }

  exceptList(): Ident[] | undefined {
    if (this.isWord('except') && this.isOp('(', 1)) {
      this.i++;
      return this.parenIdentList();
    }
    return undefined;
  }

  selectItem(): SelectItem {
    const t = this.peek();
    if (t.kind === 'op' && t.value === '*') {
      this.i++;
      const except = this.exceptList();
      return { kind: 'wildcard', pos: t.pos, ...(except && { except }) };
    }
    // qualified wildcard: a.b.*
    if (this.isAnyWord()) {
      let k = 0;
      while (this.isAnyWord(k) && this.isOp('.', k + 1)) {
        if (this.isOp('*', k + 2)) {
          const qualifier: ObjectName = [];
          for (let j = 0; j <= k; j += 2) {
            const tk = this.peek(j);
            qualifier.push({ value: tk.value, quoted: tk.kind === 'qident', pos: tk.pos });
          }
          this.i += k + 3;
          const except = this.exceptList();
          return { kind: 'qualifiedWildcard', qualifier, pos: t.pos, ...(except && { except }) };
        }
        k += 2;
      }
    }
    const expr = this.expr();
    const alias = this.columnAlias();
    return { kind: 'expr', expr, ...(alias && { alias }) };
  }

  columnAlias(): Ident | undefined {
    if (this.eatWord('as')) return this.anyIdent();
    const t = this.peek();
    if (t.kind === 'qident') return this.ident();
    if (t.kind === 'word' && !RESERVED.has(t.value) && !NO_BARE_ALIAS.has(t.value))
      return this.ident();
    return undefined;
  }

  groupByItems(): GroupByItem[] {
    const items: GroupByItem[] = [];
    do {
      if (this.isOp('(') && this.isOp(')', 1)) {
        this.i += 2;
        items.push({ kind: 'empty' });
      } else if (this.eatWords('grouping', 'sets')) {
        items.push({ kind: 'groupingSets', sets: this.groupingSetList() });
      } else if ((this.isWord('rollup') || this.isWord('cube')) && this.isOp('(', 1)) {
        const kind = this.next().value as 'rollup' | 'cube';
        items.push({ kind, sets: this.groupingSetList() });
      } else items.push({ kind: 'expr', expr: this.expr() });
    } while (this.eatOp(','));
    return items;
  }

  /** `( set, set, ... )` where a set is `expr` or `(expr, ...)` or `()`. */
  groupingSetList(): Expr[][] {
    this.expectOp('(');
    const sets: Expr[][] = [];
    do {
      if (this.isOp('(')) {
        // `(a, b)` is a set of two; `(a)` a set of one; `()` the empty set.
        this.i++;
        if (this.eatOp(')')) sets.push([]);
        else {
          sets.push(this.exprList());
          this.expectOp(')');
        }
      } else sets.push([this.expr()]);
    } while (this.eatOp(','));
    this.expectOp(')');
    return sets;
  }

  fromList(): TableRef[] {
    const out: TableRef[] = [];
    do out.push(this.tableRef());
    while (this.eatOp(','));
    return out;
  }

  tableRef(): TableRef {
    let left = this.tablePrimary();
    for (;;) {
      const pos = this.peek().pos;
      let joinType: JoinType | undefined;
      let natural = false;
      let asof = false;
      if (this.eatWords('cross', 'join')) {
        const right = this.tablePrimary();
        left = { kind: 'join', joinType: 'cross', left, right, constraint: { kind: 'none' }, pos };
        continue;
      }
      if (this.eatWord('natural')) natural = true;
      else if (this.eatWord('asof')) asof = true;
      if (this.eatWord('join')) joinType = 'inner';
      else if (this.eatWord('inner')) {
        this.expectWord('join');
        joinType = 'inner';
      } else if (this.isWord('left') || this.isWord('right') || this.isWord('full')) {
        joinType = this.next().value as JoinType;
        this.eatWord('outer');
        this.expectWord('join');
      } else if (natural || asof) this.fail();
      if (joinType === undefined) return left;
      const right = this.tablePrimary();
      let constraint: JoinConstraint;
      if (natural) constraint = { kind: 'natural' };
      else if (this.eatWord('on')) constraint = { kind: 'on', expr: this.expr() };
      else if (this.eatWord('using'))
        constraint = { kind: 'using', columns: this.parenIdentList() };
      else this.fail();
      left = { kind: 'join', joinType, left, right, constraint, pos, ...(asof && { asof }) };
    }
  }

  tableAlias(): TableAlias | undefined {
    let name: Ident | undefined;
    if (this.eatWord('as')) name = this.ident();
    else if (
      this.isIdent() &&
      !(this.peek().kind === 'word' && NO_BARE_ALIAS.has(this.peek().value))
    )
      name = this.ident();
    if (name === undefined) return undefined;
    if (this.isOp('(')) return { name, columns: this.parenIdentList() };
    return { name };
  }

  tablePrimary(): TableRef {
    const pos = this.peek().pos;
    const lateral = this.eatWord('lateral');
    if (this.isOp('(')) {
      const sub = this.attempt(() => {
        this.expectOp('(');
        const q = this.query();
        this.expectOp(')');
        return q;
      });
      if (sub !== undefined) {
        const alias = this.tableAlias();
        return { kind: 'subquery', query: sub, lateral, ...(alias && { alias }), pos };
      }
      if (lateral) this.fail();
      this.i++;
      const inner = this.tableRef();
      this.expectOp(')');
      const alias = this.tableAlias();
      if (alias === undefined) return inner;
      return { kind: 'nested', table: inner, alias, pos };
    }
    const name = this.objectName();
    if (this.isOp('(')) {
      this.i++;
      const args = this.isOp(')') ? [] : this.functionArgs();
      this.expectOp(')');
      const withOrdinality = this.eatWords('with', 'ordinality');
      const alias = this.tableAlias();
      return {
        kind: 'function',
        name,
        args,
        lateral,
        withOrdinality,
        ...(alias && { alias }),
        pos,
      };
    }
    if (lateral) this.fail();
    const forSystemTime = this.eatWords('for', 'system_time', 'as', 'of');
    if (forSystemTime) {
      // Only the processing-time form exists: `FOR SYSTEM_TIME AS OF PROCTIME()`.
      this.expectWord('proctime');
      this.expectOp('(');
      this.expectOp(')');
    }
    const alias = this.tableAlias();
    return {
      kind: 'table',
      name,
      ...(alias && { alias }),
      ...(forSystemTime && { forSystemTimeAsOfProctime: true }),
      pos,
    };
  }

  orderItems(): OrderByItem[] {
    const out: OrderByItem[] = [];
    do {
      const item: OrderByItem = { expr: this.expr() };
      if (this.eatWord('asc')) item.asc = true;
      else if (this.eatWord('desc')) item.asc = false;
      if (this.eatWords('nulls', 'first')) item.nullsFirst = true;
      else if (this.eatWords('nulls', 'last')) item.nullsFirst = false;
      out.push(item);
    } while (this.eatOp(','));
    return out;
  }

  windowSpec(): WindowSpec {
    this.expectOp('(');
    const spec: WindowSpec = { partitionBy: [], orderBy: [] };
    if (
      this.isIdent() &&
      !['partition', 'order', 'rows', 'range', 'groups', 'session'].includes(this.peek().value)
    )
      spec.baseName = this.ident();
    if (this.eatWords('partition', 'by')) spec.partitionBy = this.exprList();
    if (this.eatWords('order', 'by')) spec.orderBy = this.orderItems();
    const frame = this.windowFrame();
    if (frame) spec.frame = frame;
    this.expectOp(')');
    return spec;
  }

  windowFrame(): WindowFrame | undefined {
    const t = this.peek();
    if (t.kind !== 'word' || !['rows', 'range', 'groups', 'session'].includes(t.value))
      return undefined;
    this.i++;
    const units = t.value as WindowFrame['units'];
    if (units === 'session') {
      this.expectWord('with');
      this.expectWord('gap');
      return {
        units,
        start: { kind: 'unboundedPreceding' },
        end: { kind: 'unboundedFollowing' },
        gap: this.expr(),
      };
    }
    let frame: WindowFrame;
    if (this.eatWord('between')) {
      const start = this.frameBound();
      this.expectWord('and');
      frame = { units, start, end: this.frameBound() };
    } else frame = { units, start: this.frameBound() };
    if (this.eatWord('exclude')) {
      if (this.eatWords('current', 'row')) frame.exclude = 'currentRow';
      else if (this.eatWord('group')) frame.exclude = 'group';
      else if (this.eatWord('ties')) frame.exclude = 'ties';
      else if (this.eatWords('no', 'others')) frame.exclude = 'noOthers';
      else this.fail();
    }
    return frame;
  }

  frameBound(): WindowFrameBound {
    if (this.eatWords('unbounded', 'preceding')) return { kind: 'unboundedPreceding' };
    if (this.eatWords('unbounded', 'following')) return { kind: 'unboundedFollowing' };
    if (this.eatWords('current', 'row')) return { kind: 'currentRow' };
    const offset = this.expr(Prec.like);
    if (this.eatWord('preceding')) return { kind: 'preceding', offset };
    this.expectWord('following');
    return { kind: 'following', offset };
  }

  // ---- expressions -----------------------------------------------------------------------------

  exprList(): Expr[] {
    const out = [this.expr()];
    while (this.eatOp(',')) out.push(this.expr());
    return out;
  }

  functionArgs(onVariadic?: () => void): FunctionArg[] {
    const out: FunctionArg[] = [];
    do {
      if (onVariadic && this.eatWord('variadic')) onVariadic();
      if (this.isAnyWord() && (this.isOp('=>', 1) || this.isOp(':=', 1))) {
        const name = this.anyIdent();
        this.i++;
        out.push({ name, value: this.expr() });
      } else out.push({ value: this.expr() });
    } while (this.eatOp(','));
    return out;
  }

  /** Parse an expression whose operators all bind tighter than `minPrec`. */
  expr(minPrec = 0): Expr {
    let left = this.prefix();
    for (;;) {
      const t = this.peek();
      if (t.kind === 'op') {
        if (t.value === '::') {
          if (Prec.cast <= minPrec) return left;
          this.i++;
          const reg = this.regTypeCast(left, t.pos);
          left = reg ?? {
            kind: 'cast',
            expr: left,
            dataType: this.dataType(),
            syntax: '::',
            pos: t.pos,
          };
          continue;
        }
        if (t.value === '[') {
          if (Prec.subscript <= minPrec) return left;
          left = this.subscript(left);
          continue;
        }
        if (t.value === '.') {
          if (Prec.field <= minPrec) return left;
          this.i++;
          if (this.isOp('*')) {
            const s = this.next();
            left = {
              kind: 'fieldAccess',
              expr: left,
              field: { value: '*', quoted: false, pos: s.pos },
              pos: t.pos,
            };
          } else left = { kind: 'fieldAccess', expr: left, field: this.anyIdent(), pos: t.pos };
          continue;
        }
        // An operator Sluice does not define still parses (PostgreSQL users may write any);
        // the binder then reports `operator does not exist` with the operand types.
        const op =
          BINARY_OPS[t.value] ??
          (isOperatorName(t.value) ? (t.value as BinaryOperator) : undefined);
        if (op === undefined) return left;
        const prec = binaryPrec(op);
        if (prec <= minPrec) return left;
        this.i++;
        const q = this.peek();
        if (
          q.kind === 'word' &&
          (q.value === 'any' || q.value === 'all' || q.value === 'some') &&
          this.isOp('(', 1)
        ) {
          this.i += 2;
          const quantifier = q.value === 'all' ? 'all' : 'any';
          let right: { kind: 'expr'; expr: Expr } | { kind: 'query'; query: Query };
          const sub = this.startsQueryAt(0) ? this.attempt(() => this.queryThenClose()) : undefined;
          if (sub !== undefined) right = { kind: 'query', query: sub };
          else {
            right = { kind: 'expr', expr: this.expr() };
            this.expectOp(')');
          }
          left = { kind: 'quantified', left, op, quantifier, right, pos: t.pos };
          continue;
        }
        left = { kind: 'binary', op, left, right: this.expr(prec), pos: t.pos };
        continue;
      }
      if (t.kind !== 'word') return left;
      if (t.value === 'operator' && this.isOp('(', 1)) {
        // `a OPERATOR(pg_catalog.~) b` (psql writes it): the named operator, at the precedence
        // PostgreSQL gives every OPERATOR() form.
        if (Prec.other <= minPrec) return left;
        this.i += 2;
        const op = this.qualifiedOperator();
        left = { kind: 'binary', op, left, right: this.expr(Prec.other), pos: t.pos };
        continue;
      }
      switch (t.value) {
        case 'and':
        case 'or': {
          const prec = t.value === 'and' ? Prec.and : Prec.or;
          if (prec <= minPrec) return left;
          this.i++;
          const op = t.value === 'and' ? 'AND' : 'OR';
          left = { kind: 'binary', op, left, right: this.expr(prec), pos: t.pos };
          continue;
        }
        case 'is': {
          if (Prec.is <= minPrec) return left;
          this.i++;
          const negated = this.eatWord('not');
          if (this.eatWord('null')) left = { kind: 'isNull', expr: left, negated, pos: t.pos };
          else if (this.eatWord('true'))
            left = { kind: 'isBool', expr: left, value: true, negated, pos: t.pos };
          else if (this.eatWord('false'))
            left = { kind: 'isBool', expr: left, value: false, negated, pos: t.pos };
          else if (this.eatWord('unknown'))
            left = { kind: 'isBool', expr: left, value: null, negated, pos: t.pos };
          else if (this.eatWords('distinct', 'from'))
            left = { kind: 'isDistinctFrom', left, right: this.expr(Prec.is), negated, pos: t.pos };
          else this.fail();
          continue;
        }
        case 'isnull':
        case 'notnull':
          if (Prec.is <= minPrec) return left;
          this.i++;
          left = { kind: 'isNull', expr: left, negated: t.value === 'notnull', pos: t.pos };
          continue;
        case 'at':
          if (!this.isWord('time', 1) || !this.isWord('zone', 2)) return left;
          if (Prec.at <= minPrec) return left;
          this.i += 3;
          left = { kind: 'atTimeZone', expr: left, zone: this.expr(Prec.at), pos: t.pos };
          continue;
        case 'collate':
          if (Prec.collate <= minPrec) return left;
          this.i++;
          left = { kind: 'collate', expr: left, collation: this.collationName(), pos: t.pos };
          continue;
        case 'not':
        case 'between':
        case 'in':
        case 'like':
        case 'ilike':
        case 'similar': {
          const k = t.value === 'not' ? 1 : 0;
          const w = this.peek(k);
          if (w.kind !== 'word' || !['between', 'in', 'like', 'ilike', 'similar'].includes(w.value))
            return left;
          if (Prec.like <= minPrec) return left;
          this.i += k + 1;
          const negated = k === 1;
          left = this.likeFamily(w.value, left, negated, t.pos);
          continue;
        }
        default:
          return left;
      }
    }
  }

  queryThenClose(): Query {
    const q = this.query();
    this.expectOp(')');
    return q;
  }

  likeFamily(word: string, left: Expr, negated: boolean, pos: number): Expr {
    switch (word) {
      case 'between': {
        const symmetric = this.eatWord('symmetric');
        if (!symmetric) this.eatWord('asymmetric');
        const low = this.expr(Prec.like);
        this.expectWord('and');
        const high = this.expr(Prec.like);
        return { kind: 'between', expr: left, low, high, negated, symmetric, pos };
      }
      case 'in': {
        this.expectOp('(');
        const sub = this.startsQueryAt(0) ? this.attempt(() => this.queryThenClose()) : undefined;
        if (sub !== undefined) return { kind: 'inSubquery', expr: left, query: sub, negated, pos };
        const list = this.exprList();
        this.expectOp(')');
        return { kind: 'inList', expr: left, list, negated, pos };
      }
      default: {
        const similar = word === 'similar';
        if (similar) this.expectWord('to');
        const pattern = this.expr(Prec.like);
        const e: Expr = {
          kind: 'like',
          expr: left,
          pattern,
          negated,
          caseInsensitive: word === 'ilike',
          similar,
          pos,
        };
        if (this.eatWord('escape')) e.escape = this.expr(Prec.like);
        return e;
      }
    }
  }

  subscript(left: Expr): Expr {
    const pos = this.expectOp('[').pos;
    let lower: Expr | undefined;
    if (!this.isOp(':')) lower = this.expr();
    if (this.eatOp(':')) {
      const upper = this.isOp(']') ? undefined : this.expr();
      this.expectOp(']');
      return {
        kind: 'subscript',
        expr: left,
        slice: { ...(lower && { lower }), ...(upper && { upper }) },
        pos,
      };
    }
    this.expectOp(']');
    return { kind: 'subscript', expr: left, index: lower!, pos };
  }

  fn(name: string, args: Expr[], pos: number): Expr {
    return {
      kind: 'function',
      name: [{ value: name, quoted: false, pos }],
      args: args.map((value) => ({ value })),
      distinct: false,
      star: false,
      orderBy: [],
      pos,
    };
  }

  prefix(): Expr {
    const t = this.peek();
    const pos = t.pos;
    switch (t.kind) {
      case 'eof':
        this.fail();
      // falls through (fail never returns)
      case 'string':
        this.i++;
        return { kind: 'literal', value: { kind: 'string', value: t.value }, pos };
      case 'number':
        this.i++;
        return { kind: 'literal', value: { kind: 'number', text: t.value }, pos };
      case 'param':
        this.i++;
        return { kind: 'parameter', index: Number(t.value), pos };
      case 'qident':
        return this.identOrCall();
      case 'op':
        return this.prefixOp(t);
      case 'word':
        return this.prefixWord(t);
    }
  }

  prefixOp(t: Token): Expr {
    const pos = t.pos;
    switch (t.value) {
      case '-':
      case '+': {
        this.i++;
        return { kind: 'unary', op: t.value, operand: this.expr(Prec.unary - 1), pos };
      }
      case '~':
      case '|/':
      case '||/':
      case '@': {
        this.i++;
        return { kind: 'unary', op: t.value, operand: this.expr(Prec.other), pos };
      }
      case '(':
        return this.paren();
      case '[': {
        // bare `[...]` inside ARRAY[...]
        this.i++;
        const elements = this.isOp(']') ? [] : this.exprList();
        this.expectOp(']');
        return { kind: 'array', elements, pos };
      }
      default:
        this.fail();
    }
  }

  paren(): Expr {
    const pos = this.expectOp('(').pos;
    if (this.startsQueryAt(0)) {
      const q = this.attempt(() => this.queryThenClose());
      if (q !== undefined) return { kind: 'subquery', query: q, pos };
    }
    const first = this.expr();
    if (this.eatOp(',')) {
      const exprs = [first, ...this.exprList()];
      this.expectOp(')');
      return { kind: 'row', exprs, explicit: false, pos };
    }
    this.expectOp(')');
    return { kind: 'nested', expr: first, pos };
  }

  prefixWord(t: Token): Expr {
    const pos = t.pos;
    const w = t.value;
    const call = this.isOp('(', 1);
    switch (w) {
      case 'null':
        this.i++;
        return { kind: 'literal', value: { kind: 'null' }, pos };
      case 'true':
      case 'false':
        this.i++;
        return { kind: 'literal', value: { kind: 'boolean', value: w === 'true' }, pos };
      case 'not':
        this.i++;
        return { kind: 'unary', op: 'NOT', operand: this.expr(Prec.not - 1), pos };
      case 'case':
        return this.caseExpr();
      case 'cast':
      case 'try_cast': {
        if (!call) break;
        this.i += 2;
        const expr = this.expr();
        this.expectWord('as');
        const reg = w === 'cast' ? this.regTypeCast(expr, pos) : undefined;
        if (reg) {
          this.expectOp(')');
          return reg;
        }
        const dataType = this.dataType();
        this.expectOp(')');
        return { kind: 'cast', expr, dataType, syntax: w === 'cast' ? 'cast' : 'try_cast', pos };
      }
      case 'exists': {
        if (!call) break;
        this.i += 2;
        return { kind: 'exists', query: this.queryThenClose(), negated: false, pos };
      }
      case 'array': {
        if (this.isOp('[', 1)) {
          this.i += 2;
          const elements = this.isOp(']') ? [] : this.exprList();
          this.expectOp(']');
          return { kind: 'array', elements, pos };
        }
        if (call) {
          this.i += 2;
          return { kind: 'arraySubquery', query: this.queryThenClose(), pos };
        }
        break;
      }
      case 'row':
        if (call) {
          this.i += 2;
          const exprs = this.isOp(')') ? [] : this.exprList();
          this.expectOp(')');
          return { kind: 'row', exprs, explicit: true, pos };
        }
        break;
      case 'extract':
        if (call) {
          this.i += 2;
          const f = this.next();
          if (f.kind !== 'word' && f.kind !== 'string' && f.kind !== 'qident') this.fail(f);
          this.expectWord('from');
          const expr = this.expr();
          this.expectOp(')');
          return { kind: 'extract', field: f.value.toUpperCase(), expr, pos };
        }
        break;
      case 'substring':
      case 'position':
      case 'overlay':
      case 'trim':
        if (call) {
          const special = this.specialCall(w, pos);
          if (special) return special;
        }
        break;
      case 'interval':
      case 'date':
      case 'time':
      case 'timestamp':
      case 'timestamptz':
        break;
      default:
        if (RESERVED.has(w)) {
          if (NILADIC.has(w)) {
            this.i++;
            if (this.isOp('(')) return this.callRest([{ value: w, quoted: false, pos }], pos);
            return this.fn(w, [], pos);
          }
          if (!(FUNCTION_OK.has(w) && call)) this.fail();
        }
    }
    if (NILADIC.has(w) && !call) {
      this.i++;
      return this.fn(w, [], pos);
    }
    if (TYPE_WORDS.has(w)) {
      const typed = this.attempt(() => {
        const dataType = this.dataType();
        const s = this.next();
        if (s.kind !== 'string') this.fail(s);
        const e: Expr = { kind: 'typedString', dataType, value: s.value, pos };
        if (dataType.kind === 'interval') {
          const unit = this.intervalUnit();
          if (unit) e.intervalUnit = unit;
        }
        return e;
      });
      if (typed) return typed;
    }
    return this.identOrCall();
  }

  intervalUnit(): string | undefined {
    const t = this.peek();
    if (t.kind !== 'word' || !INTERVAL_UNITS.has(t.value)) return undefined;
    this.i++;
    let unit = t.value.toUpperCase();
    if (this.isOp('(') && this.peek(1).kind === 'number') {
      this.i++;
      unit += `(${this.next().value})`;
      this.expectOp(')');
    }
    if (
      this.isWord('to') &&
      this.peek(1).kind === 'word' &&
      INTERVAL_UNITS.has(this.peek(1).value)
    ) {
      this.i++;
      unit += ` TO ${this.next().value.toUpperCase()}`;
      if (this.isOp('(') && this.peek(1).kind === 'number') {
        this.i++;
        unit += `(${this.next().value})`;
        this.expectOp(')');
      }
    }
    return unit;
  }

  /** SQL-standard call syntax: SUBSTRING(x FROM a FOR b), POSITION(a IN b), TRIM(...), OVERLAY(...). */
  specialCall(w: string, pos: number): Expr | undefined {
    const save = this.i;
    this.i += 2;
    if (w === 'trim') {
      let fname = 'btrim';
      if (this.eatWord('both')) fname = 'btrim';
      else if (this.eatWord('leading')) fname = 'ltrim';
      else if (this.eatWord('trailing')) fname = 'rtrim';
      let args: Expr[];
      if (this.eatWord('from')) args = this.exprList();
      else {
        const first = this.expr();
        if (this.eatWord('from')) args = [this.expr(), first];
        else if (this.eatOp(',')) args = [first, ...this.exprList()];
        else args = [first];
      }
      this.expectOp(')');
      return this.fn(fname, args, pos);
    }
    if (this.isOp(')')) {
      this.i = save;
      return undefined;
    }
    const first = this.expr(w === 'position' ? Prec.like : 0);
    if (w === 'position' && this.eatWord('in')) {
      const b = this.expr();
      this.expectOp(')');
      return this.fn('position', [first, b], pos);
    }
    if (w === 'substring' && (this.isWord('from') || this.isWord('for'))) {
      let from: Expr | undefined;
      let len: Expr | undefined;
      if (this.eatWord('from')) from = this.expr();
      if (this.eatWord('for')) len = this.expr();
      if (from === undefined && this.eatWord('from')) from = this.expr();
      this.expectOp(')');
      const args = [first, from ?? { kind: 'literal', value: { kind: 'number', text: '1' } }];
      if (len) args.push(len);
      return this.fn('substring', args, pos);
    }
    if (w === 'overlay' && this.eatWord('placing')) {
      const b = this.expr();
      this.expectWord('from');
      const c = this.expr();
      const args = [first, b, c];
      if (this.eatWord('for')) args.push(this.expr());
      this.expectOp(')');
      return this.fn('overlay', args, pos);
    }
    this.i = save;
    return undefined;
  }

  caseExpr(): Expr {
    const pos = this.expectWord('case').pos;
    const operand = this.isWord('when') ? undefined : this.expr();
    const whens: { condition: Expr; result: Expr }[] = [];
    while (this.eatWord('when')) {
      const condition = this.expr();
      this.expectWord('then');
      whens.push({ condition, result: this.expr() });
    }
    if (whens.length === 0) this.fail();
    const elseExpr = this.eatWord('else') ? this.expr() : undefined;
    this.expectWord('end');
    return {
      kind: 'case',
      ...(operand && { operand }),
      whens,
      ...(elseExpr && { else: elseExpr }),
      pos,
    };
  }

  identOrCall(): Expr {
    const first = this.peek();
    const pos = first.pos;
    this.i++;
    const parts: Ident[] = [{ value: first.value, quoted: first.kind === 'qident', pos }];
    while (this.isOp('.') && this.isAnyWord(1)) {
      this.i++;
      parts.push(this.anyIdent());
    }
    if (this.isOp('(')) return this.callRest(parts, pos);
    return { kind: 'identifier', parts, pos };
  }

  /** The rest of a function call after its name: `( args ) [WITHIN GROUP] [FILTER] [OVER]`. */
  callRest(name: ObjectName, pos: number): Expr {
    this.expectOp('(');
    const e: Expr & { kind: 'function' } = {
      kind: 'function',
      name,
      args: [],
      distinct: false,
      star: false,
      orderBy: [],
      pos,
    };
    if (this.isOp('*') && this.isOp(')', 1)) {
      this.i++;
      e.star = true;
    } else if (!this.isOp(')')) {
      if (this.eatWord('distinct')) e.distinct = true;
      else this.eatWord('all');
      e.args = this.functionArgs(() => (e.variadic = true));
      if (this.eatWords('order', 'by')) e.orderBy = this.orderItems();
      if (this.eatWords('ignore', 'nulls')) e.nullTreatment = 'ignore';
      else if (this.eatWords('respect', 'nulls')) e.nullTreatment = 'respect';
    }
    this.expectOp(')');
    if (this.eatWords('within', 'group')) {
      this.expectOp('(');
      this.expectWord('order');
      this.expectWord('by');
      e.withinGroup = this.orderItems();
      this.expectOp(')');
    }
    if (this.isWord('filter') && this.isOp('(', 1)) {
      this.i += 2;
      this.expectWord('where');
      e.filter = this.expr();
      this.expectOp(')');
    }
    if (this.eatWords('ignore', 'nulls')) e.nullTreatment = 'ignore';
    else if (this.eatWords('respect', 'nulls')) e.nullTreatment = 'respect';
    if (this.eatWord('over')) {
      if (this.isOp('(')) e.over = { kind: 'spec', spec: this.windowSpec() };
      else e.over = { kind: 'named', name: this.ident() };
    }
    return e;
  }
}

/** Parse a script of `;`-separated statements. Empty statements yield nothing. */
export function parseStatements(sql: string): Statement[] {
  return new Parser(sql).statements();
}

/** Parse exactly one statement (a trailing `;` is allowed). */
export function parseStatement(sql: string): Statement {
  const stmts = parseStatements(sql);
  if (stmts.length !== 1) {
    if (stmts.length === 0) throw syntaxError('syntax error at end of input', sql.length + 1);
    throw syntaxError('cannot insert multiple commands into a prepared statement');
  }
  return stmts[0]!;
}

/** Parse a single expression (used by tests and by callers that evaluate expression text). */
export function parseExpr(sql: string): Expr {
  const p = new Parser(sql);
  const e = p.expr();
  if (p.peek().kind !== 'eof') p.fail();
  return e;
}

/** Parse a data type name such as `NUMERIC(10, 2)` or `INT[]`. */
export function parseDataType(sql: string): DataType {
  const p = new Parser(sql);
  const t = p.dataType();
  if (p.peek().kind !== 'eof') p.fail();
  return t;
}
