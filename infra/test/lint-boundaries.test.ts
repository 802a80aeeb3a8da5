import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BOUNDARY_RULE = '@nx/enforce-module-boundaries';

let eslint: ESLint;

/** The rule's findings for an existing file of the tree with one more import line on top. */
async function boundaryErrors(file: string, importLine: string): Promise<string[]> {
  const filePath = path.join(ROOT, file);
  const code = `${importLine}\n${await readFile(filePath, 'utf8')}`;
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((message) => message.ruleId === BOUNDARY_RULE && message.line === 1).map((message) => message.message);
}

beforeAll(async () => {
  // The boundary rule reads Nx's project graph; `npm run lint` builds it the same way first.
  await promisify(execFile)(path.join(ROOT, 'node_modules/.bin/nx'), ['show', 'projects'], { cwd: ROOT });
  // Only the boundary rule is under test: without the type-aware rules no TypeScript program is built.
  eslint = new ESLint({
    cwd: ROOT,
    overrideConfig: {
      languageOptions: { parserOptions: { projectService: false } },
      rules: {
        '@typescript-eslint/no-floating-promises': 'off',
        '@typescript-eslint/no-misused-promises': 'off',
        '@typescript-eslint/await-thenable': 'off',
      },
    },
  });
}, 60_000);

describe('the lint boundaries', () => {
  it('refuse a service importing another service', async () => {
    const errors = await boundaryErrors('services/catalog/src/config.ts', "import { jobsModule } from '@agentmarket/jobs/module';");
    expect(errors).toEqual([expect.stringContaining('A project tagged with "type:service" can only depend on libs tagged with "type:lib"')]);
  });

  it('refuse a library importing a service, and production code importing the test support', async () => {
    expect(await boundaryErrors('libs/messaging/src/index.ts', "import { paymentsModule } from '@agentmarket/payments/module';")).toHaveLength(1);
    expect(await boundaryErrors('services/jobs/src/config.ts', "import { useTestStack } from '@agentmarket/testing';")).toHaveLength(1);
  });

  it('refuse the dashboard importing anything but the SDK and the contracts', async () => {
    expect(await boundaryErrors('apps/dashboard/src/api/types.ts', "import { connectBus } from '@agentmarket/messaging';")).toHaveLength(1);
    expect(await boundaryErrors('apps/dashboard/src/api/types.ts', "import type { Currency } from '@agentmarket/contracts';")).toEqual([]);
  });

  it('let a service use the libraries, and its tests the test support', async () => {
    expect(await boundaryErrors('services/catalog/src/config.ts', "import { SUBJECTS } from '@agentmarket/contracts';")).toEqual([]);
    expect(await boundaryErrors('services/catalog/test/catalog.test.ts', "import { useTestStack } from '@agentmarket/testing';")).toEqual([]);
  });
});
