/**
 * Regression: the standard deviation of numerics far beyond a double's precision. The integer
 * square root started from a rounded double; a guess below the root was then raised one by one,
 * which for a 200-digit value never ended, and values beyond 1e308 threw.
 */
import { describe, expect, it } from 'vitest';
import { T } from '../../runtime/types/datatype.js';
import { Decimal } from '../../runtime/types/numeric.js';
import { agg, runAgg } from './helpers.js';

describe('stddev of large numerics', () => {
  for (const exp of [200, 400]) {
    it(`stddev_samp of 1e${exp} and 2e${exp} is 1e${exp} / √2`, () => {
      const r = runAgg(agg('stddev_samp', [T.numeric]), [
        [Decimal.parse(`1e${exp}`)],
        [Decimal.parse(`2e${exp}`)],
      ]) as Decimal;
      // The leading digits of 0.5·√2 = 0.70710678118654752440…
      expect(
        r
          .toString()
          .replace(/^0\.|0*$/g, '')
          .slice(0, 20),
      ).toBe('70710678118654752440');
      expect(r.toString().replace(/\..*$/, '').length).toBe(exp);
    }, 10_000);
  }
});
