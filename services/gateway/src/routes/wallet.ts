import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  SUBJECTS,
  adminCreditInputSchema,
  creditedSchema,
  ledgerEntrySchema,
  transactionsQuerySchema,
  uuidv7,
  walletSchema,
  type CreditedView,
  type LedgerEntryPage,
  type WalletView,
} from '@agentmarket/contracts';
import type { BusClient } from '@agentmarket/messaging';
import { z } from 'zod';
import { busOptionsOf, idempotencyKeyOf } from '../plugins/idempotency.ts';
import { zodRoute } from '../plugins/zod-routes.ts';
import { callerOf, clientOf } from './caller.ts';
import { commandErrorResponses, errorResponses, pageOf } from './schemas.ts';

const tags = ['wallet'];

/** Wallet routes (payments service): balances, ledger entries, and an admin's credit. */
export function walletRoutes(app: FastifyInstance, bus: BusClient): void {
  const subjects = SUBJECTS.payments;
  const call = <T>(subject: string, payload: unknown, request: FastifyRequest) => bus.request<T>(subject, payload, busOptionsOf(request));

  zodRoute(app, {
    method: 'GET',
    url: '/api/wallet',
    summary: 'My balances per currency: available and held in escrow',
    tags,
    access: 'party',
    responses: { 200: walletSchema, ...errorResponses },
    handler: async (request) => call<WalletView>(subjects.wallet, { owner: clientOf(request) }, request),
  });

  zodRoute(app, {
    method: 'GET',
    url: '/api/wallet/transactions',
    summary: 'Ledger entries touching my wallet, newest first',
    tags,
    access: 'party',
    querystring: transactionsQuerySchema,
    responses: { 200: pageOf(ledgerEntrySchema), ...errorResponses },
    handler: async (request) =>
      call<LedgerEntryPage>(subjects.transactions, { owner: clientOf(request), query: request.query }, request),
  });

  zodRoute(app, {
    method: 'POST',
    url: '/api/admin/credit',
    summary: 'Credit a wallet from outside the market (admin)',
    tags: ['admin'],
    access: 'admin',
    body: adminCreditInputSchema,
    responses: { 201: creditedSchema, ...commandErrorResponses },
    handler: async (request, reply) => {
      const body = request.body as z.output<typeof adminCreditInputSchema>;
      const owner = body.agent_id ? { type: 'agent', id: body.agent_id } : { type: 'user', id: body.user_id };
      const [currency, amount] = body.amount_usd !== undefined ? ['USD', body.amount_usd] : ['SAT', body.amount_sats];
      // With an Idempotency-Key the transfer id is derived from it, so even a retry after a lost response credits once.
      const key = idempotencyKeyOf(request);
      const command = {
        transfer_id: key ? `credit:key:${key}` : `credit:${uuidv7()}`,
        owner,
        currency,
        amount,
        note: body.note,
        // Who credits: the audit trail names this admin.
        credited_by: callerOf(request).id ?? 'admin-key',
      };
      return reply.status(201).send(await call<CreditedView>(subjects.credit, command, request));
    },
  });
}
