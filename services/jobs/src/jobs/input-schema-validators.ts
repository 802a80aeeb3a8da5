import { createHash } from 'node:crypto';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { LRUCache } from 'lru-cache';
import { AppError, compileInputSchema, inputErrors, type InputSchema, type ServiceView } from '@agentmarket/contracts';

/** Compiled schemas kept per process; past this, the least recently used goes. */
const MAX_VALIDATORS = 1000;

/**
 * The compiled validators of services' input schemas. Compiling generates
 * code and costs far more than validating, so each schema is compiled once
 * and kept under the hash of its serialization: a new schema (a patch) is a
 * new key, an unchanged one is found again whichever replica or cache entry
 * carried it, and services sharing a schema share its validator.
 */
export class InputSchemaValidators {
  private readonly validators: LRUCache<string, ValidateFunction>;

  constructor(maxEntries = MAX_VALIDATORS) {
    // No expiry: a schema's hash names it for good, only the number kept is bounded.
    this.validators = new LRUCache({ max: maxEntries });
  }

  /** Throws 422 `invalid_inputs`, naming each bad value by its JSON pointer, when input_data does not follow the service's schema. */
  check(service: Pick<ServiceView, 'id' | 'input_schema'>, inputData: Record<string, unknown>): void {
    if (!service.input_schema) return;
    const validate = this.validatorFor(service.input_schema);
    if (validate(inputData)) return;
    const errors = inputErrors(validate.errors);
    const first = errors[0];
    throw new AppError('invalid_inputs', `input_data does not follow the service's input_schema${first ? `: ${first.path || '/'} ${first.message}` : ''}`, {
      service_id: service.id,
      errors,
    });
  }

  get size(): number {
    return this.validators.size;
  }

  private validatorFor(schema: InputSchema): ValidateFunction {
    const key = createHash('sha256').update(JSON.stringify(schema)).digest('base64url');
    const known = this.validators.get(key);
    if (known) return known;
    // The catalog compiled it at publish with the same settings: a failure here is a bug, not the caller's fault.
    const compiled = compileInputSchema(schema);
    this.validators.set(key, compiled);
    return compiled;
  }
}
