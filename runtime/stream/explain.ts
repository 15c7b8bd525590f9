/** EXPLAIN text of a view's dataflow: operators from the materialize node down to the sources. */
import type { StreamNode } from './graph.js';

export function explainDataflow(output: StreamNode, own: Set<StreamNode>): string[] {
  const lines: string[] = [];
  const seen = new Map<StreamNode, number>();
  const walk = (n: StreamNode, first: string, rest: string): void => {
    const shared = seen.get(n);
    if (shared !== undefined) {
      lines.push(`${first}(shared: see ${n.exec.name} #${shared})`);
      return;
    }
    seen.set(n, n.id);
    const desc = n.exec.describe();
    const fanOut = n.outputs.filter((o) => own.has(o.node)).length > 1;
    lines.push(`${first}${n.exec.name}${fanOut ? ` #${n.id}` : ''}${desc ? ` { ${desc} }` : ''}`);
    const kids = n.inputs.filter((k) => own.has(k));
    kids.forEach((k, i) => {
      const last = i === kids.length - 1;
      walk(k, rest + (last ? '└─' : '├─'), rest + (last ? '  ' : '│ '));
    });
  };
  walk(output, '', '');
  return lines;
}
