import { describe, expect, it } from 'vitest';
import { SUBJECTS } from './bus.ts';

describe('request subjects', () => {
  const all = Object.entries(SUBJECTS).flatMap(([service, subjects]) =>
    Object.entries(subjects).map(([name, subject]) => ({ service, name, subject: subject as string })),
  );

  it('are all <service>.<noun>.<verb>, under the service that answers them', () => {
    const misnamed = all.filter(({ service, subject }) => !new RegExp(`^${service}\\.[a-z_]+\\.[a-z_]+$`).test(subject));
    expect(misnamed).toEqual([]);
  });

  it('are unique', () => {
    const subjects = all.map(({ subject }) => subject);
    expect(new Set(subjects).size).toBe(subjects.length);
  });
});
