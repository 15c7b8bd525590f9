/**
 * The SQL abstract syntax tree. Every node prints back to SQL with `print.ts`; parsing that text
 * yields an equal tree (ignoring `pos`). `pos` fields are 1-based character offsets into the
 * statement text, used for PostgreSQL-style error carets; they never affect equality.
 *
 * Identifiers are stored already case-folded (unquoted ones lower-cased), with `quoted` kept so the
 * printer can re-quote them when needed.
 */
import type { DataType } from '../types/datatype.js';

export interface Ident {
  value: string;
  quoted: boolean;
  pos?: number;
}

/** A possibly qualified name: `t`, `s.t`. */
export type ObjectName = Ident[];

// ---------------------------------------------------------------------------------------------
// Statements

export type Statement =
  | QueryStatement
  | InsertStatement
  | UpdateStatement
  | DeleteStatement
  | CreateTableStatement
  | CreateViewStatement
  | CreateSourceStatement
  | CreateFunctionStatement
  | CreateIndexStatement
  | CreateSchemaStatement
  | CreateSinkStatement
  | DropStatement
  | ShowStatement
  | SetStatement
  | DescribeStatement
  | ExplainStatement
  | SimpleStatement;

export interface QueryStatement {
  kind: 'query';
  query: Query;
}

export interface InsertStatement {
  kind: 'insert';
  table: ObjectName;
  columns?: Ident[];
  /** `VALUES ...` is a query whose body is `values`. */
  source: Query;
  returning?: SelectItem[];
}

export interface Assignment {
  /** Column name (single identifier) or a parenthesised list `(a, b) = (...)`. */
  columns: Ident[];
  value: Expr;
}

export interface UpdateStatement {
  kind: 'update';
  table: ObjectName;
  alias?: Ident;
  assignments: Assignment[];
  from?: TableRef[];
  where?: Expr;
  returning?: SelectItem[];
}

export interface DeleteStatement {
  kind: 'delete';
  table: ObjectName;
  alias?: Ident;
  using?: TableRef[];
  where?: Expr;
  returning?: SelectItem[];
}

export interface ColumnDef {
  name: Ident;
  dataType: DataType;
  /** `NOT NULL`, `NULL`, `PRIMARY KEY`, `DEFAULT expr`, `AS expr` (generated). */
  notNull?: boolean;
  primaryKey?: boolean;
  default?: Expr;
  generated?: Expr;
}

/** `WITH (key = value, ...)` options of DDL statements. */
export interface SqlOption {
  name: ObjectName;
  value: Expr;
}

export interface CreateTableStatement {
  kind: 'createTable';
  name: ObjectName;
  ifNotExists: boolean;
  columns: ColumnDef[];
  /** Table-level `PRIMARY KEY (a, b)`. */
  primaryKey?: Ident[];
  appendOnly: boolean;
  watermark?: { column: Ident; expr: Expr };
  withOptions: SqlOption[];
  /** `FORMAT x ENCODE y [(options)]` */
  format?: FormatEncode;
  /** `CREATE TABLE t AS SELECT ...` */
  asQuery?: Query;
  /** RisingWave: `ON CONFLICT OVERWRITE | IGNORE | DO UPDATE IF NOT NULL` */
  onConflict?: 'overwrite' | 'ignore' | 'doUpdateIfNotNull';
}

export interface FormatEncode {
  format: string;
  encode: string;
  options: SqlOption[];
}

export interface CreateViewStatement {
  kind: 'createView';
  materialized: boolean;
  ifNotExists: boolean;
  orReplace: boolean;
  name: ObjectName;
  columns?: Ident[];
  query: Query;
  emitOnWindowClose: boolean;
  withOptions: SqlOption[];
}

export interface CreateSourceStatement {
  kind: 'createSource';
  name: ObjectName;
  ifNotExists: boolean;
  columns: ColumnDef[];
  watermark?: { column: Ident; expr: Expr };
  withOptions: SqlOption[];
  format?: FormatEncode;
}

export interface FunctionParam {
  name?: Ident;
  dataType: DataType;
}

export interface CreateFunctionStatement {
  kind: 'createFunction';
  orReplace: boolean;
  name: ObjectName;
  params: FunctionParam[];
  returns?: DataType;
  language: string;
  /** The body: `AS 'text'` / `AS $$...$$` (string) or `RETURN expr`. */
  body: { kind: 'as'; text: string } | { kind: 'return'; expr: Expr };
  /** Other characteristics kept verbatim: IMMUTABLE, STABLE, STRICT, ... (upper-cased). */
  options: string[];
}

