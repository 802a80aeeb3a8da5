import type { z } from 'zod';

/** Zod issues as `{ "field.path": "what is wrong" }`: the `details` of a validation_failed error. */
export function issuesToDetails(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const details: Record<string, string> = {};
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) details[[...issue.path, key].join('.')] = 'unknown field';
      continue;
    }
    const path = issue.path.length > 0 ? issue.path.join('.') : '_';
    details[path] ??= issue.message;
  }
  return details;
}
