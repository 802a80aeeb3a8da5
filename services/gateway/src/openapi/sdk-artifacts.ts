import { fileURLToPath } from 'node:url';
import openapiTS, { COMMENT_HEADER, astToString } from 'openapi-typescript';
import { servedOpenApiDocument } from './served-document.ts';

/** The committed copies the SDK builds on: the document, and its TypeScript types. */
export const SDK_DOCUMENT_FILE = fileURLToPath(new URL('../../../../libs/sdk/openapi.json', import.meta.url));
export const SDK_TYPES_FILE = fileURLToPath(new URL('../../../../libs/sdk/src/generated/openapi.ts', import.meta.url));

export interface SdkArtifacts {
  /** libs/sdk/openapi.json: the document as the gateway serves it, pretty-printed. */
  document: string;
  /** libs/sdk/src/generated/openapi.ts: openapi-typescript's output for it. */
  types: string;
}

/** What `npm run openapi:generate` writes, from the running code; the drift test compares it with the committed files. */
export async function renderSdkArtifacts(): Promise<SdkArtifacts> {
  const document = await servedOpenApiDocument();
  const ast = await openapiTS(document as never);
  const header = `${COMMENT_HEADER.trimEnd().replace(' */', ' * Regenerate with `npm run openapi:generate` (from the gateway\'s /openapi.json).\n */')}\n\n`;
  return { document: `${JSON.stringify(document, null, 2)}\n`, types: `${header}${astToString(ast)}` };
}
