/**
 * The interactive `sluice sql` shell: reads lines with prompt `dev=> ` (`dev-> ` while a
 * statement continues), runs each statement once a line ends it with `;`, prints results and
 * errors as psql does and keeps going after errors. `\q` or end of input quits.
 */
import { createInterface } from 'node:readline';
import type { Session } from '../runtime/engine.js';
import { splitStatements } from '../runtime/sql/split.js';
import { renderError, renderResult, version, type CliIo } from './output.js';

/** Whether `text` ends with a `;` outside quotes and comments (so the statement is complete). */
export function endsStatement(text: string): boolean {
  let quote: string | null = null;
  let dollar: string | null = null;
  let last = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (dollar) {
      if (text.startsWith(dollar, i)) {
        i += dollar.length - 1;
        dollar = null;
        last = '$';
      }
      continue;
    }
    if (quote) {
      if (c === quote) quote = null;
      last = c;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      if (nl < 0) break;
      i = nl;
      continue;
    } else if (c === '$') {
      const m = /^\$[A-Za-z_]*\$/.exec(text.slice(i));
      if (m) {
        dollar = m[0];
        i += m[0].length - 1;
        continue;
      }
    }
    if (!/\s/.test(c)) last = c;
  }
  return !quote && !dollar && last === ';';
}

/**
 * Runs the shell until `\\q` or end of input. With `durable`, each input's statements are
 * made durable before their results print and the next prompt shows.
 */
export function runShell(
  session: Session,
  io: CliIo,
  durable?: () => Promise<void>,
): Promise<number> {
  return new Promise((resolve) => {
    const rl = createInterface({
      input: io.stdin,
      terminal: io.isTTY,
      output: io.isTTY ? process.stdout : undefined,
    });
    let buffer = '';
    // Lines already read past `\q` are still delivered after close(): ignore them.
    let closed = false;
    const prompt = (): void => {
      if (io.isTTY) {
        rl.setPrompt(buffer ? 'dev-> ' : 'dev=> ');
        rl.prompt();
      }
    };
    rl.on('line', (line) => {
      if (closed) return;
      const trimmed = line.trim();
      if (!buffer && (trimmed === '\\q' || trimmed === 'quit' || trimmed === 'exit')) {
        closed = true;
        rl.close();
        return;
      }
      buffer += (buffer ? '\n' : '') + line;
      if (endsStatement(buffer)) {
        const text = buffer;
        buffer = '';
        // Inputs run one after another, each once the one before it is durable.
        work = work.then(() => runInput(text)).then(prompt);
      } else {
        if (!buffer.trim()) buffer = '';
        work = work.then(prompt);
      }
    });
    let work: Promise<void> = Promise.resolve();
    const runInput = async (text: string): Promise<void> => {
      for (const st of splitStatements(text)) {
        try {
          const results = session.execute(st.text);
          await durable?.();
          for (const r of results) io.stdout(renderResult(r, session));
        } catch (e) {
          io.stderr(renderError(e, st.text));
        }
      }
    };
    rl.on('close', () => void work.then(() => resolve(0)));
    if (io.isTTY) io.stdout(`sluice ${version()}: statements end with ";", \\q quits.\n`);
    prompt();
  });
}
