/**
 * EXPLAIN text as a graph. Sluice prints a plan one operator per line, children under their
 * parent behind `├─`/`└─` (and `│ ` for the parent's later children), each operator as
 * `Name { key: value, ... }`. This reads those lines back into a tree (plain space indentation
 * works too), splits each operator's details at its top-level commas, and lays the tree out top
 * down with every subtree in its own band of columns, so boxes never overlap. Pure: the page
 * draws the result as SVG.
 */

export interface PlanNode {
  /** The operator, e.g. `StreamHashAgg`. */
  name: string;
  /** Its arguments, one `key: value` each, as printed. */
  details: string[];
  children: PlanNode[];
  /** 0-based line of the plan text. */
  line: number;
}

/** Reads plan lines (one row of EXPLAIN output each) into its root operators. */
export function parsePlan(lines: readonly string[]): PlanNode[] {
  const roots: PlanNode[] = [];
  // The open ancestors: node and its depth.
  const stack: { node: PlanNode; depth: number }[] = [];
  lines.forEach((raw, line) => {
    const text = raw.replace(/\s+$/, '');
    if (text.trim() === '') return;
    const m = /^[\s│├└─|`+\\-]*/.exec(text);
    const prefix = m ? m[0] : '';
    // Sluice's prefixes are two characters a level; a bare indentation counts the same way.
    const depth = Math.ceil(prefix.length / 2);
    const node = { ...operator(text.slice(prefix.length)), children: [], line };
    while (stack.length > 0 && stack[stack.length - 1]!.depth >= depth) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) parent.node.children.push(node);
    else roots.push(node);
    stack.push({ node, depth });
  });
  return roots;
}

/** `Name { a: 1, b: [x, y] }` → name and details `a: 1`, `b: [x, y]`. */
export function operator(text: string): { name: string; details: string[] } {
  const open = text.indexOf('{');
  if (open < 0 || !text.endsWith('}')) return { name: text.trim(), details: [] };
  return {
    name: text.slice(0, open).trim(),
    details: splitTopLevel(text.slice(open + 1, -1)),
  };
}

/** Splits at commas outside brackets, parentheses, braces and quotes. */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(s.slice(start).trim());
  return parts.filter((p) => p !== '');
}

export interface GraphBox {
  id: number;
  name: string;
  details: string[];
  x: number;
  y: number;
  width: number;
  height: number;
  /** The box of the operator whose input this is (the edge goes up to it). */
  parent?: number;
}

export interface GraphLayout {
  boxes: GraphBox[];
  edges: { from: number; to: number }[];
  width: number;
  height: number;
}

export interface LayoutOptions {
  /** Width of one character of the details' font, in px. */
  charWidth: number;
  lineHeight: number;
  /** Longest detail line shown, in characters; longer ones are cut with `…`. */
  maxChars: number;
  padding: number;
  /** Space between sibling subtrees, and between levels. */
  gapX: number;
  gapY: number;
}

export const DEFAULT_LAYOUT: LayoutOptions = {
  charWidth: 7.2,
  lineHeight: 16,
  maxChars: 48,
  padding: 8,
  gapX: 24,
  gapY: 36,
};

/** A detail line as shown: cut to `max` characters. */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/**
 * Places the operators: each box is centred over the band of its children, each level below the
 * tallest box of the level above. Edges run from a child (`from`) to its parent (`to`), as data
 * flows.
 */
export function layoutPlan(
  roots: readonly PlanNode[],
  options: LayoutOptions = DEFAULT_LAYOUT,
): GraphLayout {
  const o = options;
  const boxes: GraphBox[] = [];
  const edges: { from: number; to: number }[] = [];
  const levelHeight: number[] = [];
  const size = (n: PlanNode): { width: number; height: number } => {
    const chars = Math.max(n.name.length, ...n.details.map((d) => clip(d, o.maxChars).length));
    return {
      width: Math.ceil(chars * o.charWidth + 2 * o.padding),
      height: (1 + n.details.length) * o.lineHeight + 2 * o.padding,
    };
  };
  // Band widths, bottom up.
  const band = new Map<PlanNode, number>();
  const measure = (n: PlanNode, depth: number): number => {
    const s = size(n);
    levelHeight[depth] = Math.max(levelHeight[depth] ?? 0, s.height);
    const kids = n.children.map((c) => measure(c, depth + 1));
    const below = kids.reduce((a, b) => a + b, 0) + o.gapX * Math.max(0, kids.length - 1);
    const w = Math.max(s.width, below);
    band.set(n, w);
    return w;
  };
  const widths = roots.map((r) => measure(r, 0));
  const levelY: number[] = [];
  levelHeight.reduce((y, h, i) => {
    levelY[i] = y;
    return y + h + o.gapY;
  }, 0);
  const place = (n: PlanNode, left: number, depth: number, parent?: number): void => {
    const s = size(n);
    const w = band.get(n)!;
    const id = boxes.length;
    boxes.push({
      id,
      name: n.name,
      details: n.details,
      x: left + (w - s.width) / 2,
      y: levelY[depth]!,
      width: s.width,
      height: s.height,
      ...(parent === undefined ? {} : { parent }),
    });
    if (parent !== undefined) edges.push({ from: id, to: parent });
    const below =
      n.children.reduce((a, c) => a + band.get(c)!, 0) +
      o.gapX * Math.max(0, n.children.length - 1);
    let x = left + (w - below) / 2;
    for (const c of n.children) {
      place(c, x, depth + 1, id);
      x += band.get(c)! + o.gapX;
    }
  };
  let x = 0;
  roots.forEach((r, i) => {
    place(r, x, 0);
    x += widths[i]! + o.gapX;
  });
  const height =
    levelHeight.reduce((a, h) => a + h, 0) + o.gapY * Math.max(0, levelHeight.length - 1);
  return { boxes, edges, width: Math.max(0, x - o.gapX), height };
}
