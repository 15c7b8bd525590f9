/**
 * Import graph of Sluice's sources: lists every import cycle (strongly connected component of
 * the module graph) under the given folders, and optionally the imports between folders.
 *
 *   node scripts/import-graph.mjs [--values-only] [--layers] [folder ...]
 *
 * Folders default to `runtime` and `server`. Static `import` / `export ... from` and dynamic
 * `import('...')` of relative paths are followed; type-only imports (`import type`, or every
 * specifier marked `type`) count as edges unless `--values-only` is given. Exits 1 if any
 * cycle is found.
 */
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const valuesOnly = args.includes('--values-only');
const showLayers = args.includes('--layers');
const folders = args.filter((a) => !a.startsWith('--'));
if (folders.length === 0) folders.push('runtime', 'server');

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Relative import specifiers of one file, with whether each is type-only. */
function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const visit = (node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      let typeOnly = !!clause?.isTypeOnly;
      if (clause && !typeOnly && !clause.name && clause.namedBindings) {
        const nb = clause.namedBindings;
        if (ts.isNamedImports(nb) && nb.elements.length > 0) {
          typeOnly = nb.elements.every((e) => e.isTypeOnly);
        }
      }
      found.push({ spec: node.moduleSpecifier.text, typeOnly });
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push({ spec: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push({ spec: node.arguments[0].text, typeOnly: false });
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg) && ts.isStringLiteral(arg.literal)) {
        found.push({ spec: arg.literal.text, typeOnly: true });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.filter((i) => i.spec.startsWith('.'));
}

function resolveSpec(from, spec) {
  const base = resolve(dirname(from), spec);
  for (const candidate of [
    base.replace(/\.js$/, '.ts'),
    base,
    `${base}.ts`,
    join(base, 'index.ts'),
  ]) {
    if (candidate.endsWith('.ts') && existsSync(candidate)) return candidate;
  }
  return undefined;
}

const files = folders.flatMap((f) => walk(join(root, f), []));
const inScope = new Set(files);
/** @type {Map<string, Map<string, boolean>>} file -> (target -> typeOnly) */
const graph = new Map();
for (const file of files) {
  const edges = new Map();
  for (const { spec, typeOnly } of importsOf(file)) {
    if (valuesOnly && typeOnly) continue;
    const target = resolveSpec(file, spec);
    if (!target || !inScope.has(target)) continue;
    edges.set(target, (edges.get(target) ?? true) && typeOnly);
  }
  graph.set(file, edges);
}

// Tarjan's strongly connected components.
let index = 0;
const stack = [];
const meta = new Map();
const components = [];
function strongConnect(v) {
  meta.set(v, { index, low: index, onStack: true });
  index++;
  stack.push(v);
  for (const w of graph.get(v).keys()) {
    if (!meta.has(w)) {
      strongConnect(w);
      meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).low);
    } else if (meta.get(w).onStack) {
      meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).index);
    }
  }
  if (meta.get(v).low === meta.get(v).index) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      meta.get(w).onStack = false;
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v).has(v)) components.push(component);
  }
}
for (const v of graph.keys()) if (!meta.has(v)) strongConnect(v);

const rel = (p) => relative(root, p);
console.log(
  `${files.length} modules under ${folders.join(', ')}; ` +
    `${valuesOnly ? 'value imports only' : 'type-only imports included'}`,
);
if (components.length === 0) console.log('no import cycles');
for (const [i, component] of components.entries()) {
  const members = new Set(component);
  console.log(`\ncycle ${i + 1} (${component.length} modules):`);
  for (const file of component.sort()) {
    const inside = [...graph.get(file)]
      .filter(([t]) => members.has(t))
      .map(([t, typeOnly]) => `${rel(t)}${typeOnly ? ' (type)' : ''}`);
    console.log(`  ${rel(file)} -> ${inside.join(', ')}`);
  }
}

if (showLayers) {
  // Imports between folders (a file directly under runtime/ counts as its own layer).
  const layerOf = (p) => {
    const parts = rel(p).split('/');
    return parts.length > 2 ? `${parts[0]}/${parts[1]}` : rel(p).replace(/\.ts$/, '');
  };
  const layerEdges = new Map();
  for (const [file, edges] of graph) {
    for (const target of edges.keys()) {
      const a = layerOf(file);
      const b = layerOf(target);
      if (a === b) continue;
      if (!layerEdges.has(a)) layerEdges.set(a, new Set());
      layerEdges.get(a).add(b);
    }
  }
  console.log('\nlayer imports:');
  for (const [a, bs] of [...layerEdges].sort())
    console.log(`  ${a} -> ${[...bs].sort().join(', ')}`);
}

process.exit(components.length ? 1 : 0);
