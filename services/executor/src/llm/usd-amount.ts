import type { Setting } from '@agentmarket/config';

/** "12.5" → 12_500_000 micro-USD; at most 6 decimals. */
export function usdToMicro(amount: string): number {
  const match = /^(\d{1,9})(?:\.(\d{1,6}))?$/.exec(amount.trim());
  if (!match) throw new Error('must be an amount of USD such as 25.00 (at most 6 decimals)');
  return Number(match[1]) * 1_000_000 + Number((match[2] ?? '').padEnd(6, '0'));
}

/** 12_500_000 → "12.500000". */
export function microToUsd(micro: number): string {
  return `${Math.floor(micro / 1_000_000)}.${String(micro % 1_000_000).padStart(6, '0')}`;
}

/** A USD amount setting, kept in micro-USD. */
export function usdAmountSetting(doc: string, defaultValue: string): Setting<number> {
  return { doc, default: defaultValue, parse: usdToMicro };
}
