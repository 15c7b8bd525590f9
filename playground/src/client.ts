/**
 * The page's handle on the engine worker: the worker's API with failures thrown as
 * `EngineFailure` (carrying SQLSTATE and position) instead of returned as data. Under it is
 * `engine`, the protocol itself (`EngineApi`, failures as data) built from `METHODS` over
 * comlink; the API tests drive that in the browser as they drive the engine in Node.
 */
import { proxy, transfer, wrap, type Remote } from 'comlink';
import {
  engineOver,
  type CallOf,
  type EngineApi,
  type EngineError,
  type ExecuteResult,
  type GeneratorKind,
  type GeneratorStatus,
  type ImportResult,
  type Method,
  type OpenInfo,
  type Reply,
  type ReplyOf,
  type ResultSet,
  type RunResult,
  type Schema,
  type TextChange,
} from './protocol.js';

export class EngineFailure extends Error {
  constructor(readonly error: EngineError) {
    super(error.message);
    this.name = 'EngineFailure';
  }

  get code(): string {
    return this.error.code;
  }
}

function unwrap<T>(reply: Reply<T>): T {
  if (!reply.ok) throw new EngineFailure(reply.error);
  return reply.value;
}

/**
 * The worker's API as a plain `EngineApi`: each call of `METHODS` goes through comlink, with
 * function arguments (listeners) passed as proxies and `ArrayBuffer` arguments moved, not copied.
 */
export function overWorker(remote: Remote<EngineApi>): EngineApi {
  return engineOver(<M extends Method>(call: CallOf<M>): Promise<ReplyOf<M>> => {
    const args = call.args.map((a: unknown) =>
      typeof a === 'function' ? proxy(a) : a instanceof ArrayBuffer ? transfer(a, [a]) : a,
    );
    // comlink's `Remote` types each method on its own; the call is one of them, checked where
    // it was made.
    const fn = remote[call.method] as unknown as (...args: unknown[]) => Promise<ReplyOf<M>>;
    return fn(...args);
  });
}

export class EngineClient {
  /** The protocol as the worker answers it: failures as data, subscriptions by id. */
  readonly engine: EngineApi;

  private constructor(remote: Remote<EngineApi>) {
    this.engine = overWorker(remote);
  }

  /** Starts the worker; it opens the database at once. */
  static start(): EngineClient {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), {
      type: 'module',
      name: 'sluice-engine',
    });
    return new EngineClient(wrap<EngineApi>(worker));
  }

  async ready(): Promise<OpenInfo> {
    return unwrap(await this.engine.ready());
  }

  run(script: string, base = 0): Promise<RunResult> {
    return this.engine.run(script, base);
  }

  async execute(sql: string, params: unknown[] = []): Promise<ExecuteResult> {
    return unwrap(await this.engine.execute(sql, params));
  }

  async query(sql: string, params: unknown[] = []): Promise<ResultSet> {
    return unwrap(await this.engine.query(sql, params));
  }

  async insert(table: string, rows: Record<string, unknown>[]): Promise<number> {
    return unwrap(await this.engine.insert(table, rows));
  }

  /** Calls `listener` with each committed batch of `view`'s changes; resolves to a stop. */
  async subscribe(
    view: string,
    listener: (changes: TextChange[]) => void,
  ): Promise<() => Promise<void>> {
    const id = unwrap(await this.engine.subscribe(view, listener));
    return () => this.engine.unsubscribe(id);
  }

  /** Pins `view`: its rows now, then each later committed batch of its changes, once. */
  async pin(
    view: string,
    listener: (changes: TextChange[]) => void,
  ): Promise<{ snapshot: ResultSet; stop: () => Promise<void> }> {
    const { id, snapshot } = unwrap(await this.engine.pin(view, listener));
    return { snapshot, stop: () => this.engine.unsubscribe(id) };
  }

  /** Imports a file's bytes (moved to the worker, not copied) into the table named after it. */
  async importFile(fileName: string, data: ArrayBuffer): Promise<ImportResult> {
    return unwrap(await this.engine.importFile(fileName, data));
  }

  async startGenerator(kind: GeneratorKind, rowsPerSecond: number): Promise<GeneratorStatus> {
    return unwrap(await this.engine.startGenerator(kind, rowsPerSecond));
  }

  async setGeneratorRate(rowsPerSecond: number): Promise<GeneratorStatus> {
    return unwrap(await this.engine.setGeneratorRate(rowsPerSecond));
  }

  async pauseGenerator(): Promise<GeneratorStatus> {
    return unwrap(await this.engine.pauseGenerator());
  }

  async resumeGenerator(): Promise<GeneratorStatus> {
    return unwrap(await this.engine.resumeGenerator());
  }

  generatorStatus(): Promise<GeneratorStatus> {
    return this.engine.generatorStatus();
  }

  async schema(): Promise<Schema> {
    return unwrap(await this.engine.schema());
  }

  async reset(): Promise<OpenInfo> {
    return unwrap(await this.engine.reset());
  }

  close(): Promise<void> {
    return this.engine.close();
  }
}
