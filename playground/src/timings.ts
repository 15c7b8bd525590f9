/**
 * Start-up timings of the playground, for `npm run playground:measure` and the browser console
 * (`__sluiceTimings()`): named moments in the page and in the engine worker, in milliseconds
 * since the page's navigation started. The worker has its own clock origin, so its moments
 * travel as wall-clock times over a BroadcastChannel and the page converts them. Recording a
 * moment costs a clock read and, in the worker, one small message.
 */

const CHANNEL = 'sluice:timings';

interface Moment {
  name: string;
  /** Wall-clock milliseconds (the realm's time origin plus its `performance.now()`). */
  at: number;
}

function wallClock(): number {
  return performance.timeOrigin + performance.now();
}

/** When this module was evaluated: the first thing either bundle runs. */
const evaluatedAt = wallClock();

let channel: BroadcastChannel | undefined;

/** Records a moment of the worker's start-up; the page that started it collects it. */
export function workerMoment(name: string, at = wallClock()): void {
  if (typeof BroadcastChannel === 'undefined') return;
  channel ??= new BroadcastChannel(CHANNEL);
  channel.postMessage({ name: `worker:${name}`, at } satisfies Moment);
}

/** Records the moment the worker's script began to run; call first thing in the worker. */
export function workerScriptStarted(): void {
  workerMoment('script', evaluatedAt);
}

const moments = new Map<string, number>();

/** Records a moment of the page's start-up (the first of each name counts). */
export function pageMoment(name: string, at = wallClock()): void {
  if (!moments.has(`page:${name}`)) moments.set(`page:${name}`, at);
}

/**
 * Collects the worker's moments and exposes `__sluiceTimings()` on the page: every moment so
 * far, in milliseconds since navigation. Moments from before this page started (another tab's
 * worker) are left out.
 */
export function collectTimings(): void {
  pageMoment('script', evaluatedAt);
  addEventListener('pointerdown', () => pageMoment('pointerdown'), { capture: true, once: true });
  requestAnimationFrame(() => pageMoment('first-frame'));
  if (typeof BroadcastChannel !== 'undefined') {
    const listen = new BroadcastChannel(CHANNEL);
    listen.onmessage = (ev: MessageEvent<Moment>) => {
      const m = ev.data;
      if (m.at >= performance.timeOrigin && !moments.has(m.name)) moments.set(m.name, m.at);
    };
  }
  const target = globalThis as typeof globalThis & {
    __sluiceTimings?: () => Record<string, number>;
  };
  target.__sluiceTimings = () => {
    const out: Record<string, number> = {};
    const sorted = [...moments].sort((a, b) => a[1] - b[1]);
    for (const [name, at] of sorted)
      out[name] = Math.round((at - performance.timeOrigin) * 10) / 10;
    return out;
  };
}
