import type { StepKind } from '../answer-log.ts';
import { awaitRestart, crash } from '../process-crash.ts';
import type { Fault } from '../scenario.ts';

/**
 * SIGKILL of one service process, mid-load. The fault ends with the kill:
 * bringing it back is the stack's supervisor's job, and the time that takes
 * is part of the recovery measured.
 */
export function serviceCrash(service: string, recoverySteps: readonly StepKind[]): Fault {
  return {
    name: `SIGKILL ${service}`,
    slug: `kill-${service}`,
    recoverySteps,
    killsGateway: false,
    async inject({ market }) {
      const target = market.stack.processes.get(service);
      if (!target) throw new Error(`no ${service} process in the stack`);
      const crashedPid = crash(target);
      const endedAt = Date.now();
      const restarter = await awaitRestart(market.stack.processes, service, crashedPid);
      return { endedAt, claims: [], notes: [`${service} (pid ${crashedPid}) restarted by the ${restarter}`] };
    },
  };
}
