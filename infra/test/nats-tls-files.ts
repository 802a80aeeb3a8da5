import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The names the NATS server certificate is valid for: compose's service, the k8s Service, and this machine. */
export const NATS_SERVER_NAMES = ['DNS:nats', 'DNS:nats.nats.svc.cluster.local', 'DNS:*.nats.nats.svc.cluster.local', 'DNS:localhost', 'IP:127.0.0.1'];

/**
 * A private CA and a NATS server certificate signed by it, in `dir` as
 * docker-compose.yml reads them (ca.pem, server.pem, server-key.pem): the
 * openssl commands of docs/operators/secrets.md, run here.
 */
export async function writeNatsTlsFiles(dir: string): Promise<{ ca: string; cert: string; key: string }> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const at = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => run('openssl', args, { cwd: dir });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await openssl('req', '-x509', ...ecKey, '-days', '3650', '-subj', '/CN=AgentMarket NATS CA', '-keyout', 'ca-key.pem', '-out', 'ca.pem');
  await openssl('req', ...ecKey, '-subj', '/CN=nats', '-keyout', 'server-key.pem', '-out', 'server.csr');
  await writeFile(at('server.ext'), `subjectAltName=${NATS_SERVER_NAMES.join(',')}\n`);
  await openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-days', '825', '-extfile', 'server.ext', '-out', 'server.pem');
  return { ca: at('ca.pem'), cert: at('server.pem'), key: at('server-key.pem') };
}
