import tseslint from 'typescript-eslint';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

/**
 * The runtime's layers (ARCHITECTURE.md): for each folder, the folders its imports must not
 * reach. An import path is matched by the folder it names (`../exec/`, `../../engine.js`).
 */
const folder = (name) => `^((\\.\\./)+${name}(/|\\.js$)|\\./${name}/)`;
/** Expression evaluation in runtime/expr (everything but the vocabulary plan/logical.ts uses). */
const exprEval = '^(\\.\\./)+expr/(?!(context|registry|operators)\\.js$)';
const above = {
  types: ['sql', 'catalog', 'storage', 'kernels', 'format', 'sources', 'functions', 'expr'],
  sql: ['catalog', 'storage', 'kernels', 'format', 'sources', 'functions', 'expr'],
  data: ['functions', 'expr'],
  functions: ['plan', 'binder'],
  expr: ['binder'],
  plan: ['binder'],
  binder: ['exec', 'stream'],
};
const top = ['durability', 'engine'];

function layer(files, forbidden, { message, ignores, extra = [] }) {
  return {
    files,
    ...(ignores ? { ignores } : {}),
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ...forbidden.map((name) => ({
              regex: folder(name),
              message: `${message} must not import ${name === 'server' ? '' : 'runtime/'}${name} (see ARCHITECTURE.md).`,
            })),
            ...extra,
          ],
        },
      ],
    },
  };
}

const belowExec = [...top, 'exec', 'stream', 'server'];
const layering = [
  layer(['runtime/types/**'], [...above.types, ...belowExec, 'plan', 'binder'], {
    message: 'runtime/types',
  }),
  layer(['runtime/sql/**'], [...above.sql, ...belowExec, 'plan', 'binder'], {
    message: 'runtime/sql',
  }),
  layer(['runtime/sources/**'], [...above.sql, 'sql', ...belowExec, 'plan', 'binder'], {
    message: 'runtime/sources (data generators: runtime/types only)',
  }),
  layer(
    ['runtime/catalog/**', 'runtime/storage/**', 'runtime/kernels/**', 'runtime/format/**'],
    [...above.data, 'sources', ...belowExec, 'plan', 'binder'],
    { message: 'runtime/catalog, storage, kernels and format' },
  ),
  layer(['runtime/functions/**'], [...above.functions, ...belowExec], {
    message: 'runtime/functions',
    extra: [
      {
        regex: exprEval,
        message:
          'runtime/functions may import only the expression vocabulary of runtime/expr (context, registry, operators).',
      },
    ],
  }),
  layer(['runtime/expr/**'], [...above.expr, ...belowExec], {
    message: 'runtime/expr',
    extra: [
      {
        regex: folder('plan'),
        allowTypeImports: true,
        message: 'runtime/expr may import runtime/plan for types only.',
      },
    ],
  }),
  layer(['runtime/plan/**'], [...above.plan, ...belowExec], {
    message: 'runtime/plan',
    extra: [
      {
        regex: exprEval,
        message:
          'runtime/plan may import only the expression vocabulary of runtime/expr (context, registry, operators).',
      },
    ],
  }),
  layer(['runtime/binder/**'], [...top, ...above.binder, 'server'], { message: 'runtime/binder' }),
  // The batch executor and the stream executors share runtime/expr; only planning a view (and
  // the session interface naming the view graph) reaches into runtime/stream.
  layer(['runtime/exec/**'], [...top, 'stream', 'server'], {
    message: 'runtime/exec',
    ignores: ['runtime/exec/ddl.ts', 'runtime/exec/session.ts'],
  }),
  layer(['runtime/exec/ddl.ts', 'runtime/exec/session.ts'], [...top, 'server'], {
    message: 'runtime/exec',
  }),
  layer(['runtime/stream/**'], [...top, 'exec', 'binder', 'server'], {
    message: 'runtime/stream',
  }),
  layer(['runtime/engine.ts'], ['durability', 'server'], { message: 'runtime/engine' }),
  layer(['runtime/durability/**'], ['server'], { message: 'runtime/durability' }),
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/results/**', 'scratch/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      // `any` needs a comment saying why; the disable comment is that comment.
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  // No import cycles in the runtime and the server (value imports; `node
  // scripts/import-graph.mjs` also counts type-only ones).
  {
    files: ['runtime/**/*.ts', 'server/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.js'],
          extensionAlias: { '.js': ['.ts', '.js'] },
        }),
      ],
    },
    rules: { 'import-x/no-cycle': 'error' },
  },
  ...layering,
);
