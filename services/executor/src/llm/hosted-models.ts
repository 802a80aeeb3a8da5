import type { Setting } from '@agentmarket/config';
import type { TokenPrices } from './cost.ts';
import { USD_PRICE_PATTERN } from './usd-price-setting.ts';

/** The models hosted services may name, each with its USD price per 1000 prompt and completion tokens. */
export type HostedModels = ReadonlyMap<string, TokenPrices>;

/**
 * Reads `model:prompt_per_1k:completion_per_1k,…`. A model name may itself
 * hold colons (Ollama's `llama3.2:3b`), so the two prices are the last two
 * fields. At least one model; no model twice.
 */
export function parseHostedModels(raw: string): HostedModels {
  const models = new Map<string, TokenPrices>();
  for (const entry of raw.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
    const fields = entry.split(':');
    if (fields.length < 3) throw new Error(`"${entry}" is not model:prompt_per_1k:completion_per_1k`);
    const completionPer1k = (fields.pop() ?? '').trim();
    const promptPer1k = (fields.pop() ?? '').trim();
    const model = fields.join(':').trim();
    if (model === '' || model.length > 100) throw new Error(`"${entry}": the model name must have 1 to 100 characters`);
    for (const price of [promptPer1k, completionPer1k]) {
      if (!USD_PRICE_PATTERN.test(price)) throw new Error(`"${entry}": ${price} is not a USD price such as 0.00015 (at most 12 decimals)`);
    }
    if (models.has(model)) throw new Error(`model ${model} is listed twice`);
    models.set(model, { promptPer1k, completionPer1k });
  }
  if (models.size === 0) throw new Error('name at least one model (model:prompt_per_1k:completion_per_1k)');
  return models;
}

/** The HOSTED_MODELS setting. */
export function hostedModelsSetting(doc: string, defaultValue: string): Setting<HostedModels> {
  return { doc, default: defaultValue, parse: parseHostedModels };
}

/** A setting that was replaced: unset is fine, any value stops the process with the name of its successor. */
export function retiredSetting(doc: string, successor: string): Setting<undefined> {
  return {
    doc,
    default: '',
    parse: (raw) => {
      if (raw.trim() === '') return undefined;
      throw new Error(`no longer read: prices are per model now, in ${successor} (model:prompt_per_1k:completion_per_1k,…)`);
    },
  };
}
