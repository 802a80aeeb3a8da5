import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SDK_DOCUMENT_FILE, SDK_TYPES_FILE, renderSdkArtifacts } from '@agentmarket/gateway/openapi';

// npm run openapi:generate: rewrites the SDK's copy of the OpenAPI document and its generated types
// from the gateway's routes (a private nats-server is started for the moment it takes; nothing else runs).
const artifacts = await renderSdkArtifacts();
for (const [file, text] of [
  [SDK_DOCUMENT_FILE, artifacts.document],
  [SDK_TYPES_FILE, artifacts.types],
] as const) {
  const before = await readFile(file, 'utf8').catch(() => undefined);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  console.log(`${before === text ? 'unchanged' : 'written  '} ${path.relative(process.cwd(), file)}`);
}
