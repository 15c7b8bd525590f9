/**
 * Durability benchmarks, in one run:
 *
 * 1. Acknowledged-insert latency (p50/p99) and rows/s: N `pg` clients (1 and 50) each send
 *    single-row INSERTs, one at a time, to a `sluice serve` process (the built bin/sluice.js)
 *    whose state is on the local folder, then on s3rver (a real S3-compatible server on
 *    loopback). A statement's latency ends when it is acknowledged, i.e. durable.
 * 2. Recovery time: a table of ROWS rows (Arrow batches) with a GROUP BY view is written to a
 *    local folder and closed; the time to open it again is measured with the state's size, and
 *    again after more history (BENCH_HISTORY_ROUNDS: every row updated rounds/10 times,
 *    default 10; the same state size). Before closing, a checkpoint of that state is taken
 *    while one client inserts single rows: its duration, the longest the event loop was held,
 *    and the inserts' latency meanwhile.
 * 3. Storage amplification under steady updates: a 10,000-row keyed table is updated at random,
 *    one statement per epoch, for EPOCHS epochs (an hour at one epoch per second: simulated
 *    time); the stored bytes are sampled and divided by the live state's size (a fresh
 *    checkpoint of the same state).
 *
 * Results: bench/results/durability.json and a markdown table on stdout.
 *   npx tsx bench/durability.ts   (BENCH_SECONDS=5 BENCH_RECOVERY_ROWS=2000000 BENCH_EPOCHS=3600)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { tableFromArrays } from 'apache-arrow';
import { Database } from '../runtime/engine.js';
import { Durability } from '../runtime/durability/durability.js';
import { MemoryObjectStore } from '../runtime/storage/object-store.js';
import { FolderObjectStore } from '../server/storage/folder-store.js';
import { startS3rver, S3RVER_CREDENTIALS } from '../tests/support/s3rver-process.js';
import { startBuiltServer } from '../tests/support/built-server.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RECOVERY_ROWS = Number(process.env.BENCH_RECOVERY_ROWS ?? 2_000_000);
const EPOCHS = Number(process.env.BENCH_EPOCHS ?? 3600);

const pct = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;

interface LatencyResult {
  storage: string;
  clients: number;
  rowsPerSec: number;
  p50ms: number;
  p99ms: number;
}

async function insertLatency(
  label: string,
  storage: string[],
  clients: number,
  env: NodeJS.ProcessEnv = {},
): Promise<LatencyResult> {
  const server = await startBuiltServer(storage, env);
  try {
    const conns = await Promise.all(
      Array.from({ length: clients }, async () => {
        const c = new pg.Client({
          host: '127.0.0.1',
          port: server.port,
          user: 'root',
          database: 'dev',
        });
        await c.connect();
        return c;
      }),
    );
    await conns[0]!.query('CREATE TABLE t (id BIGINT, c INT, v INT)');
    await conns[0]!.query(
      'CREATE MATERIALIZED VIEW m AS SELECT c, count(*), sum(v) FROM t GROUP BY c',
    );
    const latencies: number[] = [];
    const end = Date.now() + SECONDS * 1000;
    await Promise.all(
      conns.map(async (c, ci) => {
        for (let i = 0; Date.now() < end; i++) {
          const t0 = performance.now();
          await c.query(`INSERT INTO t VALUES (${i * clients + ci}, ${ci}, ${i % 7})`);
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const { rows } = await conns[0]!.query('SELECT count(*)::int AS n FROM t');
    if (rows[0].n !== latencies.length) throw new Error('acknowledged rows missing');
    await Promise.all(conns.map((c) => c.end()));
    latencies.sort((a, b) => a - b);
    return {
      storage: label,
      clients,
      rowsPerSec: Math.round(latencies.length / SECONDS),
      p50ms: +pct(latencies, 50).toFixed(2),
      p99ms: +pct(latencies, 99).toFixed(2),
    };
  } finally {
    server.proc.kill('SIGTERM');
    await new Promise((r) => server.proc.once('exit', r));
  }
}

async function recovery(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-recovery-'));
  try {
    const db = new Database();
    const { durability } = await Durability.open(db, await FolderObjectStore.open(dir));
    const s = db.connect();
    s.execute('CREATE TABLE e (id BIGINT, user_id BIGINT, amount DOUBLE PRECISION, kind VARCHAR)');
    s.execute(
      'CREATE MATERIALIZED VIEW per_user AS SELECT user_id, count(*) AS n, sum(amount) AS total FROM e GROUP BY user_id',
    );
    const batch = 10_000;
    const kinds = ['view', 'click', 'purchase'];
    for (let at = 0; at < RECOVERY_ROWS; at += batch) {
      const id = BigInt64Array.from({ length: batch }, (_, i) => BigInt(at + i));
      s.insertArrow(
        'e',
        tableFromArrays({
          id,
          user_id: BigInt64Array.from(id, (x) => x % 100_000n),
          amount: Float64Array.from({ length: batch }, (_, i) => (i % 1000) / 10),
          kind: Array.from({ length: batch }, (_, i) => kinds[i % 3]!),
        }),
      );
      await durability.waitDurable();
    }
    const stall = await checkpointStall(s, durability);
    await durability.close();
    const bytes = durability.stats.checkpointBytes;
    // Each recovery in a process of its own, as a restart is.
    const recover = (
      history: boolean,
    ): { ms: number; epochsReplayed: number; bytesRead: number } => {
      const r = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          join(repoRoot, 'bench/durability-recover.ts'),
          dir,
          ...(history ? ['--history'] : []),
        ],
        { encoding: 'utf8' },
      );
      if (r.status !== 0) throw new Error(`recovery run failed: ${r.stderr}`);
      return JSON.parse(r.stdout.trim().split('\n').pop()!) as {
        ms: number;
        epochsReplayed: number;
        bytesRead: number;
      };
    };
    const first = recover(true);
    const later = recover(false);
    return {
      rows: RECOVERY_ROWS,
      stateBytes: bytes,
      recoveryMs: first.ms,
      groups: 100_000,
      epochsReplayed: first.epochsReplayed,
      recoveryAfterHistoryMs: later.ms,
      stateBytesAfterHistory: later.bytesRead,
      ...stall,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A checkpoint of the whole state while one client goes on inserting single rows: the
 * longest the event loop was held (a 1 ms probe) and the slowest acknowledged insert.
 */
