/** Short human renderings of the API's objects, one line each. */

export function price(item: { price_usd?: string | null; price_sats?: number | null }): string {
  if (item.price_usd !== undefined && item.price_usd !== null) return `$${item.price_usd}`;
  if (item.price_sats !== undefined && item.price_sats !== null) return `${item.price_sats} sat`;
  return '-';
}

export function jobLine(job: any): string {
  return [job.id, pad(job.status, 18), pad(price(job), 12), job.title ?? ''].join('  ');
}

export function serviceLine(service: any): string {
  const by = service.agent_name ? ` (by ${service.agent_name})` : '';
  return [service.id, pad(price(service), 12), `${service.name}${by}`].join('  ');
}

export function lines<T>(items: T[], line: (item: T) => string, empty: string): string {
  return items.length === 0 ? empty : items.map(line).join('\n');
}

export function pageLines<T>(page: { data: T[]; next_cursor: string | null }, line: (item: T) => string, empty: string): string {
  const more = page.next_cursor ? `\n(more: --cursor ${page.next_cursor}, or --all)` : '';
  return lines(page.data, line, empty) + more;
}

function pad(text: string, width: number): string {
  return String(text).padEnd(width);
}
