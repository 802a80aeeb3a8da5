// One lint configuration for the whole workspace (`npm run lint`, part of `npm test`).
// Two jobs: keep the architecture's boundaries (Nx's module-boundary rule over the
// project tags in each package.json) and catch the promise mistakes that crash a
// Node service (a rejected promise nobody awaits ends the process).
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/**
 * Who may import whom, by the `nx.tags` of each package.json. Production code
 * first; test code (below) may also use the test support library.
 */
const sourceBoundaries = [
  // Libraries are the shared floor: they never reach up into a service, the infra or a tool.
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  // The SDK is published on its own: it imports nothing of ours.
  { sourceTag: 'type:sdk', onlyDependOnLibsWithTags: [] },
  // A service talks to the others over the bus, never through their code.
  { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:lib'] },
  // The dashboard is a client of the public API like any other: the SDK's types and the wire contracts.
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:sdk', 'role:contracts'] },
  // The infra runs and migrates every service, so it is the one place that imports them.
  { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:lib', 'type:sdk', 'type:service'] },
  // Test support starts whole stacks through the infra and reads what services keep (the ledger check).
  { sourceTag: 'type:test-support', onlyDependOnLibsWithTags: ['type:lib', 'type:sdk', 'type:infra', 'type:service'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:sdk', 'type:infra', 'type:test-support'] },
];

const testBoundaries = sourceBoundaries.map((constraint) => ({
  ...constraint,
  onlyDependOnLibsWithTags: [...new Set([...constraint.onlyDependOnLibsWithTags, 'type:test-support'])],
}));

/** Nx's rule over the project graph (`npm run lint` builds it first). */
const moduleBoundaries = (depConstraints) => [
  'error',
  {
    allow: [],
    depConstraints,
    enforceBuildableLibDependency: false,
    // Tests live inside their project, so "a service's test → test support → infra → the service" is a
    // cycle of projects but not of code: production code may not import the test support at all (above).
    ignoredCircularDependencies: ['tag:type:infra', 'tag:type:lib', 'tag:type:service'].map((target) => ['@agentmarket/testing', target]),
  },
];

const TEST_FILES = ['**/test/**', '**/*.spec.ts', '**/*.test.ts', 'apps/dashboard/scripts/**', 'vitest.config.ts'];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'libs/sdk/src/generated/**',
      'apps/dashboard/test-artifacts/**',
      'bench/results/**',
      '.nx/**',
      '**/*.mjs',
      '**/*.js',
    ],
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@nx': nx, '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@nx/enforce-module-boundaries': moduleBoundaries(sourceBoundaries),
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: TEST_FILES,
    rules: { '@nx/enforce-module-boundaries': moduleBoundaries(testBoundaries) },
  },
);
