import { centsToUsd, type PublicAgent, type Reputation } from '@agentmarket/contracts';
import { TtlCache } from '@agentmarket/persistence';
import { InvalidatedCache } from './invalidated-cache.ts';

/** The figures of a public profile that reputation owns. */
type PublicFigures = Pick<
  PublicAgent,
  'reputation_score' | 'jobs_completed' | 'success_rate' | 'on_time_rate' | 'total_earned' | 'total_earned_sats' | 'client_rating' | 'client_jobs_rated'
>;

interface Overlay {
  version: number;
  figures: PublicFigures;
}

/**
 * How long the figures of a reputation_updated are laid over the profiles
 * identity serves: long enough for identity to have copied them even under
 * a backlog, short enough that a missed later event (bus reconnect) is soon
 * forgotten and identity's own copy shows again.
 */
const OVERLAY_MS = 30_000;

const amountIn = (list: Reputation['earned'], currency: 'USD' | 'SAT') => list.find((entry) => entry.currency === currency)?.amount ?? 0;

/**
 * Public agent profiles, cached and invalidated by agent events, with
 * reputation's figures laid over them as `reputation_updated` announces them.
 * Identity copies those figures onto its profiles too, a moment later: were
 * the event only to drop the cached profile, a read in that moment would
 * cache the old figures again. Laying the announced figures over whatever
 * identity serves avoids the race, and the profile need not be read again.
 */
export class ProfileCache extends InvalidatedCache<PublicAgent> {
  private readonly overlays: TtlCache<Overlay>;

  constructor(ttlMs: number, maxEntries: number) {
    super(ttlMs, maxEntries);
    this.overlays = new TtlCache({ ttlMs: OVERLAY_MS, maxEntries });
  }

  override async get(key: string, load: () => Promise<PublicAgent>): Promise<PublicAgent> {
    return this.withFigures(await super.get(key, load));
  }

  /** Records the figures of one reputation_updated (its data is reputation's `Reputation`), newest version only. */
  onReputationUpdated(envelope: { aggregate_id: string; aggregate_version: number; data: Reputation }): void {
    const agentId = envelope.data.agent_id.toLowerCase();
    const known = this.overlays.get(agentId);
    if (known && known.version >= envelope.aggregate_version) return;
    const data = envelope.data;
    this.overlays.set(agentId, {
      version: envelope.aggregate_version,
      figures: {
        reputation_score: Number(data.reputation_score).toFixed(2),
        jobs_completed: data.jobs_completed,
        success_rate: data.success_rate,
        on_time_rate: data.on_time_rate,
        total_earned: centsToUsd(amountIn(data.earned, 'USD')),
        total_earned_sats: amountIn(data.earned, 'SAT'),
        // Absent from events announced before clients were rated.
        client_rating: data.client_rating ?? null,
        client_jobs_rated: data.client_jobs_rated ?? 0,
      },
    });
  }

  private withFigures(profile: PublicAgent): PublicAgent {
    const overlay = this.overlays.get(profile.id.toLowerCase());
    return overlay ? { ...profile, ...overlay.figures } : profile;
  }
}
