/**
 * The engine API's cases (`api-suite.ts`) in Node: each against a fresh playground engine over
 * memory storage, every call made as a protocol message (`METHODS`, `dispatch`) with its
 * arguments, replies and delivered changes structured-cloned, as crossing to a worker would.
 */
import { afterEach, test } from 'vitest';
import { Sluice } from '../../runtime/index.js';
import { PlaygroundEngine } from '../../playground/src/engine.js';
import {
  dispatch,
  engineOver,
  type CallOf,
  type EngineApi,
  type Method,
  type ReplyOf,
} from '../../playground/src/protocol.js';
import { API_CASES, value } from './api-suite.js';

/** Clones data as `postMessage` would; a listener stays a function, its argument cloned. */
function cloned(a: unknown): unknown {
  if (typeof a !== 'function') return structuredClone(a);
  const listener = a as (x: unknown) => void;
  return (x: unknown) => listener(structuredClone(x));
}

/** The engine reached through the protocol's message list, as the page reaches the worker. */
function overMessages(engine: PlaygroundEngine): EngineApi {
  return engineOver(async <M extends Method>(call: CallOf<M>): Promise<ReplyOf<M>> => {
    const args = call.args.map(cloned) as CallOf<M>['args'];
    return structuredClone(await dispatch(engine, { method: call.method, args }));
  });
}

let open: PlaygroundEngine | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

for (const c of API_CASES)
  test(c.name, async () => {
    open = new PlaygroundEngine({
      open: async () => ({
        db: await Sluice.open({ storage: 'memory' }),
        info: { storage: 'memory', persistent: false },
      }),
      destroy: async () => undefined,
    });
    const api = overMessages(open);
    value(await api.ready());
    await c.run(api);
  });
