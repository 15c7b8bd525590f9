/**
 * Expressions and data types: a Pratt loop over PostgreSQL's operator precedence, prefix forms
 * (literals, casts, CASE, special calls), function calls with window specifications, and type
 * names. Subqueries are parsed by the query grammar above (`query`).
 */
import { SqlError } from '../../errors.js';
import type { DataType, StructField } from '../../types/datatype.js';
import type {
  BinaryOperator,
  Expr,
  FunctionArg,
  Ident,
  ObjectName,
  OrderByItem,
  Query,
  WindowFrame,
  WindowFrameBound,
  WindowSpec,
} from '../ast.js';
import type { Token } from '../tokenizer.js';
import {
  REG_TYPES,
  Prec,
  BINARY_OPS,
  isOperatorName,
  binaryPrec,
  RESERVED,
  FUNCTION_OK,
  NILADIC,
  TYPE_WORDS,
  INTERVAL_UNITS,
} from './grammar.js';
import { ParserBase } from './base.js';

export abstract class ExprParser extends ParserBase {
  /** A query (the query grammar, a subclass). */
  abstract query(): Query;
  /** Whether a query starts at token `k` ahead. */
  abstract startsQueryAt(k: number): boolean;

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
