import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  jetstreamManager,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import type { ConsumerDeclaration, StreamDeclaration } from '@agentmarket/contracts';
import type { Logger } from '@agentmarket/observability';

export function streamConfig(declaration: StreamDeclaration, replicas: number): Partial<StreamConfig> & { name: string } {
  return {
    name: declaration.name,
    subjects: declaration.subjects,
    retention: declaration.retention === 'workqueue' ? RetentionPolicy.Workqueue : RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: nanos(declaration.maxAgeSeconds * 1000),
    duplicate_window: nanos(declaration.duplicateWindowSeconds * 1000),
    num_replicas: replicas,
  };
}

/**
 * Creates or updates the declared streams and consumers. Safe to run from
 * every replica at every start: an unchanged declaration is a no-op.
 */
export async function applyBusTopology(
  connection: NatsConnection,
  topology: { streams: StreamDeclaration[]; consumers: ConsumerDeclaration[]; replicas: number; logger: Logger },
): Promise<JetStreamManager> {
  const manager = await jetstreamManager(connection);
  for (const declaration of topology.streams) {
    const config = streamConfig(declaration, topology.replicas);
    try {
      await manager.streams.info(declaration.name);
      await manager.streams.update(declaration.name, config);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await manager.streams.add(config);
      topology.logger.info({ stream: declaration.name }, 'stream created');
    }
  }
  for (const consumer of topology.consumers) {
    const config = {
      durable_name: consumer.durable,
      filter_subject: consumer.filterSubject,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(consumer.ackWaitSeconds * 1000),
      max_deliver: consumer.maxDeliver,
      max_ack_pending: consumer.maxAckPending,
    };
    try {
      await manager.consumers.info(consumer.stream, consumer.durable);
      await manager.consumers.update(consumer.stream, consumer.durable, config);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await manager.consumers.add(consumer.stream, config);
      topology.logger.info({ stream: consumer.stream, consumer: consumer.durable }, 'consumer created');
    }
  }
  return manager;
}

function isNotFound(error: unknown): boolean {
  const text = `${(error as Error).name} ${(error as Error).message}`.toLowerCase();
  return text.includes('not found') || text.includes('notfound');
}
