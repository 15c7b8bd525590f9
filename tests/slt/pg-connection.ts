/**
 * SltConnection over the PostgreSQL wire protocol, with node-postgres (`pg`): every value is
 * read as the server's text (no client-side type parsing), NULL as null. `simple` sends each
 * record as a simple query (multi-statement strings allowed, the last result counts);
 * `extended` sends Parse/Bind/Describe/Execute/Sync, as sqllogictest's postgres-extended engine.
 */
import pg from 'pg';
import type { SltConnection, SltResult } from './runner.js';

export type QueryMode = 'simple' | 'extended';

/** Every type's text stays text: the runner compares PostgreSQL's text output. */
const rawText = { getTypeParser: () => (v: string) => v };

export class PgConnection implements SltConnection {
  /** The server answers a write only once every view reflects it: a retry waits at most one backoff. */
  readonly maxRetryWaitMs = 1000;
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;

  constructor(
    readonly port: number,
    readonly mode: QueryMode = 'simple',
    readonly host = '127.0.0.1',
  ) {}

  private connect(): Promise<pg.Client> {
    this.connecting ??= (async () => {
      const c = new pg.Client({
        host: this.host,
        port: this.port,
        user: 'root',
        database: 'dev',
        types: rawText,
      });
      // A failed query rejects its promise; a dropped connection must not crash the runner.
      c.on('error', () => undefined);
      await c.connect();
      this.client = c;
      return c;
    })();
    return this.connecting;
  }

  async run(sql: string): Promise<SltResult> {
    const c = await this.connect();
    // `queryMode` (pg ≥ 8.11) is missing from @types/pg.
    const config: pg.QueryArrayConfig & { queryMode?: 'extended' } = {
      text: sql,
      rowMode: 'array',
      ...(this.mode === 'extended' ? { queryMode: 'extended' as const } : {}),
    };
    const res = (await c.query(config)) as pg.QueryArrayResult | pg.QueryArrayResult[];
    const last = Array.isArray(res) ? res[res.length - 1] : res;
    if (!last) return { tag: 'EMPTY' };
    if (last.fields.length === 0 && last.command !== 'SELECT')
      return { tag: last.rowCount === null ? last.command : `${last.command} ${last.rowCount}` };
    return {
      columns: last.fields.map((f: pg.FieldDef) => ({ name: f.name, type: f.dataTypeID })),
      rows: (last.rows as unknown[][]).map((row) =>
        row.map((v) => (v === null || v === undefined ? null : String(v))),
      ),
    };
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    this.connecting = undefined;
    await c?.end().catch(() => undefined);
  }
}
