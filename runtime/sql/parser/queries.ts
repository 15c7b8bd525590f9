/** Queries: WITH, set operations, SELECT with its clauses, FROM items and joins. */
import type {
  Corresponding,
  Cte,
  Expr,
  GroupByItem,
  Ident,
  JoinConstraint,
  JoinType,
  ObjectName,
  Query,
  Select,
  SelectItem,
  SetExpr,
  TableAlias,
  TableRef,
  With,
} from '../ast.js';
import { Prec, RESERVED, NO_BARE_ALIAS, QUERY_START } from './grammar.js';
import { ExprParser } from './expressions.js';

export abstract class QueryParser extends ExprParser {
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
      const corresponding = this.corresponding();
      const right = this.setExpr(prec);
      left = { kind: 'setOp', op, all, ...(corresponding && { corresponding }), left, right };
    }
  }

  /** `CORRESPONDING [BY (col, ...)]` after a set operator. */
  corresponding(): Corresponding | undefined {
    if (!this.isWord('corresponding')) return undefined;
    const pos = this.next().pos;
    if (this.eatWord('by')) return { by: this.parenIdentList(), pos };
    return { pos };
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
}
