/**
 * Importing files by drag and drop: while files are dragged over the page an overlay says
 * where they go; dropped `.csv`, `.tsv`, `.json`, `.ndjson` or `.jsonl` files are sent, as
 * bytes, to the worker, which parses them and loads each into the table named after it.
 */
import type { EngineClient } from './client.js';
import type { EngineError, ImportResult } from './protocol.js';
import { EngineFailure } from './client.js';

export interface ImportHooks {
  started: (fileName: string) => void;
  imported: (result: ImportResult, fileName: string) => void;
  failed: (error: EngineError, fileName: string) => void;
  /** After the last file of a drop, imported or not. */
  finished: () => void;
}

/** Whether a drag carries files (not text or a link dragged within the page). */
function hasFiles(e: DragEvent): boolean {
  return e.dataTransfer?.types.includes('Files') ?? false;
}

export function installDropImport(client: EngineClient, hooks: ImportHooks): HTMLElement {
  const overlay = document.createElement('div');
  overlay.className = 'drop-zone';
  overlay.dataset.testid = 'drop-zone';
  overlay.hidden = true;
  const card = document.createElement('div');
  card.className = 'drop-card';
  const title = document.createElement('strong');
  title.textContent = 'Drop to import';
  const hint = document.createElement('span');
  hint.textContent =
    'CSV (with a header row) or JSON (an array of objects, or one object per line): ' +
    'each file goes into the table named after it, created if there is none.';
  card.append(title, hint);
  overlay.append(card);
  document.body.append(overlay);

  // dragenter and dragleave fire for every element crossed; the overlay shows while any is in.
  let depth = 0;
  addEventListener('dragenter', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth++;
    overlay.hidden = false;
  });
  addEventListener('dragleave', (e) => {
    if (!hasFiles(e)) return;
    depth = Math.max(0, depth - 1);
    if (depth === 0) overlay.hidden = true;
  });
  addEventListener('dragover', (e) => {
    if (!hasFiles(e)) return;
    // Without this the browser opens the file instead of dropping it here.
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
  });
  addEventListener('drop', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth = 0;
    overlay.hidden = true;
    const files = Array.from(e.dataTransfer?.files ?? []);
    void importAll(client, files, hooks);
  });
  return overlay;
}

async function importAll(client: EngineClient, files: File[], hooks: ImportHooks): Promise<void> {
  for (const file of files) {
    hooks.started(file.name);
    try {
      hooks.imported(await client.importFile(file.name, await file.arrayBuffer()), file.name);
    } catch (e) {
      hooks.failed(
        e instanceof EngineFailure
          ? e.error
          : { code: 'XX000', message: `cannot import ${file.name}: ${String(e)}` },
        file.name,
      );
    }
  }
  hooks.finished();
}
