/**
 * Runs the sqllogictest suites against the embedded engine:
 *  (a) Sluice's own files, tests/slt/**\/*.slt — every record must pass, error regexes included;
 *  (b) the peer suite, every .slt file under shared/peer/risingwave/e2e_test/batch, minus
 *      tests/peer-skiplist.txt. Units in tests/peer-known-failures.txt must fail (so the list
 *      stays honest); every other unit must pass. Expected-error records there pass on any
 *      error (the wording is another product's); differing messages are counted as
 *      `errorMismatches` in the summary, which goes to stdout and tests/slt/peer-summary.json.
 * tests/slt/pgwire.test.ts runs the same suites over the PostgreSQL wire protocol.
 */
import { ownSuite, peerSuite, type SltTarget } from './peer-suite.js';
import { embeddedConnector } from './session.js';
import { Database } from '../../runtime/engine.js';
import { SourceLoop } from '../../runtime/source-loop.js';

const embedded: SltTarget = {
  open: () => {
    // Sources and connector tables are read as in a server: by the database's own loop.
    const db = new Database();
    const sources = new SourceLoop(db);
    sources.start();
    return Promise.resolve({ connect: embeddedConnector(db), close: () => sources.stop() });
  },
  knownFailuresFile: 'tests/peer-known-failures.txt',
};

ownSuite('Sluice sqllogictest files', embedded);
peerSuite('batch', ['e2e_test/batch'], 'tests/slt/peer-summary.json', { target: embedded });
peerSuite('streaming', ['e2e_test/streaming'], 'tests/slt/peer-streaming-summary.json', {
  target: embedded,
});
