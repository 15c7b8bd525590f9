/**
 * The engine API's cases (`tests/playground/api-suite.ts`) against the real worker: the built
 * playground served by `sluice serve`, Debian's Chromium, a fresh browser context (so a fresh
 * IndexedDB) per case. Every call is a protocol message sent to the page's `sluice.engine`
 * (the worker's API over comlink, built from `METHODS`) with `page.evaluate`; a listener
 * argument becomes a binding the page calls back through (`page.exposeFunction`), and an
 * `ArrayBuffer` is carried as its bytes and moved to the worker from the page.
 */
import type { Page } from 'playwright-core';
import { describe, test } from 'vitest';
import type { EngineClient } from '../playground/src/client.js';
import {
  engineOver,
  type CallOf,
  type EngineApi,
  type Method,
  type ReplyOf,
  type TextChange,
} from '../playground/src/protocol.js';
import { API_CASES, value } from '../tests/playground/api-suite.js';
import { missingPrerequisite, openPage, usePlayground } from './support.js';

const skip = missingPrerequisite();
if (skip && process.env.CI) throw new Error(`playground e2e tests cannot run: ${skip}`);
if (skip) console.warn(`API suite e2e tests skipped: ${skip}`);

/** The page's globals these tests use: the console handle and the change binding. */
type ApiWindow = Window & {
  sluice: EngineClient;
  deliverChanges(key: number, changes: TextChange[]): Promise<void>;
};

/**
 * What stands, in the arguments sent to the page, for what `page.evaluate` cannot carry; any
 * other argument is sent as it is.
 */
type StandIn = { $listener: number } | { $bytes: number[] };

/** The worker's API, each call made in `page`; listeners are kept here, keyed for the page. */
function browserEngine(
  page: Page,
  listeners: Map<number, (changes: TextChange[]) => void>,
): EngineApi {
  let nextKey = 1;
  return engineOver(async <M extends Method>(call: CallOf<M>): Promise<ReplyOf<M>> => {
    const args = call.args.map((a: unknown) => {
      if (typeof a === 'function') {
        const key = nextKey++;
        listeners.set(key, a as (changes: TextChange[]) => void);
        return { $listener: key } satisfies StandIn;
      }
      if (a instanceof ArrayBuffer)
        return { $bytes: Array.from(new Uint8Array(a)) } satisfies StandIn;
      return a;
    });
    const reply = await page.evaluate(
      ({ method, args }) => {
        const w = window as unknown as ApiWindow;
        const real = args.map((a) => {
          if (a === null || typeof a !== 'object' || Array.isArray(a)) return a;
          if ('$listener' in a) {
            const key = (a as { $listener: number }).$listener;
            return (changes: TextChange[]) => void w.deliverChanges(key, changes);
          }
          if ('$bytes' in a) return new Uint8Array((a as { $bytes: number[] }).$bytes).buffer;
          return a;
        });
        // One method of the protocol, with the arguments of that method (typed where sent).
        const fn = w.sluice.engine[method] as (...args: unknown[]) => Promise<unknown>;
        return fn(...real);
      },
      { method: call.method as Method, args },
    );
    // The page returned this method's reply, as plain data.
    return reply as ReplyOf<M>;
  });
}

describe.skipIf(skip !== undefined)('API suite in the browser worker', () => {
  // No viewport needed: the cases drive the engine, not the page.
  const playground = usePlayground();

  for (const c of API_CASES)
    test(c.name, async () => {
      const page = await playground.freshPage();
      const listeners = new Map<number, (changes: TextChange[]) => void>();
      await page.exposeFunction('deliverChanges', (key: number, changes: TextChange[]) => {
        const listener = listeners.get(key);
        if (!listener) throw new Error(`changes for unknown listener ${key}`);
        listener(changes);
      });
      await openPage(page, playground.url);
      const api = browserEngine(page, listeners);
      value(await api.ready());
      await c.run(api);
    });
});
