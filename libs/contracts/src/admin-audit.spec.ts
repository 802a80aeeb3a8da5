import { describe, expect, it } from 'vitest';
import { auditSubjectOf, auditSubjectsOfType } from './admin-audit.ts';

describe('auditSubjectOf', () => {
  it('copies an admin’s resolution of a dispute to the audit trail', () => {
    expect(auditSubjectOf('job_resolved', { worker_share_pct: 50, note: 'half' })).toBe('audit.job.resolved');
    expect(auditSubjectOf('job_resolved', { worker_share_pct: 50, resolution: 'admin' })).toBe('audit.job.resolved');
  });

  it('leaves out disputes that ended on the ladder, without an admin', () => {
    for (const resolution of ['refund_accepted', 'proposal_accepted', 'response_window_passed']) {
      expect(auditSubjectOf('job_resolved', { worker_share_pct: 0, resolution }), resolution).toBeUndefined();
    }
    expect(auditSubjectOf('dispute_responded', { action: 'contest' })).toBeUndefined();
  });

  it('still lets the jobs service publish resolutions to the audit trail', () => {
    expect(auditSubjectsOfType('job_resolved')).toEqual(['audit.job.resolved']);
  });
});
