// ESLint flat config. Policy: zero warnings (`npm run lint` = `eslint --max-warnings 0 .`), so a
// rule set to "warn" fails CI just like "error". Relax a rule only here, with the reason beside it.
import { defineConfig, globalIgnores } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

export default defineConfig(
  // Build output, generated files and test artefacts. The JS config files are NOT ignored: they are
  // linted below without type information (they are not part of tsconfig.json).
  globalIgnores([
    '.next/**',
    '.next-*/**',
    'dist/**', // the compiled server (npm run build:server)
    'node_modules/**',
    'next-env.d.ts',
    'playwright-report/**',
    'test-results/**',
    'data/**',
    '.data/**',
    'bench/out/**',
    'coverage/**',
  ]),

  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Uses the nearest tsconfig.json for every file, the same program `tsc` sees.
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: {
      reportUnusedDisableDirectives: 'error',
    },
    rules: {
      // `_`-prefixed parameters and variables document "deliberately unused" (e.g. a handler that
      // must accept an argument it ignores, or `const { secret: _, ...rest } = x`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
      // React event props (`onClick={async () => ...}`) are typed as returning void; passing an async
      // handler there is idiomatic. Every other misuse (e.g. an async callback to forEach or an `if`
      // on a promise) stays an error. no-floating-promises stays on unchanged: mark fire-and-forget
      // calls with `void` and handle their errors.
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { attributes: false } },
      ],
      // Type-only imports say so (`import type` / `import { type X }`; autofixable). They vanish at
      // runtime, so they cannot create load-order cycles and import-x/no-cycle skips them, and they
      // never pull a server module into a client bundle. `import('x').T` annotations stay allowed.
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
    },
  },

  // Rules of hooks plus the React Compiler-based checks. They only look at components and hooks,
  // so they can run on every TypeScript file.
  {
    files: ['**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat.recommended],
  },

  // Import cycles: a cycle between modules makes load order matter and usually means a missing
  // shared module (e.g. protocol types that belong in lib/).
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      // Let import-x parse TypeScript modules when it follows imports (its default is JS only).
      'import-x/extensions': ['.ts', '.tsx', '.mts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx', '.mts'] },
      'import-x/external-module-folders': ['node_modules'],
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.tsx', '.mts', '.js', '.mjs', '.json', '.node'],
          // Resolves the "@/..." alias exactly as tsconfig.json declares it.
          tsconfig: { configFile: `${import.meta.dirname}/tsconfig.json`, references: 'auto' },
        }),
      ],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // One validator: valibot, whose functions tree-shake (a page carries only the checks it uses;
      // issue 11's JavaScript budget). zod, in any form, is refused.
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'zod', message: 'Schemas use valibot (one validator; it tree-shakes)' }],
          patterns: [
            { group: ['zod/*'], message: 'Schemas use valibot (one validator; it tree-shakes)' },
          ],
        },
      ],
      // Import boundaries (lib/README.md): the browser side and the shared lib never reach into the
      // server (its secrets, storage and Node-only modules would leak into client bundles), and the
      // server never depends on UI code.
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: import.meta.dirname,
          zones: [
            {
              target: ['./app', './components', './lib'],
              from: './server',
              message: 'app/, components/ and lib/ never import server/: move shared code to lib/.',
            },
            {
              target: './server',
              from: ['./app', './components'],
              message: 'server/ never imports UI code: shared code belongs in lib/.',
            },
            {
              target: './lib',
              from: ['./app', './components'],
              message: 'lib/ is shared by the server and the UI: it never imports UI code.',
            },
          ],
        },
      ],
    },
  },

  // Plain JS config files (next.config.js, eslint.config.js, postcss.config.mjs) are not in
  // tsconfig.json, so they are linted without type information. They run in Node as ES modules.
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      sourceType: 'module',
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },
);
