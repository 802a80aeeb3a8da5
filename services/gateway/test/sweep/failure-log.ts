import type { Problem } from './checks.ts';
import { urlOf, type SweepRequest, type SweepResponse } from './http.ts';
import type { Sample } from './sample.ts';

export interface Failure {
  /** Route, input class, status, code and problem kinds: what makes two failures the same bug. */
  signature: string;
  operation: string;
  note: string;
  request: string;
  status: number;
  body: string;
  problems: Problem[];
  /** How to replay it, for the shrunk counterexample of a property. */
  replay?: string;
}

/** Control characters and lone surrogates made visible, long text cut: a report must be readable and pasteable. */
export function excerpt(text: string, limit = 240): string {
  const visible = text.replace(/[\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return visible.length > limit ? `${visible.slice(0, limit)}… (${text.length} chars)` : visible;
}

export function describeRequest(request: SweepRequest): string {
  const headers = Object.entries(request.headers).map(([name, value]) => `${name}: ${excerpt(value, 60)}`);
  const body = request.body === undefined ? '' : ` body ${excerpt(typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body), 200)}`;
  return `${request.method} ${excerpt(urlOf(request), 160)} as ${request.credential}${headers.length > 0 ? ` [${headers.join('; ')}]` : ''}${body}`;
}

/** Route, input class, status, error code and the kinds of problem: two failures alike in these are one bug. */
export function signatureOf(operation: string, sample: Sample, response: SweepResponse, problems: Problem[]): string {
  const code = (response.json as { error?: { code?: string } } | undefined)?.error?.code ?? '';
  return `${operation} | ${sample.expect.kind}${sample.variant ? `/${sample.variant}` : ''} | ${response.status} ${code} | ${[...new Set(problems.map((problem) => problem.kind))].join(' + ')}`;
}

/**
 * Distinct failures, one per signature. Of the requests that failed the same
 * way the smallest is kept, which after fast-check's shrinking is the
 * minimal counterexample.
 */
export class FailureLog {
  private readonly failures = new Map<string, Failure>();

  observe(operation: string, sample: Sample, response: SweepResponse, problems: Problem[]): Failure {
    const signature = signatureOf(operation, sample, response, problems);
    const failure: Failure = {
      signature,
      operation,
      note: excerpt(sample.note, 160),
      request: describeRequest(sample.request),
      status: response.status,
      body: excerpt(response.failure ?? response.text, 300),
      problems,
    };
    const known = this.failures.get(signature);
    if (!known || failure.request.length < known.request.length) this.failures.set(signature, failure);
    return failure;
  }

  /** Keeps a property's shrunk counterexample for its signature, with the seed and path that replay it. */
  pin(failure: Failure, replay: string): void {
    this.failures.set(failure.signature, { ...failure, replay });
  }

  /** A failure that is not one request (e.g. rows written by the run as a whole). */
  add(failure: Failure): void {
    this.failures.set(failure.signature, failure);
  }

  get size(): number {
    return this.failures.size;
  }

  list(): Failure[] {
    return [...this.failures.values()].sort((a, b) => a.signature.localeCompare(b.signature));
  }

  /**
   * The report: failures that differ only by route (a framework error every
   * route shares) are shown once, with the list of routes.
   */
  format(title: string): string {
    const groups = new Map<string, Failure[]>();
    for (const failure of this.list()) {
      const key = failure.signature.split(' | ').slice(1).join(' | ');
      groups.set(key, [...(groups.get(key) ?? []), failure]);
    }
    const lines = [`${title}: ${this.size} distinct failure(s) in ${groups.size} group(s)`];
    for (const [key, members] of groups) {
      const failure = members.reduce((smallest, member) => (member.request.length < smallest.request.length ? member : smallest));
      const routes = members.map((member) => member.operation);
      lines.push(
        `\n✗ ${key}`,
        `  routes:   ${routes.join(', ')}`,
        `  input:    ${failure.note}`,
        `  request:  ${failure.request}`,
        `  answer:   ${failure.status} ${failure.body}`,
        `  problems: ${failure.problems.map((problem) => `${problem.kind} (${excerpt(problem.detail, 160)})`).join('; ')}`,
      );
      if (failure.replay) lines.push(`  replay:   ${failure.replay}`);
    }
    return lines.join('\n');
  }
}
