/**
 * What durable state is made of, in the object store:
 *
 * - `log/<epoch>`: one epoch's effects, in statement order — catalog changes as SQL text with
 *   the settings they ran in, table row changes (and the rows sources fed their views) as
 *   Arrow IPC streams with their ops — and the connector offsets after it.
 * - `checkpoint/<epoch>`: the state after every epoch up to `<epoch>`: the catalog (the DDL
 *   still in effect, in creation order), every table's live rows as Arrow IPC, every
 *   materialized view's operator state (row sets as Arrow IPC, the rest as JSON) and every
 *   connector's offset.
 * - `manifest/<version>`: names the live checkpoint and the epoch it covers. The log files
 *   after that epoch, numbered without gaps, are the live tail. A new manifest is a new object
 *   (never an overwrite); readers take the newest, so a torn write is never read.
 *
 * Every object is framed with its length and CRC-32 (storage/frame.ts).
 */
import { Table, tableFromIPC, tableToIPC, type RecordBatch } from 'apache-arrow';
import type { DataType } from '../types/datatype.js';
import type { StateJson } from '../types/state-value.js';

export interface DdlRecord {
  k: 'ddl';
  sql: string;
  timeZone: string;
  vars: [string, string][];
  /** The catalog's id counter before the statement ran. */
  firstId: number;
  /** Relations created or dropped (and an index's table). */
  relationIds: number[];
}

export interface RowsRecord {
  k: 'rows';
  table: number;
  /** One `+` or `-` per row; absent when every row is an appended insert. */
  ops?: string;
  /** Index of the Arrow IPC part holding the rows (the table's storage encoding). */
  part: number;
}

export type LogRecord = DdlRecord | RowsRecord;

export interface EpochHeader {
  kind: 'epoch';
  epoch: number;
  records: LogRecord[];
  /** Connector offsets after the epoch ([relation id, events read]) for those it moved. */
  offsets?: [number, number][];
}

export interface CheckpointHeader {
  kind: 'checkpoint';
  /** The last epoch whose effects the checkpoint holds. */
  epoch: number;
  nextRelationId: number;
  ddl: DdlRecord[];
  tables: { id: number; part: number }[];
  /** Operator state per materialized view (absent: views are rebuilt from their inputs). */
  views?: ViewStateRecord[];
  /** Table watermarks (`WATERMARK FOR`), by table id. */
  watermarks?: [number, StateJson][];
  /** Every connector's offset ([relation id, events read]); absent: none. */
  offsets?: [number, number][];
}

/** A view's operator state: one entry per stateful operator of its dataflow. */
export interface ViewStateRecord {
  id: number;
  /** Operators in the dataflow, by name (a restore checks it plans the same dataflow). */
  layout: string[];
  nodes: {
    /** The operator's index in the dataflow. */
    node: number;
    meta: StateJson;
    /** Row sets: the Arrow IPC part (-1: no rows) and the column types. */
    tables: { part: number; types: DataType[] }[];
  }[];
}

export interface ManifestHeader {
  kind: 'manifest';
  version: number;
  /** The live checkpoint's object name, or null before the first one. */
  checkpoint: string | null;
  /** The last epoch the checkpoint covers (0: none); the log continues at `epoch + 1`. */
  epoch: number;
  /**
   * Objects earlier manifests named and this one does not, with when (ms since the epoch)
   * they stopped being named. A reader that resolved an older manifest may still be reading
   * them, so they are deleted only once the grace period has passed since then.
   */
  retired?: RetiredObject[];
}

export interface RetiredObject {
  name: string;
  at: number;
}

const pad = (n: number): string => String(n).padStart(12, '0');
export const LOG = 'log/';
export const CHECKPOINT = 'checkpoint/';
export const MANIFEST = 'manifest/';
export const logName = (epoch: number): string => LOG + pad(epoch);
export const checkpointName = (epoch: number): string => CHECKPOINT + pad(epoch);
export const manifestName = (version: number): string => MANIFEST + pad(version);

/** The number in an object name made by the functions above. */
export function nameNumber(name: string): number {
  return Number(name.slice(name.lastIndexOf('/') + 1));
}

/** Record batches of one schema as one Arrow IPC stream. */
export function batchesToIpc(batches: RecordBatch[]): Uint8Array {
  return tableToIPC(new Table(batches), 'stream');
}

export function ipcToBatches(part: Uint8Array): RecordBatch[] {
  return tableFromIPC(part).batches;
}
