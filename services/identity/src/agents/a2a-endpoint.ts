import { AppError } from '@agentmarket/contracts';
import { checkTarget, TargetRefused, type ResolveAll, type TargetPolicy } from '@agentmarket/net-guard';

/**
 * Checks an agent's a2a_url when it is set, with the same guard the
 * executor applies before every request to it: a URL the executor would
 * refuse is refused now, where its owner sees why (the same
 * `validation_failed` a refused webhook URL gets). null (clearing) passes.
 */
export async function checkA2aUrl(url: string | null, policy: TargetPolicy, resolveAll?: ResolveAll): Promise<string | null> {
  if (url === null) return null;
  try {
    await checkTarget(url, policy, resolveAll);
    return url;
  } catch (error) {
    if (error instanceof TargetRefused) throw new AppError('validation_failed', `a2a_url ${error.message}`, { a2a_url: error.message });
    throw error;
  }
}
