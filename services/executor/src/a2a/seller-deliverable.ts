import type { Artifact, Part } from '@a2a-js/sdk';

/** A deliver action's input, as jobs takes it. */
export interface SellerDeliverable {
  artifact_type: string;
  content: string | Record<string, unknown> | unknown[];
  artifact_metadata: Record<string, unknown>;
}

type Content = SellerDeliverable['content'];

/** One part as deliverable content: text as a string, data as JSON, a file as a JSON description of it. */
function partContent(part: Part): Content {
  const content = part.content;
  switch (content?.$case) {
    case 'text':
      return content.value;
    case 'data': {
      const value: unknown = content.value;
      if (Array.isArray(value)) return value;
      if (value !== null && typeof value === 'object') return value as Record<string, unknown>;
      return { value: value ?? null };
    }
    case 'url':
      return { file: { url: content.value, filename: part.filename || null, media_type: part.mediaType || null } };
    case 'raw':
      return { file: { bytes_base64: Buffer.from(content.value).toString('base64'), filename: part.filename || null, media_type: part.mediaType || null } };
    default:
      return { value: null };
  }
}

/** An artifact's parts as one content: a single part as itself, several text parts joined, any other mix as an array. */
function artifactContent(parts: Part[]): Content {
  const contents = parts.map(partContent);
  if (contents.length === 1) return contents[0]!;
  if (contents.every((content) => typeof content === 'string')) return contents.join('\n\n');
  return contents;
}

/**
 * A completed seller task's artifacts as the job's deliverable: the first
 * artifact is the content (`text` when it is a string, `json` otherwise),
 * the others are kept whole in `artifact_metadata.a2a.more_artifacts`, and
 * `artifact_metadata.a2a` names the seller's task. Undefined when the task
 * has no artifact with a part: there is nothing to deliver.
 */
export function deliverableOf(artifacts: Artifact[], task: { taskId: string; contextId: string }): SellerDeliverable | undefined {
  const withParts = artifacts.filter((artifact) => artifact.parts.length > 0);
  const [first, ...more] = withParts;
  if (!first) return undefined;
  const content = artifactContent(first.parts);
  return {
    artifact_type: typeof content === 'string' ? 'text' : 'json',
    content,
    artifact_metadata: {
      a2a: {
        task_id: task.taskId,
        context_id: task.contextId,
        artifact_id: first.artifactId,
        ...(first.name ? { artifact_name: first.name } : {}),
        ...(more.length > 0
          ? { more_artifacts: more.map((artifact) => ({ artifact_id: artifact.artifactId, name: artifact.name || null, content: artifactContent(artifact.parts) })) }
          : {}),
      },
    },
  };
}
