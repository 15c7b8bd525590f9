/**
 * The page's handle on the engine worker: the worker's API with failures thrown as
 * `EngineFailure` (carrying SQLSTATE and position) instead of returned as data.
 */
import { proxy, transfer, wrap, type Remote } from 'comlink';
import type {
  EngineApi,
  EngineError,
  ExecuteResult,
  GeneratorKind,
  GeneratorStatus,
  ImportResult,
  OpenInfo,
  Reply,
  ResultSet,
  RunResult,
  Schema,
  TextChange,
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

export class EngineClient {
  private constructor(private readonly remote: Remote<EngineApi>) {}

  /** Starts the worker; it opens the database at once. */
  static start(): EngineClient {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), {
      type: 'module',
      name: 'sluice-engine',
    });
    return new EngineClient(wrap<EngineApi>(worker));
  }

  async ready(): Promise<OpenInfo> {
    return unwrap(await this.remote.ready());
  }

  run(script: string, base = 0): Promise<RunResult> {
    return this.remote.run(script, base);
  }

  async execute(sql: string, params: unknown[] = []): Promise<ExecuteResult> {
    return unwrap(await this.remote.execute(sql, params));
  }

  async query(sql: string, params: unknown[] = []): Promise<ResultSet> {
    return unwrap(await this.remote.query(sql, params));
  }

  async insert(table: string, rows: Record<string, unknown>[]): Promise<number> {
    return unwrap(await this.remote.insert(table, rows));
  }

  /** Calls `listener` with each committed batch of `view`'s changes; resolves to a stop. */
  async subscribe(
    view: string,
    listener: (changes: TextChange[]) => void,
  ): Promise<() => Promise<void>> {
    const id = unwrap(await this.remote.subscribe(view, proxy(listener)));
    return () => this.remote.unsubscribe(id);
  }

  /** Pins `view`: its rows now, then each later committed batch of its changes, once. */
  async pin(
    view: string,
    listener: (changes: TextChange[]) => void,
  ): Promise<{ snapshot: ResultSet; stop: () => Promise<void> }> {
    const { id, snapshot } = unwrap(await this.remote.pin(view, proxy(listener)));
    return { snapshot, stop: () => this.remote.unsubscribe(id) };
  }

  /** Imports a file's bytes (moved to the worker, not copied) into the table named after it. */
  async importFile(fileName: string, data: ArrayBuffer): Promise<ImportResult> {
    return unwrap(await this.remote.importFile(fileName, transfer(data, [data])));
  }

  async startGenerator(kind: GeneratorKind, rowsPerSecond: number): Promise<GeneratorStatus> {
    return unwrap(await this.remote.startGenerator(kind, rowsPerSecond));
  }

  async setGeneratorRate(rowsPerSecond: number): Promise<GeneratorStatus> {
    return unwrap(await this.remote.setGeneratorRate(rowsPerSecond));
  }

  async pauseGenerator(): Promise<GeneratorStatus> {
    return unwrap(await this.remote.pauseGenerator());
  }

  async resumeGenerator(): Promise<GeneratorStatus> {
    return unwrap(await this.remote.resumeGenerator());
  }

  generatorStatus(): Promise<GeneratorStatus> {
    return this.remote.generatorStatus();
  }

  async schema(): Promise<Schema> {
    return unwrap(await this.remote.schema());
  }

  async reset(): Promise<OpenInfo> {
    return unwrap(await this.remote.reset());
  }

  close(): Promise<void> {
    return this.remote.close();
  }
}
