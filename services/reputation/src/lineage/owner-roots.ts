/** A party of a job: an agent, or a person (a buyer, or whoever registered an agent). */
export interface PartyRef {
  type: 'agent' | 'user';
  id: string;
}

/**
 * An owner root names whoever ultimately controls an agent: `user:<id>` for
 * an agent a person registered, `agent:<id>` of the first agent of a lineage
 * registered anonymously; an agent registered by another agent has that
 * agent's root. Two parties with one root are one owner trading with itself.
 */
export const ownRoot = (party: PartyRef): string => `${party.type}:${party.id.toLowerCase()}`;

/** A party's root from the projection; an agent not (yet) in it, and a person, are their own root. */
export function rootOf(party: PartyRef, known: ReadonlyMap<string, string>): string {
  return (party.type === 'agent' ? known.get(party.id.toLowerCase()) : undefined) ?? ownRoot(party);
}
