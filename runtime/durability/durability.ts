/**
 * Durability: every statement's effects (catalog changes, table rows) are recorded as it ends
 * and written to an object store as numbered epochs; a statement is acknowledged once the
 * epoch holding it is durable. Statements recorded while an epoch is being written wait for
 * the next one, which takes them all (group commit): under load one storage round trip carries
 * many statements.
 *
 * Checkpoints bound the log: once the log tail is half as large as the last checkpoint (and at
 * least `checkpointBytes`), the state after the epoch being written is snapshotted — the DDL still in
 * effect, every table's live rows and every view's operator state — and written beside the log; a new manifest then names it,
 * and the log it covers is retired. Retired objects (and the manifest before) are deleted
 * once `garbageGraceMs` has passed, so a reader that resolved an older manifest can finish
 * reading; the manifest lists them with the time they were retired, so a restart does not
 * restart their clock. Storage used therefore stays within about twice the live state, plus
 * what was retired within the grace period.
 *
 * Connector offsets (how many events each source and connector table has read) are part of
 * every epoch and checkpoint, written with the rows they produced: after recovery each
 * connector resumes right after the last durable batch, so views see every event once.
 *
 * Recovery (`Durability.open`) loads the newest manifest's checkpoint — tables are filled from
 * their Arrow IPC batches and every view's operators get their saved state back, so no view is
 * recomputed — and replays the log tail through the ordinary statement path, so views are
 * maintained incrementally over the tail only.
 *
 * Storage failures are retried with backoff for as long as they last; a statement waiting
 * longer than `commitTimeoutMs` for its epoch while storage is failing fails with SQLSTATE
 * 58030 (its effects are still written once storage returns); on healthy storage it waits for
 * as long as its write (or a checkpoint ahead of it) takes. Reads never wait for storage.
 */
import {
  Database,
  changesCatalog,
  type ColumnBatch,
  type DdlEffect,
  type RowChange,
  type Session,
} from '../engine.js';
import type { Row } from '../types/value.js';
import { decodeValue, encodeValue, type StateJson } from '../types/state-value.js';
import type { DataType } from '../types/datatype.js';
import type { CreateTableStatement, DropStatement, Statement } from '../sql/ast.js';
import { parseStatements } from '../sql/parser.js';
import { printStatement } from '../sql/print.js';
import { SqlError, SqlState } from '../errors.js';
import { decodeFrame, encodeFrame, isTornFrame } from '../storage/frame.js';
import {
  batchToRows,
  columnsToBatch,
  rowsToBatch,
  rowsToColumns,
  schemaOf,
  valuesToColumn,
} from '../storage/arrow-codec.js';
import type { RecordBatch } from 'apache-arrow';
import type { StateRows } from '../stream/executor.js';
import { exactRowKey } from '../stream/multiset.js';
import type { RowId } from '../storage/table-store.js';
import {
  retrying,
  storageError,
  type ObjectStore,
  type RetryOptions,
} from '../storage/object-store.js';
import {
  CHECKPOINT,
  LOG,
  MANIFEST,
  batchesToIpc,
  checkpointName,
  ipcToBatches,
  logName,
  manifestName,
  nameNumber,
  type CheckpointHeader,
  type DdlRecord,
  type EpochHeader,
  type LogRecord,
  type ManifestHeader,
  type RetiredObject,
  type RowsRecord,
  type ViewStateRecord,
} from './format.js';

export interface DurabilityOptions {
  /** Smallest log tail (bytes) that triggers a checkpoint; default 8 MiB. */
  checkpointBytes?: number;
  /** How long a statement waits for its epoch, while storage fails, before 58030; default 30 s. */
  commitTimeoutMs?: number;
  retry?: RetryOptions;
  /** Told of storage trouble and recovery (one line each). */
  log?: (line: string) => void;
  /** How long objects no manifest names are kept before deletion; default 30 s. */
  garbageGraceMs?: number;
  /** Wall-clock milliseconds (injectable for tests); default `Date.now`. */
  clock?: () => number;
}

export interface RecoveryReport {
  checkpointEpoch: number;
  epochsReplayed: number;
  tables: number;
  rows: number;
  /** Materialized views whose operator state the checkpoint restored (not rebuilt). */
  viewsRestored: number;
  bytesRead: number;
  ms: number;
}

