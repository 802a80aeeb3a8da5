import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, uuidv7 } from '@agentmarket/contracts';
import { idempotencyDdl } from '@agentmarket/persistence';
import { BusClient, commandTransaction, handler, idempotencyClaimFor, openReply, serveRequests } from '../src/index.ts';
import { SCHEMA, startBusFixture } from './bus-fixture.ts';

let fixture: Awaited<ReturnType<typeof startBusFixture>>;
let bus: BusClient;
let responder: { stop(): Promise<void> };

beforeAll(async () => {
  fixture = await startBusFixture();
  for (const statement of idempotencyDdl(SCHEMA)) await fixture.orm.em.getConnection().execute(statement);
  bus = new BusClient(fixture.connection, 3000);
  responder = serveRequests(fixture.connection, {
    service: 'secrets',
    logger: fixture.logger,
    metrics: fixture.metrics,
    handlers: {
      // Like a registration: an effect, and a reply that carries a secret shown once.
      'secrets.issue': handler(z.object({ note: z.string() }), async (input) =>
        commandTransaction(
          fixture.orm,
          SCHEMA,
          async (em) => {
            const id = uuidv7();
            await em.execute(`insert into ${SCHEMA}.effects (event_id, note) values (?, ?)`, [id, input.note], 'run');
            return { id, secret: `secret-${id}` };
          },
          {
            secretReply: {
              publicPart: ({ secret: _secret, ...rest }) => rest,
              alreadyIssued: (earlier) => new AppError('key_already_issued', 'shown once', earlier),
            },
          },
        ),
      ),
    },
  });
});
afterAll(async () => {
  await responder?.stop();
  await fixture?.stop();
});

const effectsWith = async (note: string) =>
  (await fixture.orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from ${SCHEMA}.effects where note = ?`, [note], 'all'))[0]?.n;

describe('a command whose reply is a secret', () => {
  it('records a marker, not the reply: a retry with the same key gets key_already_issued with the public part, and no second effect', async () => {
    const key = `ip:203.0.113.9\n/api/agents\n${uuidv7()}`;
    const first = await bus.request<{ id: string; secret: string }>('secrets.issue', { note: 'issued-once' }, { idempotencyKey: key });
    expect(first.secret).toBe(`secret-${first.id}`);

    const retry = bus.request('secrets.issue', { note: 'issued-once' }, { idempotencyKey: key });
    await expect(retry).rejects.toMatchObject({ code: 'key_already_issued', details: { id: first.id } });
    expect(await effectsWith('issued-once')).toBe(1);

    // Even with the Idempotency-Key in hand (what unseals a record), the record holds no secret.
    const claim = idempotencyClaimFor(
      (await import('node:crypto')).createHash('sha256').update(key).digest('hex'),
      'secrets.issue',
      new Uint8Array(),
    );
    const rows = await fixture.orm.em
      .fork()
      .execute<{ key_hash: string; sealed_reply: Buffer }[]>(`select key_hash, sealed_reply from ${SCHEMA}.idempotency_keys`, [], 'all');
    const opened = rows.flatMap((row) => {
      try {
        return [openReply(row.sealed_reply, claim.sealKey)];
      } catch {
        return [];
      }
    });
    expect(opened).toContainEqual({ secret_issued: true, public_part: { id: first.id } });
    for (const reply of opened) expect(JSON.stringify(reply)).not.toContain(first.secret);
    expect(rows.every((row) => !row.sealed_reply.toString('utf8').includes(first.secret))).toBe(true);
  });
});
