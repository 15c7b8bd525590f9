/**
 * The sqllogictest suites over the PostgreSQL wire protocol: each file gets a fresh server
 * (in this process, on a loopback ephemeral port) and `pg` clients, one per named connection.
 *  - Sluice's own files (simple query protocol): every record must pass, as embedded.
 *  - RisingWave's e2e_test/extended_mode and error_ui/extended through the extended protocol
 *    (Parse/Bind/Describe/Execute/Sync), as their runner's postgres-extended engine does;
 *    error_ui/simple and the whole batch and streaming suites through the simple protocol.
 * Peer units on the embedded engine's list (tests/peer-known-failures.txt) may fail here too;
 * units that fail only over pgwire are listed in tests/peer-known-failures-pgwire.txt and must
 * fail (regenerate with `SLT_WRITE_KNOWN_FAILURES=1 npx vitest run tests/slt/pgwire.test.ts`).
 * Summaries go to tests/slt/peer-summary-pgwire*.json.
 */
import { parseServeArgs, startServer, type ServeOptions } from '../../server/serve.js';
import { ownSuite, peerSuite, type SltTarget } from './peer-suite.js';
import { PgConnection, type QueryMode } from './pg-connection.js';

function pgwire(mode: QueryMode): SltTarget {
  return {
    async open() {
      const o = parseServeArgs(['--host', '127.0.0.1', '--port', '0', '--http-port', '0']);
      if (typeof o === 'string') throw new Error(o);
      const server = await startServer(o as ServeOptions, 'slt');
      const conns: PgConnection[] = [];
      return {
        connect: () => {
          const c = new PgConnection(server.pgPort, mode);
          conns.push(c);
          return c;
        },
        close: async () => {
          for (const c of conns) await c.close();
          await server.stop();
        },
      };
    },
    knownFailuresFile: 'tests/peer-known-failures-pgwire.txt',
    toleratedFailuresFile: 'tests/peer-known-failures.txt',
    labels: mode === 'extended' ? ['pgwire', 'postgres-extended'] : ['pgwire'],
  };
}

ownSuite('Sluice sqllogictest files over pgwire', pgwire('simple'));
peerSuite(
  'pgwire-extended',
  ['e2e_test/extended_mode', 'e2e_test/error_ui/extended'],
  'tests/slt/peer-summary-pgwire-extended.json',
  { target: pgwire('extended') },
);
peerSuite(
  'pgwire',
  ['e2e_test/error_ui/simple', 'e2e_test/batch', 'e2e_test/streaming'],
  'tests/slt/peer-summary-pgwire.json',
  { target: pgwire('simple') },
);
