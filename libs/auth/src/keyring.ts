import { inspect } from 'node:util';

/** Shortest HS256 secret accepted: 32 characters, so a key is never a guessable word. */
export const MIN_SECRET_LENGTH = 32;

const KID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** A configuration mistake in JWT_KEYS / JWT_SIGNING_KEY_ID. Messages name key ids, never secrets. */
export class KeyringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyringError';
  }
}

/**
 * The HS256 keys a process knows, by key id: one signs new tokens, all of
 * them verify, so a rotated-out key keeps its tokens valid until they
 * expire. Secrets stay inside: logging or serialising a keyring shows the
 * key ids only.
 */
export class Keyring {
  readonly signingKeyId: string;
  readonly #secrets: ReadonlyMap<string, Buffer>;

  constructor(secrets: ReadonlyMap<string, Buffer>, signingKeyId: string) {
    if (!secrets.has(signingKeyId)) throw new KeyringError(`The signing key "${signingKeyId}" is not among the keys (${[...secrets.keys()].join(', ')})`);
    this.#secrets = new Map(secrets);
    this.signingKeyId = signingKeyId;
  }

  /** The secret of a key id, or undefined for a key this process does not know. */
  secretOf(kid: string): Buffer | undefined {
    return this.#secrets.get(kid);
  }

  get keyIds(): string[] {
    return [...this.#secrets.keys()];
  }

  toJSON(): { signingKeyId: string; keyIds: string[] } {
    return { signingKeyId: this.signingKeyId, keyIds: this.keyIds };
  }

  [inspect.custom](): string {
    return `Keyring(signing: ${this.signingKeyId}, keys: ${this.keyIds.join(', ')})`;
  }
}

/**
 * Builds the keyring from `JWT_KEYS` (`kid1:secret1,kid2:secret2`) and
 * `JWT_SIGNING_KEY_ID` (may be empty when there is exactly one key).
 * Throws a KeyringError that says what is wrong without echoing a secret.
 */
export function parseKeyring(jwtKeys: string, signingKeyId = ''): Keyring {
  const entries = jwtKeys
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) throw new KeyringError('JWT_KEYS is empty: give at least one key as kid:secret');
  const secrets = new Map<string, Buffer>();
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    if (colon < 0) throw new KeyringError(`JWT_KEYS entry ${index + 1} is not kid:secret`);
    const kid = entry.slice(0, colon).trim();
    const secret = entry.slice(colon + 1).trim();
    if (!KID_PATTERN.test(kid)) throw new KeyringError(`JWT_KEYS entry ${index + 1}: the key id must be 1–64 letters, digits, '.', '_' or '-'`);
    if (secrets.has(kid)) throw new KeyringError(`JWT_KEYS names the key id "${kid}" twice`);
    if (secret.length < MIN_SECRET_LENGTH) {
      throw new KeyringError(`JWT_KEYS key "${kid}": the secret has ${secret.length} characters, at least ${MIN_SECRET_LENGTH} are required`);
    }
    secrets.set(kid, Buffer.from(secret, 'utf8'));
  });
  const chosen = signingKeyId.trim();
  if (chosen === '') {
    const [only, ...others] = secrets.keys();
    if (only === undefined || others.length > 0) {
      throw new KeyringError(`JWT_SIGNING_KEY_ID is required when JWT_KEYS has several keys (${[...secrets.keys()].join(', ')})`);
    }
    return new Keyring(secrets, only);
  }
  if (!secrets.has(chosen)) {
    throw new KeyringError(`JWT_SIGNING_KEY_ID "${chosen}" is not a key id of JWT_KEYS (${[...secrets.keys()].join(', ')})`);
  }
  return new Keyring(secrets, chosen);
}
