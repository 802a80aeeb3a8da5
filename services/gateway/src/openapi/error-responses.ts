import { ERROR_DESCRIPTIONS, ERROR_EXAMPLES, ERROR_RESPONSE_NAMES, headersOf } from '../plugins/route-docs.ts';

type OpenApiObject = Record<string, unknown>;

/**
 * The error answers, one named response per status (and per whether the
 * route is counted by the rate limiter, which decides its headers), so that
 * every operation refers to them instead of repeating them.
 */
export class ErrorResponses {
  readonly #responses = new Map<string, OpenApiObject>();

  nameOf(status: number, rateLimited: boolean): string {
    const name = `${ERROR_RESPONSE_NAMES[status] ?? `Error${status}`}${rateLimited || status >= 500 ? '' : 'Uncounted'}`;
    if (!this.#responses.has(name)) {
      const headers = headersOf(status, rateLimited);
      this.#responses.set(name, {
        description: ERROR_DESCRIPTIONS[status] ?? 'Error',
        ...(Object.keys(headers).length > 0 ? { headers } : {}),
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/Error' },
            ...(ERROR_EXAMPLES[status] ? { example: { error: ERROR_EXAMPLES[status] } } : {}),
          },
        },
      });
    }
    return name;
  }

  all(): Record<string, OpenApiObject> {
    return Object.fromEntries([...this.#responses.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}
