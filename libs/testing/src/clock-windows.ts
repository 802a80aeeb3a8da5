/**
 * Returns once none of the fixed clock windows (`windowMs` each, aligned to
 * the epoch, as the gateway's rate limits count them) ends within `roomMs`,
 * waiting for the next window otherwise. A test that spends a limit's budget
 * and expects the refusal must run inside one window: straddling the end of
 * one would give it two budgets. The condition waited for is the clock itself.
 */
export async function roomInClockWindows(windowsMs: readonly number[], roomMs: number): Promise<void> {
  for (const windowMs of windowsMs) {
    const left = windowMs - (Date.now() % windowMs);
    if (left < roomMs) await new Promise((resolve) => setTimeout(resolve, left + 100));
  }
}
