/**
 * Helpers for stream operator tests: plan a view's dataflow from SQL into a scratch graph, pick
 * one operator out of it and drive it directly with chunks in the pretty text form.
 */
import { Database, type Session } from '../../runtime/engine.js';
import { parseStatements } from '../../runtime/sql/parser.js';
import { Binder } from '../../runtime/binder/binder.js';
import { planMaterializedView } from '../../runtime/exec/ddl.js';
import { runPlan } from '../../runtime/exec/executor.js';
import { StreamGraph, type StreamNode } from '../../runtime/stream/graph.js';
import { WorkStats, type StreamEnv, type StreamExecutor } from '../../runtime/stream/executor.js';
import { parseChunk, prettyChunk } from '../../runtime/stream/pretty.js';
import type { DataType } from '../../runtime/types/datatype.js';
import type { ColumnSchema } from '../../runtime/plan/logical.js';

export function streamEnv(stats = new WorkStats()): StreamEnv {
  return {
    ctx: { timeZone: 'UTC', statementTime: 0n },
    params: [],
    outer: [],
    ctes: new Map(),
    scan: () => [],
    subqueryCache: new Map(),
    runPlan,
    stats,
  };
}

/** Plans `CREATE MATERIALIZED VIEW` text (after `setup` DDL) into a scratch graph. */
export function planView(
  setup: string,
  createView: string,
): { session: Session; nodes: StreamNode[]; output: StreamNode } {
  const session = new Database().connect();
  if (setup.trim()) session.execute(setup);
  const stmt = parseStatements(createView)[0];
  if (!stmt || stmt.kind !== 'createView') throw new Error('expected CREATE MATERIALIZED VIEW');
  const binder = new Binder(session.db.catalog, { timeZone: 'UTC', statementTime: 0n });
  const bound = binder.bindQuery(stmt.query, null);
  const planned = planMaterializedView(session, new StreamGraph(), 'mv', bound.plan);
  return { session, nodes: planned.nodes, output: planned.output };
}

/** One operator driven by hand: `push` feeds chunk text on a port and returns the output text. */
export class OperatorProbe {
  readonly env: StreamEnv;
  constructor(
    readonly node: StreamNode,
    readonly stats = new WorkStats(),
  ) {
    this.env = streamEnv(stats);
  }

  get exec(): StreamExecutor {
    return this.node.exec;
  }

  inputTypes(port: number): DataType[] {
    const input = this.node.inputs[port];
    if (!input) throw new Error(`no input on port ${port}`);
    return input.exec.schema.map((c) => c.type);
  }

  get outputTypes(): DataType[] {
    return this.exec.schema.map((c) => c.type);
  }

  push(text: string, port = 0): string {
    const out = this.exec.process(parseChunk(text, this.inputTypes(port)), port, this.env);
    return prettyChunk(out, this.outputTypes);
  }

  /** Like `push`, with the output lines sorted (for operators whose output order is incidental). */
  pushSorted(text: string, port = 0): string {
    return this.push(text, port).split('\n').filter(Boolean).sort().join('\n');
  }

  initial(): string {
    return prettyChunk(this.exec.initial?.(this.env) ?? null, this.outputTypes);
  }
}

/** A probe for an executor built by hand, reading `inputSchema` on port 0. */
export function probeExec(exec: StreamExecutor, inputSchema: ColumnSchema[]): OperatorProbe {
  const input: StreamNode = {
    id: 0,
    exec: { name: 'Input', schema: inputSchema, process: (c) => c, describe: () => '' },
    inputs: [],
    outputs: [],
  };
  return new OperatorProbe({ id: 1, exec, inputs: [input], outputs: [] });
}

/** Sorted chunk lines, to compare with `pushSorted`. */
export function sorted(text: string): string {
  return chunk(text).split('\n').filter(Boolean).sort().join('\n');
}

/** The single operator named `name` (e.g. 'StreamHashAgg') in the view's dataflow. */
export function probe(setup: string, createView: string, name: string): OperatorProbe {
  const { nodes } = planView(setup, createView);
  const found = nodes.filter((n) => n.exec.name === name);
  if (found.length !== 1)
    throw new Error(
      `expected one ${name}, found ${found.length}: ${nodes.map((n) => n.exec.name).join(', ')}`,
    );
  return new OperatorProbe(found[0]!);
}

/** Chunk text as the tests write it, normalized to the printer's spacing. */
export function chunk(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const m = /^(U-|U\+|\+|-)(?:\s+(.*))?$/.exec(l);
      if (!m) return l;
      // A row of no columns is its op alone.
      return m[2] === undefined
        ? m[1]!.padEnd(2)
        : `${m[1]!.padEnd(2)} ${m[2].split(/\s+/).join(' ')}`;
    })
    .join('\n');
}
