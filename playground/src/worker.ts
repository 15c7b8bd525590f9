/**
 * The engine worker: the whole database (runtime and Wasm kernels) runs here, so the page never
 * waits on a query. State lives in the IndexedDB database `sluice-playground`.
 */
// First, so that its time of evaluation is when the worker's script began to run.
import { workerMoment, workerScriptStarted } from './timings.js';
import { expose } from 'comlink';
import { Sluice } from '../../runtime/index.js';
import { preloadKernels } from '../../runtime/kernels/index.js';
import { PlaygroundEngine } from './engine.js';

const DB_NAME = 'sluice-playground';

/**
 * Holds a Web Lock named after the database for the worker's lifetime. Two engines writing one
 * store would interleave their epochs, so a second tab waits until the first one closes (a
 * reloaded page's old worker releases it when it ends). Without Web Locks (insecure origins)
 * nothing is held.
 */
function holdLock(name: string): Promise<void> {
  if (!('locks' in navigator)) return Promise.resolve();
  const locks = navigator.locks;
  return new Promise<void>((granted) => {
    void locks.request(`sluice:${name}`, () => {
      granted();
      return new Promise<never>(() => undefined);
    });
  });
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error ?? new Error(`cannot delete ${name}`));
    // Only this worker opens the database (the lock), and it has closed it: `blocked` cannot
    // last, and `success` follows once the connection is gone.
  });
}

workerScriptStarted();
workerMoment('origin', performance.timeOrigin);
workerMoment('modules');
const locked = holdLock(DB_NAME).then(() => workerMoment('lock'));
// Compiled in the background while the database opens; the first query that needs them (a
// join, an aggregation) would otherwise compile them then.
preloadKernels().then(
  () => workerMoment('kernels'),
  (e: unknown) => console.error('Sluice: compiling the Wasm kernels ahead failed', e),
);

const engine = new PlaygroundEngine({
  open: async () => {
    await locked;
    workerMoment('open-start');
    if (typeof indexedDB === 'undefined')
      return {
        db: await Sluice.open({ storage: 'memory' }),
        info: {
          storage: 'memory',
          persistent: false,
          warning: 'IndexedDB is not available here: state is kept in memory only.',
        },
      };
    const db = await Sluice.open({ storage: { indexedDb: DB_NAME } });
    workerMoment('open');
    return {
      db,
      info: { storage: `indexeddb:${DB_NAME}`, persistent: true },
    };
  },
  destroy: () => (typeof indexedDB === 'undefined' ? Promise.resolve() : deleteDatabase(DB_NAME)),
});

expose(engine);
