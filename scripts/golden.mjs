/**
 * `npm run golden:update`: regenerates every golden `.out` file under tests/golden from its
 * `.sql` input (the plans Sluice prints now). Review the diff before committing.
 */
import { writeFileSync } from 'node:fs';
import { register } from 'tsx/esm/api';

register();
const { goldenFiles, goldenSuites, readText, renderGolden } =
  await import('../tests/golden/golden.ts');
let changed = 0;
for (const suite of goldenSuites) {
  for (const f of goldenFiles(suite)) {
    const text = renderGolden(readText(f.sql));
    let old = null;
    try {
      old = readText(f.out);
    } catch {
      // new golden file
    }
    if (old !== text) {
      writeFileSync(f.out, text);
      changed++;
      console.log(`updated ${f.out}`);
    }
  }
}
console.log(`${changed} golden file(s) changed`);