async function checkpointStall(
  s: ReturnType<Database['connect']>,
  durability: Durability,
): Promise<Record<string, number>> {
  let last = performance.now();
  let longestGap = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - last);
    last = now;
  }, 1);
  const t0 = performance.now();
  let done = false;
  const checkpoint = durability.checkpoint().then(() => {
    done = true;
  });
  const latencies: number[] = [];
  for (let i = 0; !done; i++) {
    const started = performance.now();
    s.execute(`INSERT INTO e VALUES (${-1 - i}, 1, 1.0, 'during')`);
    await durability.waitDurable();
    latencies.push(performance.now() - started);
  }
  await checkpoint;
  const checkpointMs = performance.now() - t0;
  clearInterval(probe);
  latencies.sort((a, b) => a - b);
  return {
    checkpointMs: Math.round(checkpointMs),
    checkpointLongestGapMs: Math.round(longestGap),
    insertsDuringCheckpoint: latencies.length,
    insertMaxMsDuringCheckpoint: Math.round(latencies[latencies.length - 1] ?? 0),
    insertP50MsDuringCheckpoint: Math.round(pct(latencies, 50)),
  };
}

async function amplification(): Promise<Record<string, number>> {
  const store = new MemoryObjectStore();
  const db = new Database();
  const { durability } = await Durability.open(db, store, { checkpointBytes: 64 * 1024 });
  const s = db.connect();
  s.execute('CREATE TABLE k (id INT PRIMARY KEY, v BIGINT, note VARCHAR)');
  s.execute(
    'CREATE MATERIALIZED VIEW mv AS SELECT v % 10 AS b, count(*) AS n FROM k GROUP BY v % 10',
  );
  const values = Array.from({ length: 10_000 }, (_, i) => `(${i}, ${i}, 'row ${i}')`);
  s.execute(`INSERT INTO k VALUES ${values.join(', ')}`);
  await durability.waitDurable();
  const stored = (): number => [...store.objects.values()].reduce((n, o) => n + o.length, 0);
  let worst = 0;
  let sum = 0;
  let samples = 0;
  let live = 0;
  for (let e = 1; e <= EPOCHS; e++) {
    // One second of updates: 20 random rows rewritten.
    const ids = Array.from({ length: 20 }, () => Math.floor(Math.random() * 10_000));
    s.execute(`UPDATE k SET v = v + 1, note = note || '' WHERE id IN (${ids.join(', ')})`);
    await durability.waitDurable();
    if (e % 60 === 0) {
      // Live state: the size of a fresh checkpoint of the same state (made on a copy).
      const copy = new MemoryObjectStore();
      for (const [n, o] of store.objects) copy.objects.set(n, o);
      await (await Durability.open(new Database(), copy)).durability.close();
      live = [...copy.objects.entries()]
        .filter(([n]) => n.startsWith('checkpoint/'))
        .reduce((n, [, o]) => n + o.length, 0);
      const ratio = stored() / live;
      worst = Math.max(worst, ratio);
      sum += ratio;
      samples++;
    }
  }
  return {
    epochs: EPOCHS,
    liveBytes: live,
    worstRatio: +worst.toFixed(2),
    meanRatio: +(sum / samples).toFixed(2),
  };
}

