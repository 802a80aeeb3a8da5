import { busSettings, commonSettings, consumerSettings, databaseSettings, int, oneOf, productionRequired, str } from '@agentmarket/config';

// Secrets are plain strings here and checked by the module: a parse error in
// loadSettings would print the rejected value, and these values are secrets.
export const identitySettings = {
  ...commonSettings,
  ...databaseSettings,
  ...busSettings,
  ...consumerSettings,
  NODE_ENV: str('production = identity refuses to start without JWT_KEYS', 'development'),
  JWT_KEYS: productionRequired(
    str("HS256 keys as kid:secret,kid:secret (secrets ≥ 32 characters); empty = people's accounts off (refused when NODE_ENV=production)", ''),
  ),
  JWT_SIGNING_KEY_ID: str('key id in JWT_KEYS that signs new tokens (the others only verify); may be empty with one key', ''),
  JWT_TTL_SECONDS: int('lifetime of an access token in seconds', 900, { min: 10, max: 86_400 }),
  LOGIN_MAX_FAILURES: int('failed logins for one email from one address before each further attempt waits 1, 2, 4 … s', 5, { min: 1, max: 1000 }),
  LOGIN_WINDOW_SECONDS: int('a login failure counter with no attempt for this many seconds is forgotten', 900, {
    min: 1,
    max: 86_400,
  }),
  LOGIN_MAX_DELAY_SECONDS: int('the longest wait the doubling login delay reaches (an email tried from many addresses: at most 60 s)', 900, {
    min: 1,
    max: 86_400,
  }),
  ADMIN_EMAIL: str('an admin account created on start when no user has this email (with ADMIN_PASSWORD)', ''),
  A2A_ALLOW_PRIVATE_NETWORKS: oneOf(
    "true = an agent's a2a_url may be http and point at loopback/private addresses (development; `npm start` sets it); false = https and public addresses only",
    ['true', 'false'],
    'false',
  ),
  ADMIN_PASSWORD: str('the password of ADMIN_EMAIL’s account when it is created (12–200 characters)', ''),
};
