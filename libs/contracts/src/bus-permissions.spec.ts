import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_SUBJECTS } from '@agentmarket/auth';
import { CONSUMERS, SERVICE_NAMES, SUBJECTS } from './bus.ts';
import {
  BUS_CALLS,
  BUS_USERS,
  CORE_EVENT_SUBSCRIPTIONS,
  EVENT_AGGREGATE_OWNERS,
  GATEWAY_KV_BUCKETS,
  busPermissionsOf,
  inboxPrefixOf,
  type BusPermissions,
  type BusProcess,
} from './bus-permissions.ts';
import { EVENT_TYPES, subjectForEvent, type EventType } from './events.ts';

/**
 * Holds the permissions to the code: every subject a process's source uses
 * must be one its NATS user may use, so a new call, event or subscription
 * fails here, not as a "Permissions Violation" in production.
 */
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const PROCESSES = BUS_USERS.filter((user): user is BusProcess => user !== 'operator');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return name === 'migrations' ? [] : sourceFiles(file);
    return file.endsWith('.ts') && !file.endsWith('.spec.ts') ? [file] : [];
  });
}

const sourceOf = (process: BusProcess) => sourceFiles(path.join(ROOT, 'services', process, 'src')).map((file) => readFileSync(file, 'utf8'));

/** `SUBJECTS.<service>.<key>`, `const subjects = SUBJECTS.<service>` then `subjects.<key>`, and ACCOUNT_SUBJECTS.<key>. */
function requestSubjectsUsedBy(process: BusProcess): Set<string> {
  const table = SUBJECTS as Record<string, Record<string, string>>;
  const used = new Set<string>();
  for (const text of sourceOf(process)) {
    for (const match of text.matchAll(/\bSUBJECTS\.(\w+)\.(\w+)/g)) {
      const subject = table[match[1]!]?.[match[2]!];
      if (subject) used.add(subject);
    }
    for (const alias of text.matchAll(/\b(?:const|let)\s+(\w+)\s*=\s*SUBJECTS\.(\w+)\s*;/g)) {
      for (const match of text.matchAll(new RegExp(`\\b${alias[1]}\\.(\\w+)`, 'g'))) {
        const subject = table[alias[2]!]?.[match[1]!];
        if (subject) used.add(subject);
      }
    }
    for (const match of text.matchAll(/\bACCOUNT_SUBJECTS\.(\w+)/g)) {
      const subject = (ACCOUNT_SUBJECTS as Record<string, string>)[match[1]!];
      if (subject) used.add(subject);
    }
  }
  return used;
}

/** NATS's own matching: `*` one token, `>` the rest. */
function matches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length || (p[i] !== '*' && p[i] !== s[i])) return false;
  }
  return p.length === s.length;
}

const mayPublish = (permissions: BusPermissions, subject: string) =>
  permissions.publish.allow.some((pattern) => matches(pattern, subject)) && !permissions.publish.deny.some((pattern) => matches(pattern, subject));
const maySubscribe = (permissions: BusPermissions, subject: string) =>
  permissions.subscribe.allow.some((pattern) => matches(pattern, subject)) && !permissions.subscribe.deny.some((pattern) => matches(pattern, subject));
const restricted = (process: BusProcess) => busPermissionsOf(process) as BusPermissions;

