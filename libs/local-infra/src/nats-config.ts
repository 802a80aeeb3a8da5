import { BUS_USERS, busPermissionsOf, type BusUser } from '@agentmarket/contracts';

/** One password per bus user. */
export type BusPasswords = Record<BusUser, string>;

export interface NatsAuthConfigOptions {
  passwords: BusPasswords;
  /**
   * A client that connects without credentials is treated as this user. Only
   * the test stack sets it (to `operator`, so test helpers keep connecting as
   * they always did); a real deployment leaves it unset, so anonymous clients are refused.
   */
  noAuthUser?: BusUser;
}

/**
 * The authorization block of a nats-server config: every bus user with its
 * password and the permissions derived in libs/contracts (bus-permissions.ts).
 * Strings are JSON-quoted: nats-server would otherwise read `$JS…` as a variable.
 */
export function renderNatsAuthConfig(options: NatsAuthConfigOptions): string {
  const q = (value: string) => JSON.stringify(value);
  const list = (values: string[]) => `[${values.map(q).join(', ')}]`;
  const users = BUS_USERS.map((user) => {
    const permissions = busPermissionsOf(user);
    const body =
      permissions === 'all'
        ? `publish: ${q('>')}, subscribe: ${q('>')}`
        : [
            `publish: { allow: ${list(permissions.publish.allow)}${permissions.publish.deny.length > 0 ? `, deny: ${list(permissions.publish.deny)}` : ''} }`,
            `subscribe: { allow: ${list(permissions.subscribe.allow)}${permissions.subscribe.deny.length > 0 ? `, deny: ${list(permissions.subscribe.deny)}` : ''} }`,
          ].join(',\n        ');
    return `    {\n      user: ${q(user)}\n      password: ${q(options.passwords[user])}\n      permissions: {\n        ${body}\n      }\n    }`;
  });
  return [
    '# Generated from the bus declarations (libs/contracts/src/bus-permissions.ts): do not edit, regenerate.',
    'authorization {',
    '  users: [',
    users.join(',\n'),
    '  ]',
    '}',
    ...(options.noAuthUser ? [`no_auth_user: ${q(options.noAuthUser)}`] : []),
    '',
  ].join('\n');
}
