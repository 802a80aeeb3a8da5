import type { Artifact, Part } from '@a2a-js/sdk';
import { describe, expect, it } from 'vitest';
import { deliverableOf } from './seller-deliverable.ts';

const part = (content: Part['content']): Part => ({ content, metadata: undefined, filename: '', mediaType: '' });
const artifact = (artifactId: string, parts: Part[]): Artifact => ({ artifactId, name: artifactId, description: '', parts, metadata: undefined, extensions: [] });
const task = { taskId: 't1', contextId: 'c1' };

describe('deliverableOf: a completed seller task’s artifacts as the job’s deliverable', () => {
  it('takes a text part as text content, a data part as JSON content', () => {
    expect(deliverableOf([artifact('a', [part({ $case: 'text', value: 'hello' })])], task)).toEqual({
      artifact_type: 'text',
      content: 'hello',
      artifact_metadata: { a2a: { task_id: 't1', context_id: 'c1', artifact_id: 'a', artifact_name: 'a' } },
    });
    expect(deliverableOf([artifact('a', [part({ $case: 'data', value: { lines: 3 } })])], task)).toMatchObject({ artifact_type: 'json', content: { lines: 3 } });
    expect(deliverableOf([artifact('a', [part({ $case: 'data', value: 7 })])], task)).toMatchObject({ content: { value: 7 } });
  });

  it('joins several text parts, and keeps a mixed artifact as an array', () => {
    expect(deliverableOf([artifact('a', [part({ $case: 'text', value: 'one' }), part({ $case: 'text', value: 'two' })])], task)?.content).toBe('one\n\ntwo');
    expect(deliverableOf([artifact('a', [part({ $case: 'text', value: 'one' }), part({ $case: 'data', value: { n: 2 } })])], task)?.content).toEqual(['one', { n: 2 }]);
  });

  it('keeps every further artifact in the metadata', () => {
    const deliverable = deliverableOf([artifact('a', [part({ $case: 'text', value: 'main' })]), artifact('b', [part({ $case: 'data', value: { extra: true } })])], task);
    expect(deliverable?.content).toBe('main');
    expect(deliverable?.artifact_metadata).toMatchObject({ a2a: { more_artifacts: [{ artifact_id: 'b', name: 'b', content: { extra: true } }] } });
  });

  it('has nothing to deliver without an artifact that has a part', () => {
    expect(deliverableOf([], task)).toBeUndefined();
    expect(deliverableOf([artifact('empty', [])], task)).toBeUndefined();
  });
});
