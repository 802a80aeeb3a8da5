import { describe, expect, it } from 'vitest';
import { UsageError } from './exit-codes.ts';
import { fieldText } from './field.ts';

describe('--field', () => {
  const answer = { id: 'j1', rating: 5, job: { status: 'completed', deliverables: [{ content: 'x' }] }, data: [{ id: 'a' }], note: null };

  it('prints text and numbers as they are, objects and null as JSON, following indexes into arrays', () => {
    expect(fieldText(answer, 'id')).toBe('j1');
    expect(fieldText(answer, 'rating')).toBe('5');
    expect(fieldText(answer, 'job.status')).toBe('completed');
    expect(fieldText(answer, 'data.0.id')).toBe('a');
    expect(fieldText(answer, 'job.deliverables')).toBe('[{"content":"x"}]');
    expect(fieldText(answer, 'note')).toBe('null');
  });

  it('refuses a path that leads nowhere', () => {
    expect(() => fieldText(answer, 'job.nope')).toThrow(UsageError);
    expect(() => fieldText(answer, 'note.x')).toThrow(UsageError);
  });
});
