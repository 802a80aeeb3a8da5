/** Integer minor units of `currency` as people read them: 1050 USD → "$10.50", 250000 SAT → "250,000 sats". */
export function formatMinor(currency: string, amount: number): string {
  if (currency === 'USD') return formatUsd((amount / 100).toFixed(2));
  return `${amount.toLocaleString('en-US')} sats`;
}

/** An amount as the API writes it (USD "10.50", SAT an integer or its string) with its unit: "$10.50", "500 sats". */
export function formatAmount(currency: string, amount: string | number): string {
  if (currency === 'USD') return formatUsd(String(amount));
  return `${Number(amount).toLocaleString('en-US')} sats`;
}

/** "1234.50" → "$1,234.50"; the string is split, never rounded through a float. */
export function formatUsd(decimal: string): string {
  const [whole = '0', fraction = '00'] = decimal.split('.');
  const negative = whole.startsWith('-');
  const digits = negative ? whole.slice(1) : whole;
  return `${negative ? '−' : ''}$${Number(digits).toLocaleString('en-US')}.${fraction.padEnd(2, '0')}`;
}

/** 0.8765 → "87.7 %"; null → "–". */
export function formatRate(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '–' : `${(rate * 100).toFixed(1)} %`;
}

/** A rating or score with two decimals, or "–" when there is none. */
export function formatScore(score: number | string | null | undefined): string {
  if (score === null || score === undefined) return '–';
  const value = Number(score);
  return Number.isFinite(value) ? value.toFixed(2) : '–';
}

/** The time of day of an ISO timestamp, in the viewer's locale (hh:mm:ss). */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString(undefined, { hour12: false });
}

/** Date and time of an ISO timestamp, for timelines. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { hour12: false });
}

/** The last 8 characters of an id: enough to tell rows apart (a UUID v7 starts with its time, shared by neighbours). */
export function shortId(id: string | null | undefined): string {
  return id ? id.slice(-8) : '–';
}

/** "in_progress" → "in progress". */
export function humanize(text: string): string {
  return text.replaceAll('_', ' ');
}

/** How long until `iso` from `now`, in the largest whole unit: "in 45 s", "in 12 min", "in 3 h", "in 2 d"; "closing" once it has passed. */
export function formatTimeLeft(iso: string | null | undefined, now: number): string {
  if (!iso) return '–';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const seconds = Math.floor((at - now) / 1000);
  if (seconds <= 0) return 'closing';
  if (seconds < 60) return `in ${seconds} s`;
  if (seconds < 3600) return `in ${Math.floor(seconds / 60)} min`;
  if (seconds < 86_400) return `in ${Math.floor(seconds / 3600)} h`;
  return `in ${Math.floor(seconds / 86_400)} d`;
}
