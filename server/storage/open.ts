/**
 * Opens the object store a command line names (`--data-dir DIR` or `--state s3://B/P`) and
 * recovers a database from it.
 */
import { Database } from '../../runtime/engine.js';
import {
  Durability,
  type DurabilityOptions,
  type RecoveryReport,
} from '../../runtime/durability/durability.js';
import type { ObjectStore } from '../../runtime/storage/object-store.js';
import { FolderObjectStore } from './folder-store.js';

export async function openStore(where: { dataDir?: string; state?: string }): Promise<ObjectStore> {
  if (where.state !== undefined) {
    // Loaded only when used: the S3 client is large, and most runs keep state in a folder.
    const { s3StoreFromUrl } = await import('./s3-store.js');
    return s3StoreFromUrl(where.state);
  }
  return FolderObjectStore.open(where.dataDir ?? './sluice-data');
}

/** A database recovered from `store`, recording every statement into it. */
export async function openDurableDatabase(
  store: ObjectStore,
  o: DurabilityOptions = {},
): Promise<{ db: Database; durability: Durability; recovery: RecoveryReport }> {
  const db = new Database();
  const { durability, recovery } = await Durability.open(db, store, o);
  return { db, durability, recovery };
}

/** One line about what recovery found, for the start-up log. */
export function describeRecovery(store: ObjectStore, r: RecoveryReport): string {
  if (r.checkpointEpoch === 0 && r.epochsReplayed === 0)
    return `state in ${store.description} (new)`;
  return (
    `state recovered from ${store.description} in ${r.ms} ms ` +
    `(checkpoint of epoch ${r.checkpointEpoch}: ${r.tables} tables, ${r.rows} rows, ` +
    `${r.viewsRestored} views restored; ` +
    `${r.epochsReplayed} epochs replayed)`
  );
}
