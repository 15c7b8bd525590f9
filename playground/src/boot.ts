/**
 * The playground's entry: it starts the engine worker before anything else, then loads the
 * page's own code (editor, grid, charts) as a separate chunk. The worker's download,
 * compilation and the database's recovery so overlap with the download and start of the page,
 * instead of waiting for them. A click on Run meanwhile is remembered, and the page runs the
 * script as soon as it can.
 */
import { collectTimings, pageMoment } from './timings.js';
// Here rather than in the page's chunk: the stylesheet is then linked from the HTML itself.
import './style.css';
import { EngineClient } from './client.js';

// Before the worker exists, so that none of its start-up moments is missed.
collectTimings();

/** The engine: it opens the database at once. */
export const client = EngineClient.start();
pageMoment('worker-created');

const runButton = document.querySelector('[data-testid="run"]');
let runClicked = false;
const earlyClick = (): void => {
  runClicked = true;
};
runButton?.addEventListener('click', earlyClick);

/** Whether Run was clicked before the page's code loaded; from now on, the page handles it. */
export function takeEarlyRun(): boolean {
  runButton?.removeEventListener('click', earlyClick);
  return runClicked;
}

import('./main.js').catch((e: unknown) => {
  const status = document.querySelector<HTMLElement>('[data-testid="status"]');
  if (status) {
    status.textContent = `The playground failed to load: ${String(e)}`;
    status.dataset.kind = 'warn';
  }
  throw e;
});
