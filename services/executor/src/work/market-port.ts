import { AppError, SUBJECTS, type Caller, type HostedService, type JobView, type LlmArtifactMetadata, type ModelCostView, type PublicAgent } from '@agentmarket/contracts';
import type { BusClient } from '@agentmarket/messaging';

/** The executor's calls to jobs and catalog, always as the job's worker agent (the bus is internal and trusted). */
export class MarketPort {
  private readonly bus: BusClient;

  constructor(bus: BusClient) {
    this.bus = bus;
  }

  getJob(jobId: string, workerAgentId: string): Promise<JobView> {
    return this.bus.request<JobView>(SUBJECTS.jobs.get, { job_id: jobId, caller: worker(workerAgentId) }, { requestId: requestId(jobId) });
  }

  startJob(jobId: string, workerAgentId: string): Promise<JobView> {
    return this.transition(jobId, workerAgentId, 'start', {});
  }

  deliver(jobId: string, workerAgentId: string, content: string, metadata: LlmArtifactMetadata): Promise<JobView> {
    return this.transition(jobId, workerAgentId, 'deliver', { artifact_type: 'text', content, artifact_metadata: metadata });
  }

  /** Delivers what a seller's own A2A agent produced (any artifact type jobs accepts). */
  deliverContent(jobId: string, workerAgentId: string, deliverable: { artifact_type: string; content: unknown; artifact_metadata: Record<string, unknown> }): Promise<JobView> {
    return this.transition(jobId, workerAgentId, 'deliver', deliverable);
  }

  fail(jobId: string, workerAgentId: string, reason: string): Promise<JobView> {
    return this.transition(jobId, workerAgentId, 'fail', { reason: reason.slice(0, 2000) });
  }

  /** Tells payments what the job's calls have cost so far (a running total: repeats are harmless); charged to the seller at settlement. */
  recordModelCost(jobId: string, sellerAgentId: string, costMicroUsd: number): Promise<ModelCostView> {
    return this.bus.request<ModelCostView>(
      SUBJECTS.payments.modelCost,
      { hold_id: jobId, seller_agent_id: sellerAgentId, cost_micro_usd: costMicroUsd },
      { requestId: requestId(jobId) },
    );
  }

  getHosted(serviceId: string, jobId: string): Promise<HostedService> {
    return this.bus.request<HostedService>(SUBJECTS.catalog.getHosted, { id: serviceId }, { requestId: requestId(jobId) });
  }

  /** The worker's public profile: its a2a_url says whether its hires go to its own A2A endpoint. */
  getAgent(agentId: string, jobId: string): Promise<PublicAgent> {
    return this.bus.request<PublicAgent>(SUBJECTS.identity.get, { id: agentId }, { requestId: requestId(jobId) });
  }

  /** Whether the service is hosted (the model executor does its jobs, wherever its seller's a2a_url points). */
  async isHosted(serviceId: string, jobId: string): Promise<boolean> {
    try {
      await this.getHosted(serviceId, jobId);
      return true;
    } catch (error) {
      if (error instanceof AppError && error.code === 'not_found') return false;
      throw error;
    }
  }

  private transition(jobId: string, workerAgentId: string, action: 'start' | 'deliver' | 'fail', input: Record<string, unknown>): Promise<JobView> {
    return this.bus.request<JobView>(
      SUBJECTS.jobs.transition,
      { job_id: jobId, caller: worker(workerAgentId), action, input },
      { requestId: requestId(jobId) },
    );
  }
}

function worker(id: string): Caller {
  return { type: 'agent', id };
}

// One id follows a hosted job through every service's log lines.
function requestId(jobId: string): string {
  return `executor-${jobId}`;
}
