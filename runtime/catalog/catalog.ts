/**
 * The catalog: every named relation (table, view, materialized view, source) and SQL function.
 * Names live in one namespace per kind as in PostgreSQL's `public` schema; `public.x` and
 * `dev.public.x` resolve to `x`.
 */
import type { DataType } from '../types/datatype.js';
import type { Expr, ObjectName, Query } from '../sql/ast.js';
import { SqlError, SqlState } from '../errors.js';

export interface ColumnDesc {
  name: string;
  type: DataType;
  notNull: boolean;
  /** DEFAULT expression, bound at insert time. */
  default?: Expr;
  /** Generated column expression (`AS expr`). */
  generated?: Expr;
  /** A hidden column (not shown by `*`), such as a row id. */
  hidden?: boolean;
}

export type RelationKind = 'table' | 'view' | 'materializedView' | 'source';

export interface RelationDesc {
  id: number;
  kind: RelationKind;
  name: string;
  columns: ColumnDesc[];
  /** Column indices of the primary key (tables), empty when none. */
  primaryKey: number[];
  appendOnly: boolean;
  /** Defining query of views and materialized views. */
  query?: Query;
  /** Original SQL text of the definition. */
  definition: string;
  /** Ids of the relations this one reads (views, materialized views). */
  dependsOn: number[];
  watermark?: { column: string; expr: Expr };
  /** The connector feeding a source or a table (`WITH (connector = ...)`), by name. */
  connector?: string;
  onConflict: 'overwrite' | 'ignore' | 'doUpdateIfNotNull';
}

export interface FunctionDesc {
  name: string;
  params: { name?: string; type: DataType }[];
  returns: DataType;
  /** Body: a SQL expression (`RETURN expr` / `AS 'SELECT expr'`) bound at each call site. */
  body: Expr | Query;
  definition: string;
}

export function relationKindName(kind: RelationKind): string {
  switch (kind) {
    case 'table':
      return 'table';
    case 'view':
      return 'view';
    case 'materializedView':
      return 'materialized view';
    case 'source':
      return 'source';
  }
}

export class Catalog {
  private nextId = 1;
  readonly relations = new Map<string, RelationDesc>();
  readonly functions = new Map<string, FunctionDesc[]>();
  /** Index name → table id. */
  readonly indexes = new Map<string, number>();

  allocateId(): number {
    return this.nextId++;
  }

  /** The id the next relation gets; recovery sets it so a replayed DDL assigns the same ids. */
  get nextRelationId(): number {
    return this.nextId;
  }

  set nextRelationId(id: number) {
    this.nextId = id;
  }

  /** Resolves `[db.][schema.]name` to the unqualified name, or fails for unknown schemas. */
  static simpleName(name: ObjectName): string {
    const parts = name.map((p) => p.value);
    if (parts.length === 1) return parts[0]!;
    const schema = parts[parts.length - 2]!;
    if (schema !== 'public' && schema !== 'pg_catalog' && schema !== 'information_schema')
      throw new SqlError(
        SqlState.invalidSchemaName,
        `schema "${schema}" does not exist`,
        name[0]?.pos,
      );
    return parts[parts.length - 1]!;
  }

  get(name: string): RelationDesc | undefined {
    return this.relations.get(name);
  }

  byId(id: number): RelationDesc | undefined {
    for (const r of this.relations.values()) if (r.id === id) return r;
    return undefined;
  }

  /** Relations that read `id` directly. */
  dependents(id: number): RelationDesc[] {
    return [...this.relations.values()].filter((r) => r.dependsOn.includes(id));
  }
}