export interface DurabilityStats {
  epochsWritten: number;
  bytesWritten: number;
  checkpoints: number;
  /** Bytes of the live checkpoint and of the log after it. */
  checkpointBytes: number;
  logBytes: number;
  /** Set while storage writes are failing (the last error). */
  storageError: string | null;
}

type Pending =
  | { k: 'ddl'; rec: DdlRecord }
  | { k: 'rows'; table: number; types: DataType[]; names: string[]; ops: string[]; rows: Row[] }
  | { k: 'batches'; table: number; types: DataType[]; names: string[]; batches: ColumnBatch[] };

interface Waiter {
  seq: number;
  resolve: () => void;
  reject: (e: unknown) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class Durability {
  private pending: Pending[] = [];
  /** Connector offsets moved by the statements in `pending` (written with their epoch). */
  private pendingOffsets = new Map<number, number>();
  private recordedSeq = 0;
  private durableSeq = 0;
  private waiters: Waiter[] = [];
  private loop: Promise<void> | null = null;
  private checkpointing: Promise<void> | null = null;
  private failure: unknown = null;
  /** DDL records still in effect, in order (what a checkpoint replays). */
  private ddlHistory: DdlRecord[] = [];
  /** Log epochs written after the live checkpoint. */
  private liveLog: { epoch: number; bytes: number }[] = [];
  private readonly opts: Required<Omit<DurabilityOptions, 'retry' | 'log'>> &
    Pick<DurabilityOptions, 'retry' | 'log'>;
  /** Objects the live manifest lists as retired and not yet deleted. */
  private retired: RetiredObject[];
  private garbageTimer: ReturnType<typeof setTimeout> | null = null;
  private collecting: Promise<void> | null = null;
  private closed = false;
  /** Callers of `checkpoint()`, given the write of the checkpoint that serves them. */
  private wanted: ((run: Promise<void>) => void)[] = [];
  readonly stats: DurabilityStats = {
    epochsWritten: 0,
    bytesWritten: 0,
    checkpoints: 0,
    checkpointBytes: 0,
    logBytes: 0,
    storageError: null,
  };

  private constructor(
    readonly db: Database,
    readonly store: ObjectStore,
    private manifest: ManifestHeader,
    private nextEpoch: number,
    o: DurabilityOptions,
  ) {
    this.opts = {
      checkpointBytes: o.checkpointBytes ?? 8 << 20,
      commitTimeoutMs: o.commitTimeoutMs ?? 30_000,
      retry: o.retry,
      log: o.log,
      garbageGraceMs: o.garbageGraceMs ?? 30_000,
      clock: o.clock ?? Date.now,
    };
    this.retired = manifest.retired?.slice() ?? [];
  }

  /**
   * Recovers `db` (which must be empty) from `store` and starts recording its statements.
   */
  static async open(
    db: Database,
    store: ObjectStore,
    o: DurabilityOptions = {},
  ): Promise<{ durability: Durability; recovery: RecoveryReport }> {
    const started = Date.now();
    const read = async (name: string): Promise<Uint8Array> => {
      const bytes = await retrying(() => store.get(name), o.retry);
      if (!bytes) throw new SqlError(SqlState.dataCorrupted, `stored object "${name}" is missing`);
      report.bytesRead += bytes.length;
      return bytes;
    };
    const report: RecoveryReport = {
      checkpointEpoch: 0,
      epochsReplayed: 0,
      tables: 0,
      rows: 0,
      viewsRestored: 0,
      bytesRead: 0,
      ms: 0,
    };
    const manifests = await retrying(() => store.list(MANIFEST), o.retry);
    let manifest: ManifestHeader = { kind: 'manifest', version: 0, checkpoint: null, epoch: 0 };
    // The newest whole manifest: a torn one is a write that never completed (the files of the
    // one before it are deleted only after a new one is written whole).
    for (let i = manifests.length - 1; i >= 0; i--) {
      const name = manifests[i]!;
      const bytes = await read(name);
      if (isTornFrame(bytes)) {
        o.log?.(`ignoring ${name}: an interrupted write (${bytes.length} bytes)`);
        continue;
      }
      manifest = decodeFrame<ManifestHeader>(name, bytes).header;
      break;
    }
    const d = new Durability(db, store, manifest, manifest.epoch + 1, o);
    const session = db.connect();
    if (manifest.checkpoint) {
      const { header, parts } = decodeFrame<CheckpointHeader>(
        manifest.checkpoint,
        await read(manifest.checkpoint),
      );
      d.stats.checkpointBytes = report.bytesRead;
      const counts = d.restoreCheckpoint(session, header, parts);
      report.tables = counts.tables;
      report.rows = counts.rows;
      report.viewsRestored = counts.views;
      report.checkpointEpoch = header.epoch;
    }
    const tail = (await retrying(() => store.list(LOG), o.retry))
      .map(nameNumber)
      .filter((e) => e > manifest.epoch);
    for (const epoch of tail) {
      if (epoch !== d.nextEpoch)
        throw new SqlError(
          SqlState.dataCorrupted,
          `stored object "${logName(d.nextEpoch)}" is missing (the log continues at ${logName(epoch)})`,
        );
      const name = logName(epoch);
      const bytes = await read(name);
      if (epoch === tail[tail.length - 1] && isTornFrame(bytes)) {
        // The last epoch's write was interrupted, so no statement in it was acknowledged.
        o.log?.(`discarding ${name}: an interrupted write (${bytes.length} bytes)`);
        await retrying(() => store.delete(name), o.retry);
        break;
      }
      const { header, parts } = decodeFrame<EpochHeader>(name, bytes);
      d.replayEpoch(session, header.records, parts);
      for (const [id, offset] of header.offsets ?? []) db.seekConnector(id, offset);
      d.liveLog.push({ epoch, bytes: bytes.length });
      d.stats.logBytes += bytes.length;
      d.nextEpoch = epoch + 1;
      report.epochsReplayed++;
    }
    await d.removeGarbage(manifests);
    // Views that read the clock move on from the time they were saved at.
    db.advanceTime();
    db.commitLog = d;
    report.ms = Date.now() - started;
    return { durability: d, recovery: report };
  }

  // ---- recording -------------------------------------------------------------------------

  record(
    rows: ReadonlyMap<number, readonly RowChange[]>,
    batches: ReadonlyMap<number, readonly ColumnBatch[]>,
    ddl: DdlEffect | undefined,
    offsets?: ReadonlyMap<number, number>,
  ): void {
    let recorded = false;
    // An epoch holds each connector's offset after its last batch in the epoch: its rows and
    // its offset are durable together.
    for (const [id, offset] of offsets ?? []) {
      this.pendingOffsets.set(id, offset);
      recorded = true;
    }
    if (ddl) {
      const rec = ddlRecord(ddl);
      this.pending.push({ k: 'ddl', rec });
      this.ddlHistory.push(rec);
      recorded = true;
    }
    for (const [table, changes] of rows) {
      if (changes.length === 0) continue;
      // Consecutive row changes of one table share a record, across statements too.
      const last = this.pending[this.pending.length - 1];
      let p: Extract<Pending, { k: 'rows' }>;
      if (last?.k === 'rows' && last.table === table) p = last;
      else {
        p = { k: 'rows', table, ...this.schemaOf(table), ops: [], rows: [] };
        this.pending.push(p);
      }
      for (const c of changes) {
        p.ops.push(c.op);
        p.rows.push(c.row);
      }
      recorded = true;
    }
    for (const [table, list] of batches)
      if (list.length > 0) {
        this.pending.push({ k: 'batches', table, ...this.schemaOf(table), batches: [...list] });
        recorded = true;
      }
    if (!recorded) return;
    this.recordedSeq++;
    // Started after the current task, so statements of other sessions queued behind it join
    // the epoch being formed while a write is in flight.
    void Promise.resolve().then(() => this.kick());
  }

  private schemaOf(table: number): { types: DataType[]; names: string[] } {
    const cols = this.columnsOf(table);
    return { types: cols.map((c) => c.type), names: cols.map((c) => c.name) };
  }

  /** A table's stored columns, or a source's (whose rows the log holds, stored nowhere else). */
  private columnsOf(table: number): { name: string; type: DataType }[] {
    const store = this.db.tableStores.get(table);
    if (store) return store.columns;
    const rel = this.db.catalog.byId(table);
    if (rel?.kind !== 'source')
      throw new SqlError(SqlState.internalError, `no storage for relation ${table}`);
    return rel.columns;
  }

  /**
   * Resolves once every statement recorded so far is durable; rejects with 58030 after
   * `commitTimeoutMs` while storage is failing.
   */
  waitDurable(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const seq = this.recordedSeq;
    if (this.durableSeq >= seq) return Promise.resolve();
    this.kick();
    return new Promise<void>((resolve, reject) => {
      const expire = (): void => {
        // While storage has reported no error, a long wait is a large write or a checkpoint
        // ahead (load, not an outage: stalled requests time out as errors), so it goes on.
        if (this.stats.storageError === null) {
          w.timer = setTimeout(expire, this.opts.commitTimeoutMs);
          return;
        }
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(
          storageError(
            `make the statement durable within ${this.opts.commitTimeoutMs} ms (storage ${this.store.description} keeps failing; the write is retried)`,
            this.stats.storageError ?? 'no answer',
          ),
        );
      };
      const w: Waiter = {
        seq,
        resolve,
        reject,
        timer: setTimeout(expire, this.opts.commitTimeoutMs),
      };
      this.waiters.push(w);
    });
  }

  /** How many statements have recorded effects so far. */
  get recorded(): number {
    return this.recordedSeq;
  }

  /**
   * Checkpoints as soon as it can: with the epoch being formed, or at once when nothing is
   * being written (after any checkpoint in flight). Statements go on meanwhile; their epochs
   * follow the checkpoint. Resolves once the checkpoint is stored and named by a manifest.
   */
  checkpoint(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<void>((taken) => {
      this.wanted.push(taken);
      this.kick();
    });
  }

  /** Writes the checkpoint of `snap` (the state after `epoch`) in the background. */
  private startCheckpoint(epoch: number, snap: Snapshot): void {
    const run = this.writeCheckpoint(epoch, snap);
    for (const w of this.wanted.splice(0)) w(run);
    this.checkpointing = run
      .catch((e: unknown) => this.opts.log?.(`checkpoint of epoch ${epoch} failed: ${String(e)}`))
      .finally(() => {
        this.checkpointing = null;
        this.kick();
      });
  }

  /** Writes everything recorded, checkpoints, and releases the store. */
  async close(): Promise<void> {
    while (this.loop || this.pending.length > 0 || this.pendingOffsets.size > 0) {
      this.kick();
      await this.loop;
    }
    await this.checkpointing;
    if (this.failure) throw this.failure;
    if (this.liveLog.length > 0 || this.wanted.length > 0) {
      const run = this.writeCheckpoint(this.nextEpoch - 1, this.snapshot());
      for (const w of this.wanted.splice(0)) w(run);
      await run;
    }
    // What is not yet due stays listed in the manifest; the next process deletes it.
    this.closed = true;
    if (this.garbageTimer) clearTimeout(this.garbageTimer);
    await this.collecting;
    this.db.commitLog = undefined;
    await this.store.close?.();
  }

  private kick(): void {
    if (this.loop || this.failure) return;
    if (this.pending.length === 0 && this.pendingOffsets.size === 0) {
      // Nothing to write: a wanted checkpoint is of the state as it is now.
      if (this.wanted.length > 0 && !this.checkpointing)
        this.startCheckpoint(this.nextEpoch - 1, this.snapshot());
      return;
    }
    this.loop = this.writeLoop()
      .catch((e: unknown) => {
        // Not a storage outage (those are retried): state can no longer be made durable.
        this.failure = e;
        for (const w of this.waiters.splice(0)) {
          clearTimeout(w.timer);
          w.reject(e);
        }
        for (const w of this.wanted.splice(0)) w(Promise.reject(e));
        this.opts.log?.(`durability stopped: ${e instanceof Error ? e.message : String(e)}`);
      })
      .finally(() => {
        this.loop = null;
        this.kick();
      });
  }

  private async writeLoop(): Promise<void> {
    while (this.pending.length > 0 || this.pendingOffsets.size > 0) {
      // While a checkpoint is encoded and written, the log grows; past three quarters of a
      // checkpoint, the next epoch waits for it, so storage stays within about twice the
      // live state however fast statements come (they gather into that one epoch meanwhile).
      if (
        this.checkpointing &&
        this.stats.logBytes >=
          Math.max(this.opts.checkpointBytes, this.stats.checkpointBytes * 0.75)
      )
        await this.checkpointing;
      const records = this.pending;
      this.pending = [];
      const offsets = [...this.pendingOffsets];
      this.pendingOffsets = new Map();
      const seq = this.recordedSeq;
      const epoch = this.nextEpoch++;
      const bytes = this.encodeEpoch(epoch, records, offsets);
      // The snapshot is taken now, when the state is exactly that after `epoch`.
      const due =
        !this.checkpointing &&
        (this.wanted.length > 0 ||
          this.stats.logBytes + bytes.length >=
            Math.max(this.opts.checkpointBytes, this.stats.checkpointBytes / 2));
      const snapshot = due ? this.snapshot() : null;
      await this.put(logName(epoch), bytes);
      this.liveLog.push({ epoch, bytes: bytes.length });
      this.stats.epochsWritten++;
      this.stats.logBytes += bytes.length;
      this.durableSeq = seq;
      this.settle();
      if (snapshot) this.startCheckpoint(epoch, snapshot);
    }
  }

  private settle(): void {
    this.waiters = this.waiters.filter((w) => {
      if (w.seq > this.durableSeq) return true;
      clearTimeout(w.timer);
      w.resolve();
      return false;
    });
  }

  private async put(name: string, bytes: Uint8Array): Promise<void> {
    await retrying(() => this.store.put(name, bytes), {
      ...this.opts.retry,
      onRetry: (e, attempt) => {
        this.stats.storageError = e instanceof Error ? e.message : String(e);
        if (attempt === 1 || attempt % 20 === 0)
          this.opts.log?.(
            `storage ${this.store.description}: writing ${name} failed (attempt ${attempt}), retrying: ${this.stats.storageError}`,
          );
      },
    });
    if (this.stats.storageError !== null) {
      this.stats.storageError = null;
      this.opts.log?.(`storage ${this.store.description}: writes succeed again`);
    }
    this.stats.bytesWritten += bytes.length;
  }

  private encodeEpoch(epoch: number, pending: Pending[], offsets: [number, number][]): Uint8Array {
    const parts: Uint8Array[] = [];
    const records: LogRecord[] = pending.map((p): LogRecord => {
      if (p.k === 'ddl') return p.rec;
      const schema = schemaOf(p.names.map((name, i) => ({ name, type: p.types[i]! })));
      const batches =
        p.k === 'rows'
          ? [rowsToBatch(schema, p.types, p.rows)]
          : p.batches.map((b) => columnsToBatch(schema, b.columns, b.length));
      const rec: RowsRecord = { k: 'rows', table: p.table, part: parts.length };
      if (p.k === 'rows') rec.ops = p.ops.join('');
      parts.push(batchesToIpc(batches));
      return rec;
    });
    const header: EpochHeader = { kind: 'epoch', epoch, records };
    if (offsets.length > 0) header.offsets = offsets;
    return encodeFrame(header, parts);
  }

  // ---- checkpoints -----------------------------------------------------------------------

  /**
   * The current state, captured synchronously so it is exactly the state after one epoch:
   * the checkpoint's header and what its parts hold. Table batches and state rows are never
   * changed in place, so encoding them can wait (`encodeParts`) while statements go on.
   */
  private snapshot(): Snapshot {
    const live = new Set([...this.db.catalog.relations.values()].map((r) => r.id));
    this.ddlHistory = this.ddlHistory.filter((r) => r.relationIds.every((id) => live.has(id)));
    const parts: PartSource[] = [];
    const tables: CheckpointHeader['tables'] = [];
    for (const [id, store] of this.db.tableStores) {
      if (store.rowCount === 0) continue;
      tables.push({ id, part: parts.length });
      parts.push(store.liveBatches());
    }
    const views: ViewStateRecord[] = [];
    for (const [id, flow] of this.db.graph.views) {
      const nodes: ViewStateRecord['nodes'] = [];
      flow.nodes.forEach((n, node) => {
        const state = n.exec.saveState?.();
        if (!state) return;
        const tables = state.tables.map((t) => {
          if (t.rows.length === 0) return { part: -1, types: t.types };
          parts.push(t);
          return { part: parts.length - 1, types: t.types };
        });
        nodes.push({ node, meta: state.meta, tables });
      });
      views.push({ id, layout: flow.nodes.map((n) => n.exec.name), nodes });
    }
    return {
      header: {
        kind: 'checkpoint',
        nextRelationId: this.db.catalog.nextRelationId,
        ddl: this.ddlHistory.slice(),
        tables,
        views,
        ...(this.db.tableWatermarks.size > 0 && {
          watermarks: [...this.db.tableWatermarks].map(([id, v]): [number, StateJson] => [
            id,
            encodeValue(v),
          ]),
        }),
        offsets: this.db.connectorOffsets(),
      },
      parts,
    };
  }

  private async writeCheckpoint(epoch: number, snap: Snapshot): Promise<void> {
    const name = checkpointName(epoch);
    const parts = await encodeParts(snap.parts);
    const bytes = encodeFrame({ ...snap.header, epoch } satisfies CheckpointHeader, parts);
    await this.put(name, bytes);
    const old = this.manifest;
    // What the new manifest no longer names; no reader of it needs these.
    const at = this.opts.clock();
    const dead = this.liveLog.filter((e) => e.epoch <= epoch).map((e) => logName(e.epoch));
    if (old.version > 0) dead.push(manifestName(old.version));
    if (old.checkpoint) dead.push(old.checkpoint);
    const retired = [...this.retired, ...dead.map((n) => ({ name: n, at }))];
    const manifest: ManifestHeader = {
      kind: 'manifest',
      version: old.version + 1,
      checkpoint: name,
      epoch,
      retired,
    };
    await this.put(manifestName(manifest.version), encodeFrame(manifest));
    this.manifest = manifest;
    this.retired = retired;
    this.stats.checkpoints++;
    this.stats.checkpointBytes = bytes.length;
    this.liveLog = this.liveLog.filter((e) => e.epoch > epoch);
    this.stats.logBytes = this.liveLog.reduce((n, e) => n + e.bytes, 0);
    await this.collectGarbage();
  }

  /**
   * Deletes the retired objects whose grace period has passed, and sets a timer for the next
   * one. Runs after each checkpoint and by that timer; calls overlap into one.
   */
  collectGarbage(): Promise<void> {
    this.collecting ??= this.deleteDue().finally(() => {
      this.collecting = null;
    });
    return this.collecting;
  }

  private async deleteDue(): Promise<void> {
    if (this.garbageTimer) clearTimeout(this.garbageTimer);
    this.garbageTimer = null;
    const grace = this.opts.garbageGraceMs;
    const now = this.opts.clock();
    for (const r of this.retired.filter((x) => x.at + grace <= now)) {
      await retrying(() => this.store.delete(r.name), this.opts.retry);
      this.retired = this.retired.filter((x) => x !== r);
    }
    if (this.closed || this.retired.length === 0) return;
    const next = Math.min(...this.retired.map((x) => x.at + grace));
    const timer = setTimeout(
      () => {
        void this.collectGarbage().catch((e: unknown) =>
          this.opts.log?.(`deleting retired objects failed: ${String(e)}`),
        );
      },
      Math.max(0, next - this.opts.clock()),
    );
    // A pending deletion never keeps a Node process alive.
    (timer as { unref?: () => void }).unref?.();
    this.garbageTimer = timer;
  }

  /**
   * Deletes objects a crash left behind that no reader can be using — a checkpoint whose
   * manifest was never written, covered log a manifest of the old format retired — and
   * collects the retired objects that are due.
   */
  private async removeGarbage(manifests: string[]): Promise<void> {
    const keep = new Set([manifestName(this.manifest.version)]);
    if (this.manifest.checkpoint) keep.add(this.manifest.checkpoint);
    for (const r of this.retired) keep.add(r.name);
    const names = [
      ...manifests,
      ...(await retrying(() => this.store.list(CHECKPOINT), this.opts.retry)),
      ...(await retrying(() => this.store.list(LOG), this.opts.retry)).filter(
        (n) => nameNumber(n) <= this.manifest.epoch,
      ),
    ];
    for (const n of names)
      if (!keep.has(n)) await retrying(() => this.store.delete(n), this.opts.retry);
    await this.collectGarbage();
  }

  // ---- replay ----------------------------------------------------------------------------

  private restoreCheckpoint(
    session: Session,
    header: CheckpointHeader,
    parts: Uint8Array[],
  ): { tables: number; rows: number; views: number } {
    const tableParts = new Map(header.tables.map((t) => [t.id, parts[t.part]!]));
    const viewStates = new Map((header.views ?? []).map((v) => [v.id, v]));
    // Before any view is built: a view rebuilt from its inputs closes windows up to them.
    for (const [id, v] of header.watermarks ?? []) this.db.tableWatermarks.set(id, decodeValue(v));
    let restored = 0;
    this.db.restoreViewState = (id, nodes, env) => {
      const saved = viewStates.get(id);
      // A dataflow planned differently from the saved one is built from its inputs instead.
      if (!saved || saved.layout.join() !== nodes.map((n) => n.exec.name).join()) return false;
      for (const s of saved.nodes) {
        const exec = nodes[s.node]!.exec;
        if (!exec.loadState)
          throw new SqlError(
            SqlState.dataCorrupted,
            `checkpoint ${checkpointName(header.epoch)} holds state for ${exec.name}, which keeps none`,
          );
        const tables = s.tables.map((t) => ({
          types: t.types,
          rows:
            t.part < 0 ? [] : ipcToBatches(parts[t.part]!).flatMap((b) => batchToRows(b, t.types)),
        }));
        exec.loadState({ meta: s.meta, tables }, env);
      }
      restored++;
      return true;
    };
    let rows = 0;
    try {
      this.restoreDdl(session, header, tableParts, (n) => (rows += n));
    } finally {
      this.db.restoreViewState = undefined;
    }
    for (const [id, offset] of header.offsets ?? []) this.db.seekConnector(id, offset);
    if (tableParts.size > 0)
      throw new SqlError(
        SqlState.dataCorrupted,
        `checkpoint ${checkpointName(header.epoch)} holds rows of tables its catalog does not create (${[...tableParts.keys()].join(', ')})`,
      );
    this.db.catalog.nextRelationId = header.nextRelationId;
    return { tables: header.tables.length, rows, views: restored };
  }

  /** Replays a checkpoint's DDL, filling each table as soon as it exists. */
  private restoreDdl(
    session: Session,
    header: CheckpointHeader,
    tableParts: Map<number, Uint8Array>,
    counted: (rows: number) => void,
  ): void {
    for (const rec of header.ddl) {
      this.replayDdl(session, rec);
      // A table is filled as soon as it exists, before any view over it is built.
      for (const id of rec.relationIds) {
        const part = tableParts.get(id);
        if (!part || !this.db.tableStores.has(id)) continue;
        tableParts.delete(id);
        const store = this.db.store(id);
        const types = store.columns.map((c) => c.type);
        for (const b of ipcToBatches(part)) {
          if (store.primaryKey.length === 0) store.appendColumns(b.data.children, b.numRows);
          else for (const row of batchToRows(b, types)) store.insert(row);
          counted(b.numRows);
        }
        store.seal();
      }
    }
  }

  private replayEpoch(session: Session, records: LogRecord[], parts: Uint8Array[]): void {
    let group: RowsRecord[] = [];
    const flush = (): void => {
      if (group.length > 0) this.replayRows(session, group, parts);
      group = [];
    };
    for (const rec of records) {
      if (rec.k === 'rows') group.push(rec);
      else {
        flush();
        this.replayDdl(session, rec);
      }
    }
    flush();
  }

  private replayDdl(session: Session, rec: DdlRecord): void {
    session.settings.timeZone = rec.timeZone;
    session.settings.vars.clear();
    for (const [k, v] of rec.vars) session.settings.vars.set(k, v);
    this.db.catalog.nextRelationId = rec.firstId;
    const [stmt] = parseStatements(rec.sql);
    if (!stmt) throw new SqlError(SqlState.dataCorrupted, `empty DDL record in the log`);
    session.executeStatement(replayForm(stmt), rec.sql);
    this.ddlHistory.push(rec);
  }

  /** Applies row changes as one statement; deleted rows are found by their exact values. */
  private replayRows(session: Session, recs: RowsRecord[], parts: Uint8Array[]): void {
    const db = this.db;
    session.applyChanges(() => {
      // Per table without a primary key: exact row → ids holding it (built on first delete).
      const byValue = new Map<number, Map<string, RowId[]>>();
      for (const rec of recs) {
        const batches = ipcToBatches(parts[rec.part]!);
        if (!db.tableStores.has(rec.table)) {
          // A source's rows: they reach its views again, and are stored nowhere.
          const types = this.columnsOf(rec.table).map((c) => c.type);
          db.replaySourceRows(
            rec.table,
            batches.flatMap((b) => batchToRows(b, types)),
          );
          continue;
        }
        const store = db.store(rec.table);
        const types = store.columns.map((c) => c.type);
        if (rec.ops === undefined) {
          db.appendBatches(
            rec.table,
            batches.map((b) => ({ columns: b.data.children, length: b.numRows })),
          );
          byValue.delete(rec.table);
          continue;
        }
        const rows = batches.flatMap((b) => batchToRows(b, types));
        const index = (): Map<string, RowId[]> => {
          let m = byValue.get(rec.table);
          if (!m) {
            m = new Map();
            const { ids, rows: live } = store.scan();
            live.forEach((r, i) => push(m!, exactRowKey(r, types), ids[i]!));
            byValue.set(rec.table, m);
          }
          return m;
        };
        const pk = store.primaryKey.length > 0;
        for (let i = 0; i < rows.length; i++) {
          const row = rows[i]!;
          if (rec.ops[i] === '+') {
            const id = db.insertRow(rec.table, row);
            if (!pk) {
              const m = byValue.get(rec.table);
              if (m) push(m, exactRowKey(row, types), id);
            }
            continue;
          }
          const id = pk ? store.findByKey(row) : index().get(exactRowKey(row, types))?.pop();
          if (id === undefined)
            throw new SqlError(
              SqlState.dataCorrupted,
              `log replay: a deleted row of relation ${rec.table} is not in the table`,
            );
          db.deleteRow(rec.table, id);
        }
      }
    });
  }
}

/** What a checkpoint part holds: a table's live batches, or a set of operator state rows. */
type PartSource = RecordBatch[] | StateRows;

interface Snapshot {
  header: Omit<CheckpointHeader, 'epoch'>;
  parts: PartSource[];
}

/** State rows encoded per slice; the event loop gets a turn once a slice has run long. */
const STATE_SLICE = 16_384;
const TURN_MS = 8;

/**
 * Encodes a snapshot's parts as Arrow IPC. Work is cut into slices, and after about `TURN_MS`
 * of it the event loop gets a turn, so statements go on while a large checkpoint is encoded
 * (a small one is encoded at once).
 */
async function encodeParts(sources: PartSource[]): Promise<Uint8Array[]> {
  let since = performance.now();
  const turn = async (): Promise<void> => {
    if (performance.now() - since < TURN_MS) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
    since = performance.now();
  };
  const parts: Uint8Array[] = [];
  for (const src of sources) {
    if (Array.isArray(src)) parts.push(batchesToIpc(src));
    else {
      const batches: RecordBatch[] = [];
      for (let from = 0; from < src.rows.length; from += STATE_SLICE) {
        batches.push(stateBatch(src, from, Math.min(src.rows.length, from + STATE_SLICE)));
        await turn();
      }
      parts.push(batchesToIpc(batches));
    }
    await turn();
  }
  return parts;
}

/** Rows `from..to` of a state table, its extra columns after the rows' own. */
function stateBatch(t: StateRows, from: number, to: number): RecordBatch {
  const extra = t.extra ?? [];
  const width = t.types.length - extra.length;
  const columns = [
    ...rowsToColumns(t.types.slice(0, width), t.rows.slice(from, to)),
    ...extra.map((values, j) =>
      valuesToColumn(
        t.types[width + j]!,
        Array.from({ length: to - from }, (_, i) => values[from + i]!),
      ),
    ),
  ];
  const names = t.types.map((type, c) => ({ name: `c${c}`, type }));
  return columnsToBatch(schemaOf(names), columns, to - from);
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

function ddlRecord(e: DdlEffect): DdlRecord {
  return {
    k: 'ddl',
    sql: printStatement(e.statement),
    timeZone: e.timeZone,
    vars: e.vars,
    firstId: e.firstId,
    relationIds: e.relationIds,
  };
}

/**
 * The form a logged DDL statement is replayed in: `CREATE TABLE ... AS SELECT` creates the
 * table empty (its rows follow in the log), and a DROP tolerates an object whose creation a
 * checkpoint left out.
 */
function replayForm(stmt: Statement): Statement {
  if (!changesCatalog(stmt))
    throw new SqlError(SqlState.dataCorrupted, 'a logged DDL record is not DDL');
  if (stmt.kind === 'createTable' && stmt.asQuery)
    return {
      ...stmt,
      asQuery: {
        ...stmt.asQuery,
        limit: { kind: 'literal', value: { kind: 'number', text: '0' } },
      },
    } satisfies CreateTableStatement;
  if (stmt.kind === 'drop') return { ...stmt, ifExists: true } satisfies DropStatement;
  return stmt;
}
