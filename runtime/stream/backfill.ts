/**
 * Creating a view's dataflow: operators' initial output (a global aggregate's row, constant
 * rows) is emitted first, downstream operators before upstream ones so every consumer has seen
 * an operator's initial state before that operator's first update; then a snapshot of every
 * upstream relation's current rows is pushed along the view's entry edges, as inserts, and
 * after it the upstream's current watermarks (closing what the snapshot's rows left behind).
 */
import type { Row } from '../types/value.js';
import { StreamChunk } from './chunk.js';
import type { StreamEnv } from './executor.js';
import type { StreamGraph } from './graph.js';
import type { PlannedView } from './planner.js';

export function backfill(
  graph: StreamGraph,
  view: PlannedView,
  snapshot: (relationId: number) => Row[],
  env: StreamEnv,
): void {
  const initial = view.nodes.map((n) => ({ n, chunk: n.exec.initial?.(env) ?? null }));
  for (const { n, chunk } of initial.reverse())
    if (chunk && chunk.size > 0) graph.emit(n, chunk, env);
  for (const e of view.entries) {
    const rows = snapshot(e.relation.id);
    if (rows.length > 0) graph.push(e.node, StreamChunk.inserts(rows), e.port, env);
  }
  for (const e of view.entries)
    for (const [column, value] of e.upstream.watermarks ?? [])
      graph.pushWatermark(e.node, { column, value }, e.port, env);
}
