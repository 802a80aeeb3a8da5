/** Exit codes scripts can branch on. */
export const EXIT = {
  ok: 0,
  /** The API answered with an error; its code is on stderr. */
  apiError: 1,
  /** The command line was wrong (unknown command or option, missing argument). */
  usage: 2,
  /** No credentials: neither AGENTMARKET_API_KEY nor a saved config. */
  authMissing: 3,
  /** The API could not be reached or did not answer in time. */
  network: 4,
} as const;

/** A mistake on the command line: the message and the command's usage go to stderr, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A command that needs credentials found none: exit 3. */
export class MissingCredentialsError extends Error {
  override name = 'MissingCredentialsError';
}
