import type { ComponentChildren } from 'preact';

/** A titled region of the page (a landmark named by its heading). */
export function Panel(props: { id: string; title: string; actions?: ComponentChildren; class?: string; children: ComponentChildren }) {
  return (
    <section id={props.id} class={`panel ${props.class ?? ''}`} aria-labelledby={`${props.id}-title`}>
      <header class="panel-head">
        <h2 id={`${props.id}-title`}>{props.title}</h2>
        {props.actions ? <div class="panel-actions">{props.actions}</div> : null}
      </header>
      {props.children}
    </section>
  );
}

/** What a panel says while it has nothing to show: loading, an error, or that there is nothing yet. */
export function Status(props: { loading?: boolean; error?: string | undefined; empty?: string; hasData: boolean }) {
  if (props.error) {
    return (
      <p class="status status-error" role="alert">
        {props.error}
      </p>
    );
  }
  if (!props.hasData && props.loading) return <p class="status">Loading…</p>;
  if (!props.hasData && props.empty) return <p class="status">{props.empty}</p>;
  return null;
}

/** A small coloured label for a job status. */
export function StatusBadge(props: { status: string }) {
  return <span class={`badge badge-${props.status}`}>{props.status.replaceAll('_', ' ')}</span>;
}
