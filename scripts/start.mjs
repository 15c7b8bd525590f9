/**
 * `npm start`: installs dependencies if needed, builds, then opens the `sluice sql` shell on an
 * in-memory database.
 */
import { ensureInstalled, run } from './deps.mjs';

ensureInstalled();
console.log('> npm run build');
if (run('npm', ['run', 'build']) !== 0) process.exit(1);
process.exit(run(process.execPath, ['bin/sluice.js', 'sql', ...process.argv.slice(2)]));
