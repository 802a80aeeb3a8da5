import { useEffect, useRef, useState } from 'preact/hooks';
import { apiGet, withQuery } from '../api/client.ts';
import type { Page, ServiceView } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { formatScore, formatUsd } from '../format.ts';
import { Panel, Status } from '../ui/panel.tsx';

interface Filters {
  q: string;
  capability: string;
  currency: '' | 'USD' | 'SAT';
  min_price: string;
  max_price: string;
  sort: '' | 'newest' | 'price' | 'reputation' | 'relevance';
}

const EMPTY: Filters = { q: '', capability: '', currency: '', min_price: '', max_price: '', sort: '' };
const PAGE_SIZE = 12;

function price(service: ServiceView): string {
  return service.currency === 'SAT' ? `${(service.price_sats ?? 0).toLocaleString('en-US')} sats` : formatUsd(service.price_usd ?? '0.00');
}

function ServiceCard(props: { service: ServiceView }) {
  const { service } = props;
  return (
    <li class="service-card" data-testid="service-card">
      <div class="service-head">
        <strong>{service.name}</strong>
        <span class="price">{price(service)}</span>
      </div>
      <p class="muted">
        by {service.agent_name} · reputation {formatScore(service.agent_reputation)} · {service.output_type}
        {service.hosted ? ' · hosted' : ''}
      </p>
      <p class="service-description">{service.description}</p>
      <ul class="tags" aria-label="Capabilities">
        {service.capabilities_required.map((capability) => (
          <li key={capability}>{capability}</li>
        ))}
      </ul>
    </li>
  );
}

/** Browses GET /api/services: full-text search, capability, currency, price range, sort, and a cursor "load more". */
export function Catalog() {
  const { feed } = useApp();
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [services, setServices] = useState<ServiceView[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | undefined>(undefined);
  const [changes, setChanges] = useState(0);
  const [generation, setGeneration] = useState(0);
  const loadedAt = useRef('');

  const load = async (after: string | null, signal?: AbortSignal) => {
    setLoading(true);
    try {
      // Relevance needs a search text; without one the newest come first.
      const sort = filters.sort === 'relevance' && !filters.q ? 'newest' : filters.sort;
      const path = withQuery('/api/services', { ...filters, sort, limit: PAGE_SIZE, cursor: after ?? undefined });
      const page = await apiGet<Page<ServiceView>>(path, undefined, signal);
      setServices((current) => (after ? [...current, ...page.data] : page.data));
      setCursor(page.next_cursor);
      setError(undefined);
    } catch (caught) {
      if (!signal?.aborted) setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      if (!signal?.aborted) setLoading(false);
    }
  };

  useEffect(() => {
    const controller = new AbortController();
    setChanges(0);
    loadedAt.current = new Date().toISOString();
    void load(null, controller.signal);
    return () => controller.abort();
  }, [filters, generation]);

  // Pages already loaded stay put; the viewer chooses when to see newly published services.
  useEffect(() => feed.store.onArrival((item) => {
    // Replayed events from before this load are already in it.
    if (item.type.startsWith('service_') && item.occurredAt > loadedAt.current) setChanges((count) => count + 1);
  }), [feed]);

  const field = (name: keyof Filters) => ({
    value: draft[name],
    onInput: (event: { currentTarget: HTMLInputElement }) => setDraft({ ...draft, [name]: event.currentTarget.value }),
  });
  // A choice in a list applies at once (with what is typed so far); typed fields wait for Search.
  const choice = (name: 'currency' | 'sort') => ({
    value: draft[name],
    onChange: (event: { currentTarget: HTMLSelectElement }) => {
      const next = { ...draft, [name]: event.currentTarget.value };
      setDraft(next);
      setFilters(next);
    },
  });
  const unit = draft.currency === 'SAT' ? 'sats' : 'USD';

  return (
    <Panel
      id="catalog"
      title="Catalog"
      class="panel-wide"
      actions={
        changes > 0 ? (
          <button type="button" onClick={() => setGeneration((count) => count + 1)}>
            {changes} change{changes === 1 ? '' : 's'} · refresh
          </button>
        ) : null
      }
    >
      <form
        class="filters"
        role="search"
        aria-label="Search services"
        onSubmit={(event) => {
          event.preventDefault();
          setFilters({ ...draft });
        }}
      >
        <label class="grow">
          Search
          <input type="search" name="q" placeholder="e.g. haiku" maxLength={200} {...field('q')} />
        </label>
        <label>
          Capability
          <input type="text" name="capability" placeholder="e.g. poetry" maxLength={50} {...field('capability')} />
        </label>
        <label>
          Currency
          <select name="currency" {...choice('currency')}>
            <option value="">Any</option>
            <option value="USD">USD</option>
            <option value="SAT">SAT</option>
          </select>
        </label>
        <label>
          Min price ({unit})
          <input type="text" inputMode="decimal" name="min_price" pattern="\d{1,13}(\.\d{1,2})?" size={7} {...field('min_price')} />
        </label>
        <label>
          Max price ({unit})
          <input type="text" inputMode="decimal" name="max_price" pattern="\d{1,13}(\.\d{1,2})?" size={7} {...field('max_price')} />
        </label>
        <label>
          Sort
          <select name="sort" {...choice('sort')}>
            <option value="">Default</option>
            <option value="newest">Newest</option>
            <option value="price">Price</option>
            <option value="reputation">Reputation</option>
            <option value="relevance">Relevance</option>
          </select>
        </label>
        <button type="submit">Search</button>
      </form>
      <Status loading={loading} error={error} hasData={services.length > 0} empty="No services match." />
      <ul class="services" aria-label="Services" aria-busy={loading} data-testid="service-list">
        {services.map((service) => (
          <ServiceCard key={service.id} service={service} />
        ))}
      </ul>
      {cursor ? (
        <button type="button" class="load-more" disabled={loading} onClick={() => void load(cursor)}>
          Load more
        </button>
      ) : null}
    </Panel>
  );
}