const latency: LatencyResult[] = [];
const folder = mkdtempSync(join(tmpdir(), 'sluice-bench-folder-'));
const s3 = await startS3rver({ bucket: 'bench' });
try {
  const s3env = {
    AWS_ENDPOINT_URL: s3.endpoint,
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'us-east-1',
  };
  for (const clients of [1, 50]) {
    latency.push(
      await insertLatency('local folder', ['--data-dir', join(folder, String(clients))], clients),
    );
    latency.push(
      await insertLatency('s3rver', ['--state', `s3://bench/c${clients}`], clients, s3env),
    );
  }
} finally {
  await s3.stop();
  rmSync(folder, { recursive: true, force: true });
}
const rec = await recovery();
const amp = await amplification();
const results = {
  date: new Date().toISOString(),
  seconds: SECONDS,
  latency,
  recovery: rec,
  amplification: amp,
};
mkdirSync(join(repoRoot, 'bench/results'), { recursive: true });
writeFileSync(
  join(repoRoot, 'bench/results/durability.json'),
  JSON.stringify(results, null, 2) + '\n',
);
console.log('| storage | clients | acknowledged inserts/s | p50 ms | p99 ms |');
console.log('| --- | --- | --- | --- | --- |');
for (const l of latency)
  console.log(`| ${l.storage} | ${l.clients} | ${l.rowsPerSec} | ${l.p50ms} | ${l.p99ms} |`);
console.log(
  `\nrecovery: ${rec.rows} rows (${(rec.stateBytes! / 2 ** 20).toFixed(1)} MiB of state) in ${rec.recoveryMs} ms; after more history (every row updated ${Number(process.env.BENCH_HISTORY_ROUNDS ?? 100) / 10} times; ${(rec.stateBytesAfterHistory! / 2 ** 20).toFixed(1)} MiB of state), ${rec.recoveryAfterHistoryMs} ms`,
);
console.log(
  `checkpoint of that state under a single-row insert load: ${rec.checkpointMs} ms, event loop held at most ${rec.checkpointLongestGapMs} ms, ${rec.insertsDuringCheckpoint} inserts acknowledged meanwhile (p50 ${rec.insertP50MsDuringCheckpoint} ms, max ${rec.insertMaxMsDuringCheckpoint} ms)`,
);
console.log(
  `storage amplification after ${amp.epochs} epochs of updates: worst ${amp.worstRatio}×, mean ${amp.meanRatio}× the live state (${amp.liveBytes} bytes)`,
);