export interface CreateIndexStatement {
  kind: 'createIndex';
  name: ObjectName;
  ifNotExists: boolean;
  table: ObjectName;
  columns: OrderByItem[];
  include: Ident[];
  distributedBy: Expr[];
}

export interface CreateSchemaStatement {
  kind: 'createSchema';
  name: ObjectName;
  ifNotExists: boolean;
}

/** `CREATE SINK name [FROM relation | AS query] WITH (...) [FORMAT ... ENCODE ...]` */
export interface CreateSinkStatement {
  kind: 'createSink';
  name: ObjectName;
  ifNotExists: boolean;
  /** `CREATE SINK s INTO table ...`: a sink that writes into a table. */
  into?: ObjectName;
  from?: ObjectName;
  asQuery?: Query;
  withOptions: SqlOption[];
  format?: FormatEncode;
}

export type DropObjectType =
  | 'table'
  | 'view'
  | 'materialized view'
  | 'source'
  | 'sink'
  | 'index'
  | 'function'
  | 'schema'
  | 'database';

export interface DropStatement {
  kind: 'drop';
  objectType: DropObjectType;
  ifExists: boolean;
  names: ObjectName[];
  cascade: boolean;
  /** `DROP FUNCTION f(INT, TEXT)`: argument types per name, when written. */
  argTypes?: (DataType[] | undefined)[];
}

export interface ShowStatement {
  kind: 'show';
  /**
   * `tables`, `materialized views`, `views`, `sources`, `columns` (SHOW COLUMNS FROM t),
   * `functions`, `databases`, `schemas`, or `variable` (SHOW name / SHOW ALL).
   */
  what:
    | 'tables'
    | 'materialized views'
    | 'views'
    | 'sources'
    | 'sinks'
    | 'columns'
    | 'functions'
    | 'databases'
    | 'schemas'
    | 'variable'
    /** `SHOW CREATE <objectType> name` */
    | 'create';
  /** Object kind for `SHOW CREATE`. */
  objectType?: DropObjectType;
  /** Variable name for `variable` (`all` for SHOW ALL); table for `columns`. */
  name?: ObjectName;
  /** `FROM schema` */
  from?: ObjectName;
  like?: string;
}

export interface SetStatement {
  kind: 'set';
  /** `local` for SET LOCAL, `session` for SET SESSION or plain SET. */
  scope: 'session' | 'local';
  /** Lower-cased variable name; `timezone` for SET TIME ZONE. */
  name: string;
  /** Values as written: literal strings/numbers/identifiers; `DEFAULT` => empty list. */
  values: Expr[];
  isDefault: boolean;
}

export interface DescribeStatement {
  kind: 'describe';
  name: ObjectName;
}

export interface ExplainStatement {
  kind: 'explain';
  /** Options such as ANALYZE, VERBOSE, (FORMAT TEXT) in upper case. */
  options: string[];
  statement: Statement;
}

/** Statements without operands. */
export interface SimpleStatement {
  kind: 'flush' | 'begin' | 'commit' | 'rollback' | 'startTransaction';
  /** e.g. `READ ONLY`, `ISOLATION LEVEL ...` kept verbatim for BEGIN/START TRANSACTION. */
  modes?: string[];
}

// ---------------------------------------------------------------------------------------------
// Queries

export interface Cte {
  name: Ident;
  columns?: Ident[];
  query: Query;
  materialized?: boolean;
}

export interface With {
  recursive: boolean;
  ctes: Cte[];
}

export interface Query {
  with?: With;
  body: SetExpr;
  orderBy: OrderByItem[];
  limit?: Expr;
  offset?: Expr;
  /** `FETCH FIRST n ROWS WITH TIES` is printed as `FETCH`; plain `FETCH FIRST n ROWS ONLY` is `limit`. */
  withTies?: boolean;
}

export type SetExpr =
  | { kind: 'select'; select: Select }
  | {
      kind: 'setOp';
      op: 'union' | 'intersect' | 'except';
      all: boolean;
      /** `CORRESPONDING [BY (cols)]`: inputs are matched by column name instead of position. */
      corresponding?: Corresponding;
      left: SetExpr;
      right: SetExpr;
    }
  | { kind: 'values'; rows: Expr[][] }
  /** A parenthesised query used as a set operand: `(SELECT ... ORDER BY ... LIMIT 1) UNION ...` */
  | { kind: 'query'; query: Query };

/** `CORRESPONDING` alone keeps the names both inputs share; `BY (cols)` names them. */
export interface Corresponding {
  by?: Ident[];
  pos?: number;
}

