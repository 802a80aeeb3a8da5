import type { Setting } from '@agentmarket/config';

interface DecimalBounds {
  atLeast?: number;
  above?: number;
  atMost?: number;
  below?: number;
}

/** A decimal number setting ("3.5"); libs/config only has integers. */
export function decimal(doc: string, defaultValue: number, bounds: DecimalBounds = {}): Setting<number> {
  return {
    doc,
    default: String(defaultValue),
    parse: (raw) => {
      const value = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(value)) throw new Error('not a number');
      if (bounds.atLeast !== undefined && value < bounds.atLeast) throw new Error(`must be ≥ ${bounds.atLeast}`);
      if (bounds.above !== undefined && value <= bounds.above) throw new Error(`must be > ${bounds.above}`);
      if (bounds.atMost !== undefined && value > bounds.atMost) throw new Error(`must be ≤ ${bounds.atMost}`);
      if (bounds.below !== undefined && value >= bounds.below) throw new Error(`must be < ${bounds.below}`);
      return value;
    },
  };
}
