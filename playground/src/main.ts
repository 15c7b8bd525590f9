/**
 * The playground page: an editor, a result grid and the schema, over the engine in a worker.
 * Every engine call is asynchronous, so the page keeps drawing and accepting input while a
 * statement runs; runs started meanwhile queue in the worker and show in order.
 */
import { client, takeEarlyRun } from './boot.js';
import { EngineFailure, type EngineClient } from './client.js';
import { SqlEditor } from './editor.js';
import { EXAMPLES } from './examples.js';
import { ResultGrid } from './grid.js';
import { GeneratorPanel } from './generator-panel.js';
import { installDropImport } from './import.js';
import { LiveView } from './lazy-live-view.js';
import { PlanView } from './plan-view.js';
import { statementAt } from './ranges.js';
import type { EngineError, Relation, RelationKind, RunResult, Schema } from './protocol.js';
import { decodeScript, scriptHash } from './share.js';
import { pageMoment } from './timings.js';

const SCRIPT_KEY = 'sluice-playground:script';
/** Statement summaries listed in full before the rest are counted. */
const MAX_SUMMARIES = 50;

const WELCOME = `-- Streaming SQL in your browser: the engine runs in a worker and keeps its
-- state in IndexedDB. Ctrl/Cmd+Enter runs the statement at the cursor;
-- Shift+Ctrl/Cmd+Enter or Run runs everything. Try an example from the menu.
SELECT 1 AS one;
`;

function byTestId<T extends HTMLElement>(id: string): T {
  const e = document.querySelector<T>(`[data-testid="${id}"]`);
  if (!e) throw new Error(`the page has no [data-testid="${id}"]`);
  return e;
}

const runButton = byTestId<HTMLButtonElement>('run');
const resetButton = byTestId<HTMLButtonElement>('reset');
const shareButton = byTestId<HTMLButtonElement>('share');
const examples = byTestId<HTMLSelectElement>('examples');
const statusEl = byTestId<HTMLElement>('status');
const errorEl = byTestId<HTMLElement>('error');
const summaryEl = byTestId<HTMLElement>('summary');
const resultInfo = byTestId<HTMLElement>('result-info');
const schemaEl = byTestId<HTMLElement>('schema');
const grid = new ResultGrid(byTestId<HTMLElement>('results'));
grid.clear();
const planView = new PlanView(grid.root);

// A handle for the browser console (and tests): `await sluice.query('SELECT 1')`.
(window as Window & { sluice?: EngineClient }).sluice = client;
const liveView = new LiveView(byTestId<HTMLElement>('live-view'), client, {
  error: (e) => showError(e),
});

// Generated rows go into tables the schema should list once they exist.
new GeneratorPanel(byTestId<HTMLElement>('generator'), client, {
  tablesChanged: () => void refreshSchema(),
});

let pending = 0;
let completed = 0;

function setStatus(text: string, kind: 'info' | 'busy' | 'warn' = 'info'): void {
  statusEl.textContent = text;
  // The bar may cut a long message short; the whole of it shows on hover.
  statusEl.title = text;
  statusEl.dataset.kind = kind;
}

function initialScript(): string {
  const fromHash = decodeScript(location.hash);
  if (fromHash !== undefined) return fromHash;
  try {
    return localStorage.getItem(SCRIPT_KEY) ?? WELCOME;
  } catch {
    // Storage can be disabled by the browser's settings; the welcome script is fine then.
    return WELCOME;
  }
}

let saveTimer: ReturnType<typeof setTimeout> | undefined;

/** Puts the script in the URL (so it can be shared or bookmarked as it is) and in storage. */
function saveScript(): void {
  clearTimeout(saveTimer);
  saveTimer = undefined;
  const doc = editor.doc;
  history.replaceState(null, '', scriptHash(doc));
  try {
    localStorage.setItem(SCRIPT_KEY, doc);
  } catch {
    // Over quota or disabled: the URL still has the script.
  }
}

const editor = new SqlEditor(byTestId('editor'), initialScript(), {
  runStatement: () => {
    const s = statementAt(editor.doc, editor.cursor);
    if (s) void run(s.text, s.offset);
  },
  runAll: () => void run(editor.doc, 0),
  changed: () => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(saveScript, 250);
  },
});
// An edit made just before leaving is not lost to the delay.
addEventListener('pagehide', () => {
  if (saveTimer !== undefined) saveScript();
});
// A share link pasted into this tab changes only the hash: the page stays, the script changes.
addEventListener('hashchange', () => {
  const script = decodeScript(location.hash);
  if (script !== undefined && script !== editor.doc) editor.setDoc(script);
});

function lineColumn(doc: string, pos: number): { line: number; column: number } {
  const before = doc.slice(0, pos);
  const line = before.split('\n').length;
  return { line, column: pos - before.lastIndexOf('\n') };
}