export type Distinct = { kind: 'distinct' } | { kind: 'distinctOn'; exprs: Expr[] };

export interface Select {
  distinct?: Distinct;
  projection: SelectItem[];
  from: TableRef[];
  where?: Expr;
  groupBy: GroupByItem[];
  having?: Expr;
  /** `WINDOW w AS (...)` */
  windows: { name: Ident; spec: WindowSpec }[];
}

export type GroupByItem =
  | { kind: 'expr'; expr: Expr }
  | { kind: 'groupingSets'; sets: Expr[][] }
  | { kind: 'rollup'; sets: Expr[][] }
  | { kind: 'cube'; sets: Expr[][] }
  /** `()` */
  | { kind: 'empty' };

export type SelectItem =
  | { kind: 'expr'; expr: Expr; alias?: Ident }
  | { kind: 'wildcard'; pos?: number; except?: Ident[] }
  | { kind: 'qualifiedWildcard'; qualifier: ObjectName; pos?: number; except?: Ident[] };

export interface TableAlias {
  name: Ident;
  columns?: Ident[];
}

export type JoinType = 'inner' | 'left' | 'right' | 'full' | 'cross';

export type JoinConstraint =
  | { kind: 'on'; expr: Expr }
  | { kind: 'using'; columns: Ident[] }
  | { kind: 'natural' }
  | { kind: 'none' };

export type TableRef =
  | {
      kind: 'table';
      name: ObjectName;
      alias?: TableAlias;
      /** Temporal join side: `t FOR SYSTEM_TIME AS OF PROCTIME()`. */
      forSystemTimeAsOfProctime?: boolean;
      pos?: number;
    }
  | { kind: 'subquery'; query: Query; lateral: boolean; alias?: TableAlias; pos?: number }
  /** Table function in FROM: `TUMBLE(t, ts, INTERVAL '1' MINUTE)`, `generate_series(1, 3)`, `unnest(...)`. */
  | {
      kind: 'function';
      name: ObjectName;
      args: FunctionArg[];
      lateral: boolean;
      withOrdinality: boolean;
      alias?: TableAlias;
      pos?: number;
    }
  | {
      kind: 'join';
      joinType: JoinType;
      left: TableRef;
      right: TableRef;
      constraint: JoinConstraint;
      /** ASOF joins (RisingWave). */
      asof?: boolean;
      pos?: number;
    }
  /** A parenthesised join tree with an alias: `(a JOIN b ON ...) AS j`. Without alias parentheses are not kept. */
  | { kind: 'nested'; table: TableRef; alias?: TableAlias; pos?: number };

export interface OrderByItem {
  expr: Expr;
  /** undefined = not written (ascending) */
  asc?: boolean;
  /** undefined = not written (default: NULLS LAST for ASC, NULLS FIRST for DESC) */
  nullsFirst?: boolean;
}

export type WindowFrameUnits = 'rows' | 'range' | 'groups' | 'session';

export type WindowFrameBound =
  | { kind: 'unboundedPreceding' }
  | { kind: 'preceding'; offset: Expr }
  | { kind: 'currentRow' }
  | { kind: 'following'; offset: Expr }
  | { kind: 'unboundedFollowing' };

export interface WindowFrame {
  units: WindowFrameUnits;
  start: WindowFrameBound;
  /** undefined when written as `ROWS <start>` (end = CURRENT ROW) */
  end?: WindowFrameBound;
  exclude?: 'currentRow' | 'group' | 'ties' | 'noOthers';
  /** SESSION WITH GAP interval (RisingWave session windows) */
  gap?: Expr;
}

export interface WindowSpec {
  /** `OVER (w ORDER BY ...)`: base window name */
  baseName?: Ident;
  partitionBy: Expr[];
  orderBy: OrderByItem[];
  frame?: WindowFrame;
}

// ---------------------------------------------------------------------------------------------
// Expressions

export type BinaryOperator =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '^'
  | '||'
  | '='
  | '<>'
  | '<'
  | '<='
  | '>'
  | '>='
  | 'AND'
  | 'OR'
  | '->'
  | '->>'
  | '#>'
  | '#>>'
  | '@>'
  | '<@'
  | '?'
  | '?|'
  | '?&'
  | '&'
  | '|'
  | '#'
  | '<<'
  | '>>'
  | '~'
  | '~*'
  | '!~'
  | '!~*'
  | '&&';

export type UnaryOperator = '-' | '+' | 'NOT' | '~' | '|/' | '||/' | '@';

