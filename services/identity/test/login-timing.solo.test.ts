import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadSettings } from '@agentmarket/config';
import { AppError, SUBJECTS } from '@agentmarket/contracts';
import { startServiceUnderTest, type ServiceUnderTest } from '@agentmarket/testing';
import { identitySettings } from '../src/config.ts';
import { createIdentityModule } from '../src/identity.module.ts';

// A timing comparison: in the solo project, so no other test file's load on the two cores skews it.
const MAX_FAILURES = 3;
const ENV = { JWT_KEYS: `k1:${'s'.repeat(40)}`, JWT_SIGNING_KEY_ID: 'k1', LOGIN_MAX_FAILURES: String(MAX_FAILURES) };

let identity: ServiceUnderTest;
beforeAll(async () => {
  identity = await startServiceUnderTest(createIdentityModule(loadSettings(identitySettings, ENV)), identitySettings, ENV);
});
afterAll(async () => identity?.stop());

const uniqueEmail = (label: string) => `${label}-${randomBytes(4).toString('hex')}@example.com`;
const login = (email: string) => identity.bus.request(SUBJECTS.identity.login, { email, password: 'the wrong password', client_ip: '203.0.113.7' });

/** How long a login that must fail takes, in ms (the test fails if it succeeds). */
async function failedLoginMs(email: string): Promise<number> {
  const started = performance.now();
  const outcome = await login(email).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(AppError);
  return performance.now() - started;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

it('gives a wrong password and an unknown email about the same time (no account enumeration by timing)', async () => {
  const emails = Array.from({ length: 6 }, () => uniqueEmail('timing'));
  for (const email of emails) await identity.bus.request(SUBJECTS.identity.registerUser, { email, password: 'the right password' });
  // Warm both paths once.
  await failedLoginMs(uniqueEmail('warm'));
  // Interleaved, at most two failures per account (under the lock of MAX_FAILURES).
  const known: number[] = [];
  const unknown: number[] = [];
  for (let round = 0; round < 2; round += 1) {
    for (const email of emails) {
      known.push(await failedLoginMs(email));
      unknown.push(await failedLoginMs(uniqueEmail('nobody')));
    }
  }
  const [knownMs, unknownMs] = [median(known), median(unknown)];
  console.log(`login failure, median of ${known.length}: wrong password ${knownMs.toFixed(1)} ms, unknown email ${unknownMs.toFixed(1)} ms`);
  // Both paths run scrypt: without the dummy hash an unknown email would answer in a few milliseconds.
  expect(Math.min(knownMs, unknownMs)).toBeGreaterThan(20);
  expect(Math.abs(knownMs - unknownMs)).toBeLessThan(0.35 * Math.max(knownMs, unknownMs));
});