function showError(e: EngineError | undefined): void {
  // An error that is not located in the script (an import's, a pin's) marks nothing in it.
  editor.showError(e && (e.position ?? e.from) !== undefined ? e : undefined);
  errorEl.hidden = !e;
  errorEl.replaceChildren();
  delete errorEl.dataset.position;
  if (!e) return;
  const head = document.createElement('strong');
  head.textContent = 'ERROR: ';
  const message = document.createElement('span');
  message.className = 'message';
  message.textContent = e.message;
  const where = document.createElement('span');
  where.className = 'where';
  where.append(' (SQLSTATE ', e.code);
  const at = e.position ?? e.from;
  if (at !== undefined) {
    errorEl.dataset.position = String(at);
    const { line, column } = lineColumn(editor.doc, at);
    const link = document.createElement('button');
    link.className = 'link';
    link.textContent = `line ${line}, column ${column}`;
    link.title = 'Show it in the editor';
    link.addEventListener('click', () => editor.focusAt(at));
    where.append(', at ', link);
  }
  where.append(')');
  errorEl.append(head, message, where);
}

function ms(x: number): string {
  return x < 10 ? `${x.toFixed(1)} ms` : `${Math.round(x)} ms`;
}

function showRun(r: RunResult): void {
  showError(r.error);
  const items = r.statements.slice(-MAX_SUMMARIES).map((s) => {
    const li = document.createElement('li');
    const tag = document.createElement('button');
    tag.className = 'link';
    tag.textContent = s.command;
    tag.title = 'Show the statement';
    tag.addEventListener('click', () => editor.focusAt(s.from));
    const time = document.createElement('span');
    time.className = 'time';
    time.textContent = ms(s.ms);
    li.append(tag, ' ', time);
    return li;
  });
  const list = document.createElement('ol');
  list.className = 'statements';
  list.append(...items);
  const hidden = r.statements.length - items.length;
  summaryEl.replaceChildren();
  if (hidden > 0) summaryEl.append(`${hidden} earlier statements, then:`);
  // A lone query needs no summary line: the grid and its row count say it all.
  if (r.statements.length > 1 || !r.result) summaryEl.append(list);
  grid.show(r.result);
  const last = r.statements[r.statements.length - 1];
  planView.show(r.result, !r.error && !!last?.command.startsWith('EXPLAIN'));
  if (r.result) {
    const n = r.result.rowCount;
    resultInfo.textContent = `${n.toLocaleString('en')} ${n === 1 ? 'row' : 'rows'} · ${ms(r.elapsedMs)}`;
  } else
    resultInfo.textContent = r.error
      ? `failed after ${ms(r.elapsedMs)}`
      : `${r.statements.length} ${r.statements.length === 1 ? 'statement' : 'statements'} · ${ms(r.elapsedMs)}`;
}

async function run(script: string, base: number): Promise<void> {
  pageMoment('run');
  if (saveTimer !== undefined) saveScript();
  pending++;
  runButton.classList.add('busy');
  setStatus(pending > 1 ? `Running… (${pending - 1} queued)` : 'Running…', 'busy');
  let r: RunResult;
  try {
    r = await client.run(script, base);
  } catch (e) {
    r = {
      statements: [],
      error: { code: 'XX000', message: `the engine failed: ${String(e)}` },
      elapsedMs: 0,
      schemaChanged: false,
    };
  }
  pending--;
  completed++;
  showRun(r);
  // For measuring start-up: navigation to the first result shown.
  if (completed === 1) {
    performance.mark('sluice:first-result');
    pageMoment('first-result');
  }
  if (pending === 0) {
    runButton.classList.remove('busy');
    setStatus(r.error ? 'Failed' : 'Done');
  }
  document.body.dataset.runs = String(completed);
  // A failed script may have changed the catalog before the statement that failed.
  if (r.schemaChanged || r.error) await refreshSchema();
}

const KIND_TITLES: [RelationKind, string][] = [
  ['table', 'Tables'],
  ['materialized view', 'Materialized views'],
  ['view', 'Views'],
  ['source', 'Sources'],
];

function relationItem(r: Relation): HTMLElement {
  const details = document.createElement('details');
  details.className = 'relation';
  details.dataset.relation = r.name;
  details.dataset.kind = r.kind;
  const summary = document.createElement('summary');
  const name = document.createElement('button');
  name.className = 'link name';
  name.textContent = r.name;
  name.title = `Insert "${r.name}" at the cursor`;
  name.addEventListener('click', (ev) => {
    ev.preventDefault();
    editor.insertAtCursor(r.name);
  });
  summary.append(name);
  if (r.kind === 'materialized view') {
    const pin = document.createElement('button');
    pin.className = 'link pin';
    pin.dataset.testid = 'pin';
    pin.textContent = 'pin';
    pin.title = `Pin ${r.name}: follow its rows live`;
    pin.setAttribute('aria-label', `Pin ${r.name}`);
    pin.addEventListener('click', (ev) => {
      ev.preventDefault();
      void liveView.pin(r.name);
    });
    summary.append(pin);
  }
  const cols = document.createElement('ul');
  for (const c of r.columns) {
    const li = document.createElement('li');
    const n = document.createElement('span');
    n.className = 'column';
    n.textContent = c.name;
    const t = document.createElement('span');
    t.className = 'type';
    t.textContent = c.type;
    li.append(n, ' ', t);
    cols.append(li);
  }
  details.append(summary, cols);
  return details;
}

