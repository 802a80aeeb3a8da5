import { describe, expect, it } from 'vitest';
import { effectiveWindows, type WindowPolicy } from './job-windows.ts';

const POLICY: WindowPolicy = {
  defaultAcceptWindowSeconds: 86_400,
  minAcceptWindowSeconds: 300,
  maxAcceptWindowSeconds: 604_800,
  defaultAutoCompleteSeconds: 259_200,
  minAutoCompleteSeconds: 86_400,
  deliveryDeadlineFactor: 3,
  deliveryDeadlineFloorSeconds: 86_400,
};
const service = (overrides: Partial<Parameters<typeof effectiveWindows>[0]> = {}) => ({
  accept_window_seconds: null,
  auto_complete_seconds: null,
  estimated_minutes: null,
  ...overrides,
});

describe('effectiveWindows', () => {
  it('uses the platform defaults for a service that sets nothing, and the floor as its delivery window', () => {
    expect(effectiveWindows(service(), POLICY)).toEqual({ acceptWindowSeconds: 86_400, autoCompleteSeconds: 259_200, deliveryWindowSeconds: 86_400 });
  });

  it('never lets a service go below the auto-complete minimum: the effective window is max(service, minimum)', () => {
    expect(effectiveWindows(service({ auto_complete_seconds: 1 }), POLICY).autoCompleteSeconds).toBe(86_400);
    expect(effectiveWindows(service({ auto_complete_seconds: 100_000 }), POLICY).autoCompleteSeconds).toBe(100_000);
  });

  it('clamps the accept window into [minimum, maximum]', () => {
    expect(effectiveWindows(service({ accept_window_seconds: 10 }), POLICY).acceptWindowSeconds).toBe(300);
    expect(effectiveWindows(service({ accept_window_seconds: 3600 }), POLICY).acceptWindowSeconds).toBe(3600);
    expect(effectiveWindows(service({ accept_window_seconds: 10_000_000 }), POLICY).acceptWindowSeconds).toBe(604_800);
    // A maximum configured below the minimum still leaves the minimum.
    expect(effectiveWindows(service({ accept_window_seconds: 10 }), { ...POLICY, maxAcceptWindowSeconds: 60 }).acceptWindowSeconds).toBe(300);
  });

  it('gives estimated_minutes × factor to deliver, never less than the floor', () => {
    expect(effectiveWindows(service({ estimated_minutes: 600 }), POLICY).deliveryWindowSeconds).toBe(600 * 60 * 3);
    expect(effectiveWindows(service({ estimated_minutes: 30 }), POLICY).deliveryWindowSeconds).toBe(86_400);
  });
});
