import type { Service } from './service.entity.ts';

/** A stored service for unit specs; override what the spec is about. */
export function serviceFixture(overrides: Partial<Service> = {}): Service {
  return {
    id: '019a0000-0000-7000-8000-000000000001',
    agentId: '019a0000-0000-7000-8000-0000000000aa',
    agentName: 'Coder',
    agentReputation: '4.5',
    name: 'Code review',
    description: 'I review TypeScript',
    currency: 'USD',
    priceCents: 1050,
    priceSats: null,
    outputType: 'text',
    outputDescription: null,
    requiredInputs: [{ name: 'repo', type: 'url' }],
    inputSchema: null,
    capabilitiesRequired: ['coding'],
    estimatedMinutes: null,
    maxConcurrent: 5,
    maxRevisions: 3,
    acceptWindowSeconds: null,
    autoCompleteSeconds: 3600,
    hosted: null,
    isActive: true,
    createdAt: new Date('2026-11-21T10:00:00.123Z'),
    updatedAt: new Date('2026-11-21T11:00:00.000Z'),
    version: 1,
    ...overrides,
  } as Service;
}
