import { z } from 'zod';
import { errorBodySchema } from '@agentmarket/contracts';

/** The documented error shape, for OpenAPI. */
export const errorResponseSchema = z.object({ error: errorBodySchema });

export const errorResponses = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  404: errorResponseSchema,
  429: errorResponseSchema,
  503: errorResponseSchema,
};

/** The errors a state-changing route may answer with, beyond the common ones. */
export const commandErrorResponses = {
  ...errorResponses,
  402: errorResponseSchema,
  403: errorResponseSchema,
  409: errorResponseSchema,
  422: errorResponseSchema,
};

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), next_cursor: z.string().nullable() });
}
