/**
 * Table watermarks (`WATERMARK FOR col AS expr`). After each statement a table's watermark
 * becomes the largest `expr` over the rows it inserted, if that is above the current one; rows
 * whose `col` lies below the current watermark are late and dropped on insert, so every stored
 * row, and every change a view gets, is at or above the watermark its views last saw.
 */
import type { DataType } from '../types/datatype.js';
import { typeName, typesEqual } from '../types/datatype.js';
import type { Row, Value } from '../types/value.js';
import type { EvalContext } from '../expr/context.js';
import type { ExecEnv } from '../expr/env.js';
import { compiled } from '../expr/eval.js';
import type { Catalog, RelationDesc } from '../catalog/catalog.js';
import { Binder } from '../binder/binder.js';
import { Scope } from '../binder/scope.js';
import { SqlError, SqlState } from '../errors.js';

export interface TableWatermark {
  /** The watermark column's index. */
  column: number;
  type: DataType;
  /** The watermark a row's insertion implies. */
  of: (row: Row, env: ExecEnv) => Value;
}

/** Binds a table's watermark expression over its columns; checks its type. */
export function bindWatermark(
  catalog: Catalog,
  rel: Pick<RelationDesc, 'name' | 'columns' | 'watermark'>,
  ctx: EvalContext,
): TableWatermark | null {
  const wm = rel.watermark;
  if (!wm) return null;
  const column = rel.columns.findIndex((c) => c.name === wm.column);
  if (column < 0)
    throw new SqlError(SqlState.undefinedColumn, `column "${wm.column}" does not exist`);
  const binder = new Binder(catalog, ctx);
  const scope = new Scope(
    rel.columns.map((c) => ({ qualifier: rel.name, name: c.name, type: c.type })),
  );
  const expr = binder.exprs.bind(wm.expr, binder.plainContext(scope, 'WATERMARK'));
  const type = rel.columns[column]!.type;
  if (!typesEqual(expr.type, type))
    throw new SqlError(
      SqlState.datatypeMismatch,
      `the watermark expression of column "${wm.column}" returns ${typeName(expr.type)}, but the column is ${typeName(type)}`,
      wm.expr.pos,
    );
  return { column, type, of: compiled(expr) };
}
