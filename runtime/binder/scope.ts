/**
 * Name resolution scopes. A scope lists the columns visible to an expression, in the order of
 * the row the expression is evaluated on, and links to the enclosing query's scope for
 * correlated references.
 */
import type { DataType } from '../types/datatype.js';
import { SqlError, SqlState } from '../errors.js';

export interface ScopeColumn {
  /** Table name or alias the column is reachable through (null for derived columns). */
  qualifier: string | null;
  name: string;
  type: DataType;
  /** Not expanded by `*` (e.g. the right-hand copy of a USING column). */
  hidden?: boolean;
  /** Extra qualifiers a merged USING/NATURAL column also answers to. */
  alsoQualifiers?: string[];
}

export class Scope {
  constructor(
    public columns: ScopeColumn[],
    readonly parent: Scope | null = null,
  ) {}

  /** Qualifiers (table names/aliases) visible in this scope. */
  hasQualifier(q: string): boolean {
    return this.columns.some((c) => c.qualifier === q || c.alsoQualifiers?.includes(q));
  }

  /**
   * Finds a column by optional qualifier and name. Returns the index, or undefined when absent;
   * throws 42702 when ambiguous.
   */
  find(qualifier: string | null, name: string, pos?: number): number | undefined {
    let found: number | undefined;
    let foundCount = 0;
    this.columns.forEach((c, i) => {
      if (c.name !== name) return;
      if (qualifier !== null && c.qualifier !== qualifier && !c.alsoQualifiers?.includes(qualifier))
        return;
      // A merged USING column hides the per-table copies for unqualified references.
      if (qualifier === null && c.hidden) return;
      found ??= i;
      foundCount++;
    });
    if (foundCount > 1)
      throw new SqlError(
        SqlState.ambiguousColumn,
        `column reference "${qualifier ? `${qualifier}.` : ''}${name}" is ambiguous`,
        pos,
      );
    return found;
  }
}
