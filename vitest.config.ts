import { defineConfig } from 'vitest/config';

// Unit tests (*.spec.ts beside the code) need nothing running; integration
// tests (test/*.test.ts) bring up their own nats-server and database.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['libs/*/src/**/*.spec.ts', 'services/*/src/**/*.spec.ts', 'apps/*/src/**/*.spec.ts', 'infra/src/**/*.spec.ts', 'bench/src/**/*.spec.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['libs/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts', 'infra/test/**/*.test.ts'],
          // Fault tests match *.test.ts too, but run in their own project, alone.
          exclude: ['**/*.solo.test.ts', '**/*.fault.test.ts', '**/node_modules/**'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Each file starts real processes: two at a time suits a 2-core machine.
          maxWorkers: 2,
          // Files share their worker's module cache: the harness and every service's code are imported once per
          // worker instead of once per file (about 2 s of CPU each). Nothing here relies on fresh module state;
          // each file still starts its own processes, database and nats-server.
          isolate: false,
        },
      },
      {
        // Timing-sensitive tests (throughput against a bound, circuit-breaker pauses) run alone, after the
        // others, so that another test file's load on the 2 cores cannot make them flaky.
        test: {
          name: 'solo',
          include: ['services/*/test/**/*.solo.test.ts', 'apps/*/test/**/*.solo.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          maxWorkers: 1,
        },
      },
      {
        // Fault injection (services, Postgres, NATS and the gateway killed or frozen under load) on the market's
        // own Postgres and NATS; last and alone, since it loads both cores and times recoveries.
        test: {
          name: 'fault',
          include: ['infra/test/fault/**/*.fault.test.ts'],
          testTimeout: 240_000,
          hookTimeout: 180_000,
          maxWorkers: 1,
        },
      },
    ],
  },
});
