/**
 * `npm start`: installs dependencies if needed, builds, then runs `sluice serve` on its defaults
 * (PostgreSQL protocol on 127.0.0.1:4566, HTTP and playground on 127.0.0.1:5691). Extra
 * arguments go to `sluice serve`.
 */
import { ensureInstalled, run } from './deps.mjs';

ensureInstalled();
console.log('> npm run build');
if (run('npm', ['run', 'build']) !== 0) process.exit(1);
process.exit(run(process.execPath, ['bin/sluice.js', 'serve', ...process.argv.slice(2)]));
