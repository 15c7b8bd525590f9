/** Statements: DDL, DML, SET/SHOW, EXPLAIN and transaction control, over the query grammar. */
import type { DataType } from '../../types/datatype.js';
import type {
  Assignment,
  ColumnDef,
  DropObjectType,
  Expr,
  FormatEncode,
  FunctionParam,
  Ident,
  ObjectName,
  Query,
  SelectItem,
  SetStatement,
  ShowStatement,
  SqlOption,
  Statement,
} from '../ast.js';
import { Prec, NO_BARE_ALIAS, NAME_OR_TYPE } from './grammar.js';
import { QueryParser } from './queries.js';

export class Parser extends QueryParser {
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
}
