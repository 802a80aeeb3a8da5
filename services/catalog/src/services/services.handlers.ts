import {
  SUBJECTS,
  createServiceCommandSchema,
  getServiceCommandSchema,
  listServicesQuerySchema,
  serviceIdParamsSchema,
  serviceOwnerCommandSchema,
  suspendServiceCommandSchema,
  unsuspendServiceCommandSchema,
  updateServiceCommandSchema,
} from '@agentmarket/contracts';
import { handler, type RequestHandler } from '@agentmarket/messaging';
import { z } from 'zod';
import type { ServicesService } from './services.service.ts';
import type { ServiceSuspensions } from './service-suspension.service.ts';

/** Request/reply subjects of the catalog service. */
export function serviceHandlers(services: ServicesService, suspensions: ServiceSuspensions): Record<string, RequestHandler> {
  const subjects = SUBJECTS.catalog;
  return {
    [subjects.create]: handler(createServiceCommandSchema, (input) => services.create(input.agent_id, input.agent_name, input.service)),
    // A suspended service is not found, except by its owner and admins (and by no hire: jobs asks without a viewer).
    [subjects.get]: handler(getServiceCommandSchema, (input) => suspensions.visibleTo(input.id, input.viewer)),
    [subjects.getHosted]: handler(serviceIdParamsSchema, (input) => services.getHosted(input.id)),
    [subjects.list]: handler(listServicesQuerySchema, (input) => services.list(input)),
    [subjects.update]: handler(updateServiceCommandSchema, (input) => services.update(input.agent_id, input.service_id, input.patch)),
    [subjects.deactivate]: handler(serviceOwnerCommandSchema, (input) => services.deactivate(input.agent_id, input.service_id)),
    [subjects.stats]: handler(z.unknown(), () => services.stats()),
    [subjects.suspend]: handler(suspendServiceCommandSchema, (input) => suspensions.suspend(input.service_id, input.reason, input.admin)),
    [subjects.unsuspend]: handler(unsuspendServiceCommandSchema, (input) => suspensions.unsuspend(input.service_id, input.admin, input.reason)),
  };
}
