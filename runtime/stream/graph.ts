/**
 * The stream graph: every live dataflow operator, shared between views. A table has one source
 * node that all views reading it hang off; a materialized view's materialize node is the
 * source of views defined on it. DML changes are pushed through the graph synchronously, so when
 * a statement returns every view reflects it (read-your-writes), and a statement's changes reach
 * each view as one step.
 */
import type { StreamChunk } from './chunk.js';
import type { StreamEnv, StreamExecutor, Watermark } from './executor.js';
import type { Value } from '../types/value.js';
import { WorkStats } from './executor.js';

export interface StreamNode {
  id: number;
  exec: StreamExecutor;
  /**
   * Session time zone the node's view was created in: its expressions are evaluated in that
   * zone whichever session writes the data, so the view stays equal to its query.
   */
  timeZone?: string;
  inputs: StreamNode[];
  outputs: { node: StreamNode; port: number }[];
  /** Output columns that carry watermarks (decided when planning). */
  watermarkColumns?: ReadonlySet<number>;
  /** The latest watermark the node emitted per output column (a new consumer starts from it). */
  watermarks?: Map<number, Value>;
}

export interface ViewDataflow {
  /** The view's materialize node. */
  output: StreamNode;
  /** Nodes created for this view (dropped with it). */
  nodes: StreamNode[];
}

export class StreamGraph {
  private nextId = 1;
  readonly stats = new WorkStats();
  /** Source node per table id. */
  readonly tableSources = new Map<number, StreamNode>();
  /** Dataflow per materialized view id. */
  readonly views = new Map<number, ViewDataflow>();

  newNode(exec: StreamExecutor): StreamNode {
    return { id: this.nextId++, exec, inputs: [], outputs: [] };
  }

  connect(from: StreamNode, to: StreamNode, port: number): void {
    from.outputs.push({ node: to, port });
    to.inputs[port] = from;
  }

  /** Pushes a chunk into `node` on `port` and propagates the results depth-first. */
  push(node: StreamNode, chunk: StreamChunk, port: number, env: StreamEnv): void {
    const e =
      node.timeZone === undefined || node.timeZone === env.ctx.timeZone
        ? env
        : { ...env, ctx: { ...env.ctx, timeZone: node.timeZone } };
    const out = node.exec.process(chunk, port, e);
    if (!out || out.size === 0) return;
    this.emit(node, out, e);
  }

  /** Sends `chunk` as `node`'s output to all its consumers. */
  emit(node: StreamNode, chunk: StreamChunk, env: StreamEnv): void {
    // Consumers registered later may be added while we iterate (never during a push): copy.
    for (const { node: next, port } of node.outputs.slice()) this.push(next, chunk, port, env);
  }

  /**
   * Delivers a watermark to `node` on `port`: the rows it emits as a result go downstream
   * first, then its own output watermarks.
   */
  pushWatermark(node: StreamNode, wm: Watermark, port: number, env: StreamEnv): void {
    const exec = node.exec;
    if (!exec.onWatermark) return;
    const e =
      node.timeZone === undefined || node.timeZone === env.ctx.timeZone
        ? env
        : { ...env, ctx: { ...env.ctx, timeZone: node.timeZone } };
    const out = exec.onWatermark(wm, port, e);
    if (out.chunk && out.chunk.size > 0) this.emit(node, out.chunk, e);
    for (const w of out.watermarks) this.emitWatermark(node, w, e);
  }

  /** Sends watermark `wm` of `node`'s output to all its consumers. */
  emitWatermark(node: StreamNode, wm: Watermark, env: StreamEnv): void {
    (node.watermarks ??= new Map()).set(wm.column, wm.value);
    for (const { node: next, port } of node.outputs.slice())
      this.pushWatermark(next, wm, port, env);
  }

  /** Nodes that read the clock (`advanceTime`), in creation order: upstream before downstream. */
  timeNodes(): StreamNode[] {
    const out: StreamNode[] = [];
    for (const flow of this.views.values())
      for (const n of flow.nodes) if (n.exec.advanceTime) out.push(n);
    return out.sort((a, b) => a.id - b.id);
  }

  /**
   * Moves every clock-reading operator to the time in `env.ctx.statementTime`, pushing the
   * changes that follow through the graph (an operator downstream of another moves when the
   * first's changes reach it, and is then at the time already).
   */
  advanceTime(env: StreamEnv): void {
    for (const node of this.timeNodes()) {
      const e =
        node.timeZone === undefined || node.timeZone === env.ctx.timeZone
          ? env
          : { ...env, ctx: { ...env.ctx, timeZone: node.timeZone } };
      const out = node.exec.advanceTime!(e);
      if (out && out.size > 0) this.emit(node, out, e);
    }
  }

  /** Removes a view's nodes and every edge into them. */
  dropView(id: number): void {
    const flow = this.views.get(id);
    if (!flow) return;
    const dead = new Set(flow.nodes);
    for (const n of flow.nodes)
      for (const input of n.inputs)
        if (input) input.outputs = input.outputs.filter((o) => !dead.has(o.node));
    this.views.delete(id);
    // A table source nobody reads any more is dropped too.
    for (const [tableId, src] of this.tableSources)
      if (src.outputs.length === 0) this.tableSources.delete(tableId);
  }
}
