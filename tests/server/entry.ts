/** Runs the `sluice` CLI from source (through tsx), so server tests need no build. */
import { main } from '../../server/cli.js';

process.exitCode = await main(process.argv.slice(2));
