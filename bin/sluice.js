#!/usr/bin/env node
// The `sluice` command: a shim that runs the compiled CLI (`npm install` / `npm run build`
// produce dist/).
let cli;
try {
  cli = await import('../dist/server/cli.js');
} catch (e) {
  if (e && e.code === 'ERR_MODULE_NOT_FOUND') {
    const missing = /Cannot find module '[^']*dist\/server\/cli\.js'/.test(String(e.message));
    process.stderr.write(
      missing
        ? 'sluice: dist/ is missing; run `npm run build` first\n'
        : `sluice: incomplete build (${e.message.split('\n')[0]}); run \`npm run build\`\n`,
    );
    process.exit(1);
  }
  throw e;
}
process.exitCode = await cli.main(process.argv.slice(2));
