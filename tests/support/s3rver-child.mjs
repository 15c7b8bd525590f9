/**
 * Runs one s3rver (a real S3-compatible HTTP server on the filesystem) for tests; started as a
 * child process by `s3rver-process.ts`.
 *
 * Usage: node s3rver-child.mjs DIRECTORY BUCKET
 * Listens on a free loopback port, creates BUCKET, then prints `{"port":N}` as one line on
 * stdout. Exits when its stdin closes (the parent went away) or on SIGTERM/SIGINT.
 */
import S3rver from 's3rver';

const [directory, bucket] = process.argv.slice(2);
if (!directory || !bucket) {
  process.stderr.write('usage: node s3rver-child.mjs DIRECTORY BUCKET\n');
  process.exit(2);
}

const server = new S3rver({
  port: 0,
  address: '127.0.0.1',
  silent: true,
  directory,
  configureBuckets: [{ name: bucket }],
});
const address = await server.run();
process.stdout.write(JSON.stringify({ port: address.port }) + '\n');

let closing = false;
const shutdown = () => {
  if (closing) return;
  closing = true;
  // Keep-alive connections would hold close() open; the parent is gone or asked us to stop.
  server.httpServer?.closeAllConnections?.();
  server.close().then(
    () => process.exit(0),
    () => process.exit(0),
  );
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
process.stdin.on('end', shutdown);
process.stdin.on('error', shutdown);
process.stdin.resume();