describe('bus permissions derived from the declarations', () => {
  it('has one user per service, the gateway and the operator', () => {
    expect([...BUS_USERS].sort()).toEqual([...SERVICE_NAMES, 'gateway', 'operator'].sort());
    expect(busPermissionsOf('operator')).toBe('all');
  });

  it('lets each service answer exactly its own request subjects, all of which start with its name', () => {
    for (const service of SERVICE_NAMES) {
      for (const subject of Object.values((SUBJECTS as Record<string, Record<string, string>>)[service] ?? {})) {
        expect(subject.startsWith(`${service}.`), `${subject} of ${service}`).toBe(true);
        expect(maySubscribe(restricted(service), subject)).toBe(true);
        for (const other of PROCESSES.filter((process) => process !== service)) expect(maySubscribe(restricted(other), subject), `${other} answering ${subject}`).toBe(false);
      }
    }
  });

  it('lets a service answer into the inboxes of the processes that call it (and the operator’s), and into no other', () => {
    for (const service of SERVICE_NAMES) {
      const reply = (user: string) => `${inboxPrefixOf(user)}.K3Xq9.1`;
      for (const caller of PROCESSES) {
        const calls = BUS_CALLS[caller].some((subject) => subject.startsWith(`${service}.`));
        expect(mayPublish(restricted(service), reply(caller)), `${service} answering ${caller}`).toBe(calls || caller === service);
      }
      // The operator's inboxes (its own prefix, and the default one of tools that set none): only the operator may read them.
      for (const operatorInbox of [reply('operator'), '_INBOX.K3Xq9.1']) {
        expect(mayPublish(restricted(service), operatorInbox)).toBe(true);
        for (const process of PROCESSES) expect(maySubscribe(restricted(process), operatorInbox), `${process} reading ${operatorInbox}`).toBe(false);
      }
    }
    // The gateway calls every service, so every service answers it.
    for (const service of SERVICE_NAMES) expect(mayPublish(restricted(service), `${inboxPrefixOf('gateway')}.x.1`)).toBe(true);
  });

  it('names the owning service of every event aggregate, and lets only that service publish its events', () => {
    for (const type of Object.keys(EVENT_TYPES) as EventType[]) {
      const owner = (EVENT_AGGREGATE_OWNERS as Record<string, string>)[EVENT_TYPES[type].aggregate];
      expect(owner, `no owner for aggregate "${EVENT_TYPES[type].aggregate}" (${type}): add it to EVENT_AGGREGATE_OWNERS`).toBeDefined();
      for (const process of PROCESSES) expect(mayPublish(restricted(process), subjectForEvent(type)), `${process} publishing ${type}`).toBe(process === owner);
    }
  });

  it('lets a service read only its own durable consumers and dead-letter only their messages', () => {
    for (const service of SERVICE_NAMES) {
      for (const [owner, group] of Object.entries(CONSUMERS)) {
        for (const consumer of Object.values(group as Record<string, { stream: string; durable: string }>)) {
          const pull = `$JS.API.CONSUMER.MSG.NEXT.${consumer.stream}.${consumer.durable}`;
          expect(mayPublish(restricted(service), pull), `${service} pulling ${consumer.durable}`).toBe(owner === service);
          expect(mayPublish(restricted(service), `dlq.${consumer.durable}`)).toBe(owner === service);
        }
      }
    }
    // The gateway's ordered consumers on EVENTS cannot touch a service's durable.
    expect(mayPublish(restricted('gateway'), '$JS.API.CONSUMER.MSG.NEXT.EVENTS.someOrderedConsumer_1')).toBe(true);
    expect(mayPublish(restricted('gateway'), `$JS.API.CONSUMER.MSG.NEXT.EVENTS.${CONSUMERS.payments.jobSettlement.durable}`)).toBe(false);
    expect(mayPublish(restricted('gateway'), `$JS.API.CONSUMER.DELETE.EVENTS.${CONSUMERS.payments.jobSettlement.durable}`)).toBe(false);
  });

  it.each(PROCESSES)('permits every request subject %s calls in its source, and declares no call it does not make', (process) => {
    const own = (subject: string) => subject.startsWith(`${process}.`);
    const used = [...requestSubjectsUsedBy(process)].filter((subject) => !own(subject));
    for (const subject of used) {
      expect(BUS_CALLS[process], `${process} calls ${subject}: add it to BUS_CALLS.${process} in bus-permissions.ts`).toContain(subject);
      expect(mayPublish(restricted(process), subject)).toBe(true);
    }
    const pings = process === 'gateway' ? SERVICE_NAMES.map((service) => `${service}.ping`) : [];
    for (const declared of BUS_CALLS[process]) {
      expect([...used, ...pings], `BUS_CALLS.${process} lists ${declared}, which its source never uses: remove it`).toContain(declared);
    }
  });

  it('keeps admin-only and internal subjects away from the services that have no business with them', () => {
    expect(mayPublish(restricted('jobs'), SUBJECTS.payments.credit)).toBe(false);
    expect(mayPublish(restricted('executor'), SUBJECTS.payments.hold)).toBe(false);
    expect(mayPublish(restricted('messaging'), SUBJECTS.identity.verifyKey)).toBe(false);
    for (const subject of ['evt.agent.registered', 'evt.job.completed', 'work.llm.x', 'dlq.x']) expect(mayPublish(restricted('gateway'), subject)).toBe(false);
  });

  it.each(PROCESSES)('permits every core subscription and KV bucket %s opens in its source', (process) => {
    for (const text of sourceOf(process)) {
      for (const match of text.matchAll(/\.subscribe\(\s*'([^']+)'/g)) {
        expect(CORE_EVENT_SUBSCRIPTIONS[process] ?? [], `${process} subscribes to ${match[1]}: add it to CORE_EVENT_SUBSCRIPTIONS`).toContain(match[1]);
        expect(maySubscribe(restricted(process), match[1]!)).toBe(true);
      }
      for (const match of text.matchAll(/_BUCKET\s*=\s*'([^']+)'/g)) {
        expect(process, `KV bucket ${match[1]} outside the gateway`).toBe('gateway');
        expect(GATEWAY_KV_BUCKETS as readonly string[]).toContain(match[1]);
        expect(mayPublish(restricted(process), `$KV.${match[1]}.some-key`)).toBe(true);
      }
    }
  });

  it.each(PROCESSES)('permits every event type %s writes to its outbox', (process) => {
    for (const text of sourceOf(process)) {
      for (const match of text.matchAll(/\btype:\s*'(\w+)'/g)) {
        if (!Object.hasOwn(EVENT_TYPES, match[1]!) || match[1] === 'llm_work_requested') continue;
        expect(mayPublish(restricted(process), subjectForEvent(match[1] as EventType)), `${process} writes ${match[1]}`).toBe(true);
      }
    }
  });
});
