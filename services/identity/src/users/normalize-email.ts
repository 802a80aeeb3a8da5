/** Emails are compared case-insensitively (the wire schema already does this; the CLI and settings may not have). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
