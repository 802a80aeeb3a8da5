import path from 'node:path';
import { parseArgs } from 'node:util';
import { BUS_USERS } from '@agentmarket/contracts';
import { NATS_AUTH_CONFIG_FILE, credentialsFileOf, ensureNatsAuth } from '@agentmarket/local-infra';

// `npm run nats:config -- --out <dir>`: the nats-server users and permissions for a deployment, and one
// credentials file per process. Passwords already in <dir> are kept, so running it again after a code
// change only refreshes the permissions.
const { values } = parseArgs({ options: { out: { type: 'string' } } });
if (!values.out) {
  console.error('usage: npm run nats:config -- --out <dir>');
  process.exit(2);
}
const dir = path.resolve(values.out);
const auth = await ensureNatsAuth(dir);
const say = (line = '') => process.stdout.write(`${line}\n`);
say(`wrote ${auth.configFile} (users and permissions; include it from the server's config or run nats-server -c it)`);
say(`wrote ${BUS_USERS.map((user) => path.basename(credentialsFileOf(dir, user))).join(', ')} (NATS_USER and NATS_PASSWORD of each process; operator is for tools)`);
say('all mode 0600: keep them out of git.');
say();
say('docker compose: docker-compose.yml reads them from ./nats-secrets (run with --out nats-secrets).');
say('kubernetes:');
say(`  kubectl -n agentmarket create secret generic agentmarket-nats-server --from-file=${NATS_AUTH_CONFIG_FILE}=${auth.configFile}`);
for (const user of BUS_USERS.filter((name) => name !== 'operator')) {
  say(`  kubectl -n agentmarket create secret generic agentmarket-nats-${user} --from-env-file=${credentialsFileOf(dir, user)}`);
}
