/**
 * The crash loop on the local folder (the default storage of `sluice serve`): 50 SIGKILLs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crashLoop, startServer } from './crash-loop.js';

const KILLS = 50;

describe('crash loop (local folder)', () => {
  it(`SIGKILL ${KILLS} times under load: acknowledged writes survive, views equal their queries`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-crash-'));
    try {
      const r = await crashLoop({ kills: KILLS, start: () => startServer(['--data-dir', dir]) });
      // The load really ran, and recovery went through checkpoints, not the log alone.
      expect(r.acked).toBeGreaterThan(KILLS * 10);
      expect(r.fromCheckpoint).toBeGreaterThan(KILLS / 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
