/** System information and miscellaneous functions (version, current_user, pg_typeof, ...). */
import type { ScalarFunction } from '../expr/registry.js';
import { T, typeName } from '../types/datatype.js';
import { scalar } from './overload.js';

const constant = (name: string, value: string): ScalarFunction =>
  scalar(name, [{ args: [], ret: T.text, eval: () => value }]);

function uuid(): string {
  const b = new Uint8Array(16);
  for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const miscFunctions: ScalarFunction[] = [
  constant('version', 'PostgreSQL 13.14.0-Sluice-0.1.0'),
  constant('current_database', 'dev'),
  constant('current_catalog', 'dev'),
  constant('current_schema', 'public'),
  constant('current_user', 'root'),
  constant('session_user', 'root'),
  constant('user', 'root'),
  constant('current_role', 'root'),
  {
    name: 'pg_typeof',
    resolve(argTypes) {
      if (argTypes.length !== 1) return undefined;
      const t = argTypes[0]!;
      return { argTypes: [t], returnType: T.text, strict: false, eval: () => typeName(t) };
    },
  },
  ...(['num_nulls', 'num_nonnulls'] as const).map((name): ScalarFunction => ({
    name,
    resolve(argTypes) {
      if (argTypes.length === 0) return undefined;
      const types = argTypes.map((t) => (t.kind === 'unknown' ? T.text : t));
      return {
        argTypes: types,
        returnType: T.int4,
        strict: false,
        eval: (a) => {
          const nulls = a.filter((v) => v === null).length;
          return name === 'num_nulls' ? nulls : a.length - nulls;
        },
      };
    },
  })),
  scalar('gen_random_uuid', [{ args: [], ret: T.text, volatile: true, eval: uuid }]),
];
