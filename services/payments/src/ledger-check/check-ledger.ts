import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { holdProblems } from './hold-problems.ts';
import {
  accountsOffTheirTransfers,
  currenciesNotSummingToZero,
  earningsMismatches,
  escrowOffHeldHolds,
  holdLedgerRows,
  misroutedHoldTransfers,
  negativeAccounts,
  settledVolumeMismatches,
  transfersAcrossCurrencies,
  unsoundBudgets,
} from './ledger-audit.repository.ts';

/**
 * Verifies the ledger's invariants and returns what is wrong (empty when
 * sound). Every query reads one snapshot (repeatable read), so a check on a
 * live database never reports a transfer caught half-posted.
 */
export async function checkLedger(em: EntityManager): Promise<string[]> {
  return em.fork().transactional(
    async (tx) => [
      ...(await sumsToZero(tx)),
      ...(await negativeBalances(tx)),
      ...(await balancesMatchTransfers(tx)),
      ...(await currenciesMatch(tx)),
      ...(await escrowMatchesHolds(tx)),
      ...holdProblems(await holdLedgerRows(tx)),
      ...(await holdTransfersGoWhereTheyShould(tx)),
      ...(await totalsMatch(tx)),
      ...(await budgetsAreSound(tx)),
    ],
    { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
  );
}

async function sumsToZero(em: EntityManager): Promise<string[]> {
  const rows = await currenciesNotSummingToZero(em);
  return rows.map((row) => `${row.currency}: the balances of all accounts sum to ${row.total}, not 0`);
}

async function negativeBalances(em: EntityManager): Promise<string[]> {
  const rows = await negativeAccounts(em);
  return rows.map((row) => `${row.owner_key} ${row.currency}: negative balance ${row.balance}`);
}

async function balancesMatchTransfers(em: EntityManager): Promise<string[]> {
  const rows = await accountsOffTheirTransfers(em);
  return rows.map((row) => `${row.owner_key} ${row.currency}: balance ${row.balance}, but its transfers add up to ${row.computed}`);
}

async function currenciesMatch(em: EntityManager): Promise<string[]> {
  const rows = await transfersAcrossCurrencies(em);
  return rows.map((row) => `transfer ${row.id} in ${row.currency} moves between ${row.debit_currency} and ${row.credit_currency} accounts`);
}

async function escrowMatchesHolds(em: EntityManager): Promise<string[]> {
  const rows = await escrowOffHeldHolds(em);
  return rows.map((row) => `${row.currency}: escrow holds ${row.escrow}, but the holds still held add up to ${row.held}`);
}

async function holdTransfersGoWhereTheyShould(em: EntityManager): Promise<string[]> {
  const rows = await misroutedHoldTransfers(em);
  return rows.map((row) => `transfer ${row.id} (${row.kind}) does not move its hold's money between the right accounts`);
}

async function totalsMatch(em: EntityManager): Promise<string[]> {
  const volume = await settledVolumeMismatches(em);
  const earnings = await earningsMismatches(em);
  return [
    ...volume.map((row) => `${row.currency}: settled volume recorded as ${row.recorded}, but settled holds add up to ${row.computed}`),
    ...earnings.map((row) => `agent ${row.agent_id} ${row.currency}: earnings recorded as ${row.recorded}, but releases add up to ${row.computed}`),
  ];
}

/**
 * Subtask budgets: each was funded once, by its funder, with its amount; a
 * closed budget holds nothing (what was left, and any refund after, went back).
 */
async function budgetsAreSound(em: EntityManager): Promise<string[]> {
  const rows = await unsoundBudgets(em);
  return rows.map((row) => `budget of job ${row.job_id} ${row.problem}`);
}
