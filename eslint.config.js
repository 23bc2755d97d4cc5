import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * Layer rules of docs/architecture.md, enforced here rather than in reviews:
 * - `electron` only under main/electron and preload;
 * - renderer imports only contract/ and its own files, never Node built-ins;
 * - the core (main/ outside its hosts) never imports a host;
 * - the sandbox is an independent platform: from the product it imports only contract/, never
 *   the client's code systems or predicates (main/), so a client mapping mistake cannot be
 *   confirmed by the same code on the platform side.
 */
const NODE_BUILTINS = [
  'fs', 'path', 'os', 'child_process', 'http', 'https', 'net', 'crypto', 'url', 'stream',
  'events', 'util', 'worker_threads', 'zlib', 'buffer', 'process', 'readline', 'tls', 'dns',
].flatMap((m) => [m, `node:${m}`, `${m}/*`, `node:${m}/*`]);

const noElectron = { group: ['electron', 'electron/*'], message: 'electron is only imported under main/electron/ and preload/ (layer rule).' };
/** The core (main/ outside the hosts) never imports a host or the renderer. */
const corePatterns = [
  noElectron,
  { group: ['**/electron/**', '**/web/**', '../electron', '../web', './electron', './web'], message: 'The core never imports a host (main/electron, main/web).' },
  { group: ['**/renderer/**'], message: 'The core never imports the renderer.' },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'test-results/**', 'renderer/dist/**', 'test/fixtures/lint/**', 'bin/**', 'installer/**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['main/**/*.ts', 'contract/**/*.ts', 'native-bridges/**/*.ts', 'sandbox/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts'],
    ignores: ['main/electron/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [noElectron] }],
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/electron/**', 'main/web/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: corePatterns }],
    },
  },
  {
    // A feature reaches another only through the FeatureContext: '../<other feature>/…' is refused
    // ('../feature', '../test-context' and '../../<plumbing>/…' stay allowed).
    files: ['main/features/*/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          ...corePatterns,
          { regex: '^\\.\\./[^./][^/]*/', message: "A feature never imports another feature's internals: ask through the FeatureContext (main/features/feature.ts)." },
        ],
      }],
    },
  },
  {
    files: ['sandbox/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          noElectron,
          {
            group: ['**/main', '**/main/**', '**/renderer/**', '**/preload/**', '**/native-bridges/**'],
            message: 'The sandbox is an independent platform: it imports only contract/ from the product, never main/ (docs/sandbox.md).',
          },
        ],
      }],
    },
  },
  {
    files: ['contract/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: NODE_BUILTINS.filter((m) => !m.includes('*')),
        patterns: [noElectron, { group: ['../main/**', '../renderer/**', '../sandbox/**'], message: 'contract/ depends on nothing but zod.' }],
      }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', {
        paths: NODE_BUILTINS.filter((m) => !m.includes('*')),
        patterns: [
          noElectron,
          { group: ['../../main/**', '../../preload/**', '../../sandbox/**', '../../native-bridges/**', '**/main/**', '**/preload/**', '**/sandbox/**', '**/native-bridges/**'], message: 'The renderer imports only contract/ and its own files.' },
        ],
      }],
    },
  },
);
