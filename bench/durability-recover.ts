/**
 * One recovery, timed in a process of its own (so no other database shares its heap), for
 * bench/durability.ts: opens the state in the folder given, prints the time as JSON, then —
 * with `--history` — runs BENCH_HISTORY_ROUNDS (default 100) UPDATEs of a tenth of the rows
 * each, so every row is updated rounds/10 times (the same state size, more history), and
 * closes.
 *   npx tsx bench/durability-recover.ts <dir> [--history]
 */
import { Database } from '../runtime/engine.js';
import { Durability } from '../runtime/durability/durability.js';
import { FolderObjectStore } from '../server/storage/folder-store.js';

const [dir, flag] = process.argv.slice(2);
if (!dir) throw new Error('usage: durability-recover.ts <dir> [--history]');
const t0 = performance.now();
const db = new Database();
const { durability, recovery } = await Durability.open(db, await FolderObjectStore.open(dir));
const ms = performance.now() - t0;
if (flag === '--history') {
  const s = db.connect();
  const rounds = Number(process.env.BENCH_HISTORY_ROUNDS ?? 100);
  for (let r = 0; r < rounds; r++) {
    s.execute(`UPDATE e SET amount = amount + 1 WHERE id % 10 = ${r % 10}`);
    await durability.waitDurable();
  }
}
await durability.close();
console.log(
  JSON.stringify({
    ms: Math.round(ms),
    epochsReplayed: recovery.epochsReplayed,
    bytesRead: recovery.bytesRead,
  }),
);
