/** One hold with its settlement row (if any) and the sums its transfers moved, by kind (bigint columns arrive as strings). */
export interface HoldLedgerRow {
  hold_id: string;
  status: string;
  amount: string;
  settlements: string;
  settlement_kind: string | null;
  worker_amount: string | null;
  client_amount: string | null;
  fee_amount: string | null;
  /** A hosted job's model cost paid out of escrow, and the part its seller's wallet paid (absent in rows read before model costs existed). */
  model_cost_amount?: string | null;
  seller_model_cost_amount?: string | null;
  held_in: string;
  released: string;
  fees: string;
  refunded: string;
  model_costs?: string;
  seller_model_costs?: string;
}

const SETTLEMENT_OF_STATUS: Record<string, string> = { released: 'release', refunded: 'refund', split: 'split' };

/**
 * What is wrong with each hold: a held hold has its money in and nothing
 * out and no settlement; a settled one has exactly one settlement of its
 * kind, whose parts add up to the hold and match its transfers; an
 * abandoned id moved nothing.
 */
export function holdProblems(rows: HoldLedgerRow[]): string[] {
  return rows.flatMap((row) => {
    const problems: string[] = [];
    const amount = Number(row.amount);
    const [heldIn, released, fees, refunded] = [row.held_in, row.released, row.fees, row.refunded].map(Number) as [number, number, number, number];
    const modelCosts = Number(row.model_costs ?? 0);
    const sellerModelCosts = Number(row.seller_model_costs ?? 0);
    const say = (problem: string) => problems.push(`hold ${row.hold_id} (${row.status}): ${problem}`);
    if (Number(row.settlements) > 1) say(`settled ${row.settlements} times`);
    if (row.status === 'abandoned') {
      if (row.settlement_kind !== null) say('an abandoned id has a settlement');
      if (heldIn + released + fees + refunded + modelCosts + sellerModelCosts !== 0) say('an abandoned id moved money');
      return problems;
    }
    if (heldIn !== amount) say(`${heldIn} went into escrow for a hold of ${amount}`);
    if (row.status === 'held') {
      if (row.settlement_kind !== null) say(`still held but settled (${row.settlement_kind})`);
      const out = released + fees + refunded + modelCosts;
      if (out !== 0) say(`still held but ${out} already left escrow`);
      if (sellerModelCosts !== 0) say('still held but its seller already paid its model cost');
      return problems;
    }
    const expected = SETTLEMENT_OF_STATUS[row.status];
    if (row.settlement_kind === null) {
      say('settled without a settlement row');
      return problems;
    }
    if (row.settlement_kind !== expected) say(`settlement kind ${row.settlement_kind} does not match the status`);
    const [worker, client, fee] = [row.worker_amount, row.client_amount, row.fee_amount].map(Number) as [number, number, number];
    const modelCost = Number(row.model_cost_amount ?? 0);
    const sellerModelCost = Number(row.seller_model_cost_amount ?? 0);
    // The model cost is named only where there is one, so that the common case reads as before.
    const withCost = (text: string, cost: number) => (cost === 0 && modelCost === 0 && modelCosts === 0 ? '' : `${text}${cost}`);
    if (worker + client + fee + modelCost !== amount) {
      say(`settlement parts ${worker} + ${client} + ${fee}${withCost(' + model cost ', modelCost)} do not add up to ${amount}`);
    }
    if (released !== worker || fees !== fee || refunded !== client || modelCosts !== modelCost) {
      say(
        `transfers (release ${released}, fee ${fees}, refund ${refunded}${withCost(', model cost ', modelCosts)}) differ from the settlement (${worker}, ${fee}, ${client}${withCost(', ', modelCost)})`,
      );
    }
    if (sellerModelCosts !== sellerModelCost) say(`the seller paid ${sellerModelCosts} of model cost, the settlement says ${sellerModelCost}`);
    return problems;
  });
}