export type LiteralValue =
  | { kind: 'null' }
  | { kind: 'boolean'; value: boolean }
  /** Numeric literal exactly as written (`42`, `1.50`, `1e3`). */
  | { kind: 'number'; text: string }
  /** String literal, escapes already resolved. `escape` records E'' syntax only for printing. */
  | { kind: 'string'; value: string };

export interface FunctionArg {
  /** Named argument `name => value` */
  name?: Ident;
  value: Expr;
}

export type Expr = (
  | { kind: 'identifier'; parts: Ident[] }
  | { kind: 'literal'; value: LiteralValue }
  /** `DATE '2020-01-01'`, `TIMESTAMPTZ '...'`, `INTERVAL '1' HOUR` (unit kept in `intervalUnit`). */
  | { kind: 'typedString'; dataType: DataType; value: string; intervalUnit?: string }
  | { kind: 'parameter'; index: number }
  | { kind: 'binary'; op: BinaryOperator; left: Expr; right: Expr }
  | { kind: 'unary'; op: UnaryOperator; operand: Expr }
  | { kind: 'isNull'; expr: Expr; negated: boolean }
  /** `IS [NOT] TRUE | FALSE | UNKNOWN` */
  | { kind: 'isBool'; expr: Expr; value: boolean | null; negated: boolean }
  | { kind: 'isDistinctFrom'; left: Expr; right: Expr; negated: boolean }
  | { kind: 'between'; expr: Expr; low: Expr; high: Expr; negated: boolean; symmetric: boolean }
  | {
      kind: 'like';
      expr: Expr;
      pattern: Expr;
      negated: boolean;
      caseInsensitive: boolean;
      /** SIMILAR TO */
      similar: boolean;
      escape?: Expr;
    }
  | { kind: 'inList'; expr: Expr; list: Expr[]; negated: boolean }
  | { kind: 'inSubquery'; expr: Expr; query: Query; negated: boolean }
  | { kind: 'exists'; query: Query; negated: boolean }
  | { kind: 'subquery'; query: Query }
  /** `x op ANY (array or subquery)`, `x op ALL (...)`, `SOME` = `ANY` */
  | {
      kind: 'quantified';
      left: Expr;
      op: BinaryOperator;
      quantifier: 'any' | 'all';
      right: { kind: 'expr'; expr: Expr } | { kind: 'query'; query: Query };
    }
  | { kind: 'cast'; expr: Expr; dataType: DataType; syntax: 'cast' | '::' | 'try_cast' }
  | { kind: 'case'; operand?: Expr; whens: { condition: Expr; result: Expr }[]; else?: Expr }
  | {
      kind: 'function';
      name: ObjectName;
      args: FunctionArg[];
      distinct: boolean;
      /** `count(*)` */
      star: boolean;
      /** Ordered aggregate: `string_agg(x, ',' ORDER BY y)` */
      orderBy: OrderByItem[];
      /** `WITHIN GROUP (ORDER BY ...)` */
      withinGroup?: OrderByItem[];
      filter?: Expr;
      /** `OVER w` (name) or `OVER (...)` */
      over?: { kind: 'named'; name: Ident } | { kind: 'spec'; spec: WindowSpec };
      /** `IGNORE NULLS` / `RESPECT NULLS` */
      nullTreatment?: 'ignore' | 'respect';
      /** `VARIADIC` before the last argument */
      variadic?: boolean;
    }
  /** `EXTRACT(field FROM expr)`; field upper-cased */
  | { kind: 'extract'; field: string; expr: Expr }
  /** `ARRAY[a, b]` */
  | { kind: 'array'; elements: Expr[] }
  /** `ARRAY(SELECT ...)` */
  | { kind: 'arraySubquery'; query: Query }
  /** `expr[index]` or `expr[lower:upper]` (either bound optional for slices) */
  | { kind: 'subscript'; expr: Expr; index?: Expr; slice?: { lower?: Expr; upper?: Expr } }
  /** `(expr).field`, also `(expr).*` with field `*` */
  | { kind: 'fieldAccess'; expr: Expr; field: Ident }
  /** `ROW(a, b)` or `(a, b)` */
  | { kind: 'row'; exprs: Expr[]; explicit: boolean }
  | { kind: 'atTimeZone'; expr: Expr; zone: Expr }
  /** `expr COLLATE "C"` */
  | { kind: 'collate'; expr: Expr; collation: ObjectName }
  /** A parenthesised expression, kept so printing is faithful; semantically transparent. */
  | { kind: 'nested'; expr: Expr }
) & { pos?: number };

export type ExprKind = Expr['kind'];