function showSchema(schema: Schema): void {
  const parts: HTMLElement[] = [];
  for (const [kind, title] of KIND_TITLES) {
    const rels = schema.relations.filter((r) => r.kind === kind);
    if (rels.length === 0) continue;
    const h = document.createElement('h2');
    h.textContent = title;
    parts.push(h, ...rels.map(relationItem));
  }
  if (parts.length === 0) {
    const p = document.createElement('p');
    p.className = 'empty';
    p.textContent = 'No tables yet. Create one, or run an example.';
    parts.push(p);
  }
  schemaEl.replaceChildren(...parts);
  editor.setSchema(schema);
  // A pinned view that was dropped has nothing more to show.
  const pinned = liveView.view;
  if (pinned && !schema.relations.some((r) => r.name === pinned && r.kind === 'materialized view'))
    void liveView.unpin();
}

async function refreshSchema(): Promise<void> {
  try {
    showSchema(await client.schema());
  } catch (e) {
    if (e instanceof EngineFailure) showError(e.error);
    else throw e;
  }
}

async function start(): Promise<void> {
  setStatus('Opening the database…', 'busy');
  // Another tab holding the database makes this one wait (see the worker's lock).
  const slow = setTimeout(
    () => setStatus('Waiting for the database: is the playground open in another tab?', 'warn'),
    3000,
  );
  try {
    const info = await client.ready();
    clearTimeout(slow);
    if (info.warning) setStatus(info.warning, 'warn');
    else setStatus(`Ready · state saved in this browser (opened in ${ms(info.openMs)})`);
    document.body.dataset.ready = 'true';
    performance.mark('sluice:ready');
    pageMoment('ready');
    await refreshSchema();
  } catch (e) {
    clearTimeout(slow);
    setStatus('The database could not be opened', 'warn');
    showError(e instanceof EngineFailure ? e.error : { code: 'XX000', message: String(e) });
  }
}

runButton.addEventListener('click', () => void run(editor.doc, 0));
// Run clicked while this module was loading.
if (takeEarlyRun()) void run(editor.doc, 0);

for (const ex of EXAMPLES) {
  const option = document.createElement('option');
  option.value = ex.id;
  option.textContent = ex.title;
  examples.append(option);
}
examples.addEventListener('change', () => {
  const ex = EXAMPLES.find((x) => x.id === examples.value);
  examples.value = '';
  if (!ex) return;
  editor.setDoc(ex.sql);
  setStatus(`Loaded “${ex.title}”: press Run`);
  editor.focusAt(0);
});

shareButton.addEventListener('click', () => {
  saveScript();
  const url = location.href;
  navigator.clipboard.writeText(url).then(
    () => setStatus('Link copied: it opens with this script'),
    () => setStatus('The address bar holds the link to this script'),
  );
});

resetButton.addEventListener('click', () => {
  if (!confirm('Delete every table and view stored in this browser, and start empty?')) return;
  void (async () => {
    setStatus('Resetting…', 'busy');
    try {
      await liveView.unpin();
      await client.reset();
      grid.clear();
      summaryEl.replaceChildren();
      resultInfo.textContent = '';
      showError(undefined);
      setStatus('Reset: the database is empty');
      await refreshSchema();
    } catch (e) {
      setStatus('Reset failed', 'warn');
      showError(e instanceof EngineFailure ? e.error : { code: 'XX000', message: String(e) });
    }
  })();
});

installDropImport(client, {
  started: (file) => setStatus(`Importing ${file}…`, 'busy'),
  imported: (r, file) => {
    showError(undefined);
    const line = document.createElement('p');
    line.dataset.testid = 'import-summary';
    const n = r.rowCount;
    line.textContent =
      `imported ${n.toLocaleString('en')} ${n === 1 ? 'row' : 'rows'} into ${r.table}` +
      (r.created ? ` (new table: ${r.columns.map((c) => `${c.name} ${c.type}`).join(', ')})` : '');
    summaryEl.replaceChildren(line);
    resultInfo.textContent = file;
    setStatus(`Imported ${file}`);
  },
  failed: (e, file) => {
    showError(e);
    setStatus(`Importing ${file} failed`, 'warn');
  },
  finished: () => void refreshSchema(),
});

void start();
pageMoment('ui');
