/**
 * The `sluice` command line: `sluice sql` runs SQL on the embedded engine and prints results the
 * way `psql -q` does (aligned tables; commands silent; the first error as `ERROR:  ...` on
 * stderr with exit status 1). Without -f/-c it opens an interactive shell.
 */
import { readFileSync } from 'node:fs';
import { Database, type Session } from '../runtime/engine.js';
import { openDurableDatabase, openStore } from './storage/open.js';
import { splitStatements } from '../runtime/sql/split.js';
import { renderError, renderResult, version, type CliIo } from './output.js';
import { runShell } from './shell.js';
import { serve } from './serve.js';

const USAGE = `Usage:
  sluice sql [--data-dir DIR] [-f FILE]... [-c SQL]...
      Run SQL on the embedded engine. Each -f file and -c string runs in the order given;
      query results print as psql prints them. Without -f or -c: an interactive shell.
  sluice serve [--host HOST] [--port PORT] [--http-port PORT] [--data-dir DIR | --state URL]
      Serve the PostgreSQL wire protocol and the HTTP API (sluice serve --help for more).
  sluice --help
  sluice --version
`;

/** A script to run: its text, and where an error's position is reported against. */
interface Source {
  kind: 'file' | 'command';
  name: string;
}

/**
 * Runs `text` statement by statement. Returns false after printing the first error. For a -c
 * string the error position refers to the whole string (psql sends it as one query); for a file,
 * to the failing statement (psql sends those one by one).
 */
export async function runScript(
  text: string,
  source: Source,
  session: Session,
  io: CliIo,
  durable?: () => Promise<void>,
): Promise<boolean> {
  let statements;
  try {
    statements = splitStatements(text);
  } catch (e) {
    io.stderr(renderError(e, text));
    return false;
  }
  for (const st of statements) {
    try {
      const results = session.execute(st.text);
      await durable?.();
      for (const r of results) io.stdout(renderResult(r, session));
    } catch (e) {
      io.stderr(
        source.kind === 'command' ? renderError(e, text, st.offset) : renderError(e, st.text),
      );
      return false;
    }
  }
  return true;
}

type SqlArgs = { dataDir?: string; sources: { kind: 'file' | 'command'; value: string }[] };

function parseSqlArgs(args: string[]): SqlArgs | string {
  const out: SqlArgs = { sources: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const value = (): string | undefined => (eq > 0 ? a.slice(eq + 1) : args[++i]);
    switch (flag) {
      case '--data-dir': {
        const v = value();
        if (v === undefined) return `option ${flag} needs a value`;
        out.dataDir = v;
        break;
      }
      case '-f':
      case '--file': {
        const v = value();
        if (v === undefined) return `option ${flag} needs a value`;
        out.sources.push({ kind: 'file', value: v });
        break;
      }
      case '-c':
      case '--command': {
        const v = value();
        if (v === undefined) return `option ${flag} needs a value`;
        out.sources.push({ kind: 'command', value: v });
        break;
      }
      default:
        return `unknown option: ${a}`;
    }
  }
  return out;
}

/** Runs the CLI; resolves to the exit status. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (command === '--version' || command === '-V') {
    io.stdout(`sluice ${version()}\n`);
    return 0;
  }
  if (command === 'serve') return serve(rest, version(), io);
  if (command !== 'sql') {
    io.stderr(command === undefined ? USAGE : `sluice: unknown command: ${command}\n\n${USAGE}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(USAGE);
    return 0;
  }
  const args = parseSqlArgs(rest);
  if (typeof args === 'string') {
    io.stderr(`sluice sql: ${args}\n\n${USAGE}`);
    return 2;
  }
  if (args.dataDir === undefined) return runSources(args, new Database().connect(), io);
  let opened;
  try {
    opened = await openDurableDatabase(await openStore({ dataDir: args.dataDir }), {
      log: (line) => io.stderr(`sluice: ${line}\n`),
    });
  } catch (e) {
    io.stderr(renderError(e, ''));
    return 1;
  }
  // Everything that ran is written (and checkpointed) before the command exits, error or not.
  const status = await runSources(args, opened.db.connect(), io, () =>
    opened.durability.waitDurable(),
  );
  await opened.durability.close();
  return status;
}

/** Runs the -f/-c sources in order (each statement made durable with `durable`), or the shell. */
async function runSources(
  args: SqlArgs,
  session: Session,
  io: CliIo,
  durable?: () => Promise<void>,
): Promise<number> {
  if (args.sources.length === 0) return runShell(session, io, durable);
  for (const src of args.sources) {
    let text: string;
    if (src.kind === 'file') {
      try {
        text = readFileSync(src.value, 'utf8');
      } catch (e) {
        io.stderr(`sluice sql: cannot read ${src.value}: ${(e as Error).message}\n`);
        return 1;
      }
    } else text = src.value;
    if (!(await runScript(text, { kind: src.kind, name: src.value }, session, io, durable)))
      return 1;
  }
  return 0;
}

function processIo(): CliIo {
  return {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    stdin: process.stdin,
    isTTY: Boolean(process.stdin.isTTY),
  };
}
