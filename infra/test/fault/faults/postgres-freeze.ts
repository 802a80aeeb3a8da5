import { freezePostgres } from '../postgres-processes.ts';
import { EVERY_STEP, type Fault } from '../scenario.ts';

const FROZEN_FOR_MS = 10_000;

/**
 * Postgres stops answering without going away: every connection stays
 * open, every query waits. The services must time out and answer 503, not
 * hang, and pick up where they were when it resumes.
 */
export const postgresFreeze: Fault = {
  name: 'SIGSTOP Postgres 10 s',
  slug: 'freeze-pg',
  recoverySteps: EVERY_STEP,
  killsGateway: false,
  async inject({ market }) {
    const { frozen } = await freezePostgres(market.postgresDataDir, FROZEN_FOR_MS);
    return { endedAt: Date.now(), claims: [], notes: [`froze the postmaster and ${frozen.length - 1} of its processes for ${FROZEN_FOR_MS / 1000} s`] };
  },
};
