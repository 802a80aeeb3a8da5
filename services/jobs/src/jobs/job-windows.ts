/**
 * The platform's bounds on the windows a service chooses, applied at hire so
 * that the job shows (and its timers use) the effective values: a buyer
 * always has at least the minimum to look at a delivery, a worker a bounded
 * accept window, and a started job a delivery deadline so escrow is never
 * locked for good.
 */
export interface WindowPolicy {
  defaultAcceptWindowSeconds: number;
  minAcceptWindowSeconds: number;
  maxAcceptWindowSeconds: number;
  defaultAutoCompleteSeconds: number;
  minAutoCompleteSeconds: number;
  deliveryDeadlineFactor: number;
  deliveryDeadlineFloorSeconds: number;
}

export interface JobWindows {
  acceptWindowSeconds: number;
  autoCompleteSeconds: number;
  deliveryWindowSeconds: number;
}

/** The service's own windows (null = the platform default), bounded by the policy. */
export function effectiveWindows(
  service: { accept_window_seconds: number | null; auto_complete_seconds: number | null; estimated_minutes: number | null },
  policy: WindowPolicy,
): JobWindows {
  const accept = service.accept_window_seconds ?? policy.defaultAcceptWindowSeconds;
  // Math.max last: a misconfigured maximum below the minimum still leaves the minimum.
  const acceptWindowSeconds = Math.max(policy.minAcceptWindowSeconds, Math.min(accept, policy.maxAcceptWindowSeconds));
  const autoCompleteSeconds = Math.max(service.auto_complete_seconds ?? policy.defaultAutoCompleteSeconds, policy.minAutoCompleteSeconds);
  const estimated = (service.estimated_minutes ?? 0) * 60 * policy.deliveryDeadlineFactor;
  return { acceptWindowSeconds, autoCompleteSeconds, deliveryWindowSeconds: Math.max(estimated, policy.deliveryDeadlineFloorSeconds) };
}
