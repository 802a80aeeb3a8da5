import {
  SUBJECTS,
  createServiceCommandSchema,
  listServicesQuerySchema,
  serviceIdParamsSchema,
  serviceOwnerCommandSchema,
  updateServiceCommandSchema,
} from '@agentmarket/contracts';
import { handler, type RequestHandler } from '@agentmarket/messaging';
import { z } from 'zod';
import type { ServicesService } from './services.service.ts';

/** Request/reply subjects of the catalog service. */
export function serviceHandlers(services: ServicesService): Record<string, RequestHandler> {
  const subjects = SUBJECTS.catalog;
  return {
    [subjects.create]: handler(createServiceCommandSchema, (input) => services.create(input.agent_id, input.agent_name, input.service)),
    [subjects.get]: handler(serviceIdParamsSchema, (input) => services.get(input.id)),
    [subjects.getHosted]: handler(serviceIdParamsSchema, (input) => services.getHosted(input.id)),
    [subjects.list]: handler(listServicesQuerySchema, (input) => services.list(input)),
    [subjects.update]: handler(updateServiceCommandSchema, (input) => services.update(input.agent_id, input.service_id, input.patch)),
    [subjects.deactivate]: handler(serviceOwnerCommandSchema, (input) => services.deactivate(input.agent_id, input.service_id)),
    [subjects.stats]: handler(z.unknown(), () => services.stats()),
  };
}
