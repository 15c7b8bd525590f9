/**
 * Load benchmark of `sluice serve` over the PostgreSQL wire protocol: N concurrent `pg` clients
 * (default 50) each insert rows and query for a fixed time (default 30 s) against a server
 * process on a loopback port. Every client checks read-your-writes on a materialized view after
 * its inserts; at the end the table and the view must hold exactly the rows acknowledged (no
 * lost or doubled row) and no statement may have failed. Statement latencies (p50/p99) go to
 * bench/results/pgwire-load.json and stdout as a markdown table.
 *
 *   npx tsx bench/pgwire-load.ts [--clients N] [--seconds S]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
  return v;
}

const CLIENTS = option('clients', 50);
const SECONDS = option('seconds', 30);
/** The whole run is abandoned (and fails) if it overruns its time by this much. */
const GRACE_MS = 60_000;

/** Starts `sluice serve` on ephemeral loopback ports; resolves once it listens. */
async function startServer(): Promise<{ proc: ChildProcess; port: number; output: () => string }> {
  // A fresh folder per run: state is durable, and the run starts from an empty database.
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-bench-'));
  const script = `const { main } = await import(${JSON.stringify(join(repoRoot, 'server/cli.ts'))});
process.exitCode = await main(['serve', '--host', '127.0.0.1', '--port', '0', '--http-port', '0', '--data-dir', ${JSON.stringify(dataDir)}]);`;
  const proc = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const m = /PostgreSQL protocol on [^ ]+:(\d+),/.exec(out);
    if (m) return { proc, port: Number(m[1]), output: () => out };
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill();
      throw new Error(`sluice serve did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

type Kind = 'insert' | 'view point query' | 'table aggregate query';

interface ClientStats {
  inserted: number;
  latencies: Map<Kind, number[]>;
  errors: string[];
}

async function runClient(port: number, id: number, until: number): Promise<ClientStats> {
  const stats: ClientStats = { inserted: 0, latencies: new Map(), errors: [] };
  const c = new pg.Client({ host: '127.0.0.1', port, user: 'root', database: 'dev' });
  c.on('error', (e) => stats.errors.push(`client ${id}: ${e.message}`));
  await c.connect();
  const timed = async <R>(kind: Kind, f: () => Promise<R>): Promise<R> => {
    const t = performance.now();
    const r = await f();
    const ms = performance.now() - t;
    const list = stats.latencies.get(kind);
    if (list) list.push(ms);
    else stats.latencies.set(kind, [ms]);
    return r;
  };
  try {
    for (let seq = 1; Date.now() < until; seq++) {
      await timed('insert', () =>
        c.query('insert into load_events values ($1, $2, $3)', [id, seq, seq % 97]),
      );
      stats.inserted++;
      // Read your writes: the view reflects the insert as soon as it returns.
      const r = await timed('view point query', () =>
        c.query<{ n: string }>('select n from load_counts where client = $1', [id]),
      );
      const n = Number(r.rows[0]?.n ?? 0);
      if (n !== stats.inserted)
        stats.errors.push(`client ${id}: view shows ${n} rows after ${stats.inserted} inserts`);
      if (seq % 10 === 0) {
        const t = await timed('table aggregate query', () =>
          c.query<{ n: string }>('select count(*) as n from load_events where client = $1', [id]),
        );
        if (Number(t.rows[0]?.n) !== stats.inserted)
          stats.errors.push(`client ${id}: table shows ${t.rows[0]?.n} rows, expected ${seq}`);
      }
    }
  } catch (e) {
    stats.errors.push(`client ${id}: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    await c.end().catch(() => undefined);
  }
  return stats;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

async function main(): Promise<number> {
  const server = await startServer();
  const watchdog = setTimeout(
    () => {
      console.error(`pgwire-load: overran ${SECONDS}s by ${GRACE_MS / 1000}s; aborting`);
      server.proc.kill('SIGKILL');
      process.exit(1);
    },
    SECONDS * 1000 + GRACE_MS,
  );
  try {
    const admin = new pg.Client({
      host: '127.0.0.1',
      port: server.port,
      user: 'root',
      database: 'dev',
    });
    await admin.connect();
    await admin.query('create table load_events (client int, seq int, v int)');
    await admin.query(
      'create materialized view load_counts as select client, count(*) as n, sum(v) as s from load_events group by client',
    );
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) =>
        runClient(server.port, i + 1, started + SECONDS * 1000),
      ),
    );
    const elapsed = (Date.now() - started) / 1000;

    const errors = results.flatMap((r) => r.errors);
    const inserted = results.reduce((n, r) => n + r.inserted, 0);
    const total = await admin.query<{ n: string }>('select count(*) as n from load_events');
    const view = await admin.query<{ client: number; n: string }>(
      'select client, n from load_counts order by client',
    );
    await admin.end();
    if (Number(total.rows[0]!.n) !== inserted)
      errors.push(`table holds ${total.rows[0]!.n} rows, ${inserted} inserts were acknowledged`);
    for (let i = 0; i < CLIENTS; i++) {
      const row = view.rows.find((r) => Number(r.client) === i + 1);
      if (Number(row?.n ?? 0) !== results[i]!.inserted)
        errors.push(
          `view counts ${row?.n ?? 0} rows of client ${i + 1}, expected ${results[i]!.inserted}`,
        );
    }

    const kinds: Kind[] = ['insert', 'view point query', 'table aggregate query'];
    const all = results.flatMap((r) => kinds.flatMap((k) => r.latencies.get(k) ?? []));
    const rows = [
      ...kinds.map((k) => [k, results.flatMap((r) => r.latencies.get(k) ?? [])] as const),
      ['all statements', all] as const,
    ].map(([kind, list]) => {
      const sorted = [...list].sort((a, b) => a - b);
      return {
        statement: kind,
        count: sorted.length,
        p50_ms: round(percentile(sorted, 50)),
        p99_ms: round(percentile(sorted, 99)),
        max_ms: round(sorted[sorted.length - 1] ?? NaN),
      };
    });
    const report = {
      benchmark: 'pgwire-load',
      clients: CLIENTS,
      seconds: round(elapsed),
      statements: all.length,
      statements_per_second: round(all.length / elapsed),
      rows_inserted: inserted,
      errors: errors.length,
      latency: rows,
    };
    mkdirSync(join(repoRoot, 'bench/results'), { recursive: true });
    writeFileSync(
      join(repoRoot, 'bench/results/pgwire-load.json'),
      JSON.stringify(report, null, 2) + '\n',
    );
    console.log(
      `\n### pgwire load: ${CLIENTS} clients, ${round(elapsed)} s, ${all.length} statements ` +
        `(${report.statements_per_second}/s), ${inserted} rows inserted, ${errors.length} errors\n`,
    );
    console.log('| statement | count | p50 (ms) | p99 (ms) | max (ms) |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const r of rows)
      console.log(`| ${r.statement} | ${r.count} | ${r.p50_ms} | ${r.p99_ms} | ${r.max_ms} |`);
    if (errors.length > 0) {
      console.error(`\n${errors.length} errors:\n${errors.slice(0, 20).join('\n')}`);
      return 1;
    }
    return 0;
  } finally {
    clearTimeout(watchdog);
    server.proc.kill('SIGTERM');
    await new Promise((r) =>
      server.proc.exitCode !== null ? r(null) : server.proc.once('exit', r),
    );
  }
}

process.exitCode = await main();
