import type { Operation } from './openapi.ts';

/** Requests sent, by route group (`/api/<group>/…`) and input class, so a run shows what it covered. */
export class Tally {
  private readonly counts = new Map<string, Map<string, number>>();
  /** Answers by input class and status family (2xx, 4xx…): shows whether "valid" requests really get through. */
  private readonly answers = new Map<string, Map<string, number>>();

  add(operation: Operation, kind: string, status: number): void {
    const family = status === 0 ? 'none' : `${Math.floor(status / 100)}xx`;
    const byFamily = this.answers.get(kind) ?? new Map<string, number>();
    byFamily.set(family, (byFamily.get(family) ?? 0) + 1);
    this.answers.set(kind, byFamily);
    const group = operation.path.split('/')[2] ?? operation.path;
    const byKind = this.counts.get(group) ?? new Map<string, number>();
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    this.counts.set(group, byKind);
  }

  total(): number {
    let sum = 0;
    for (const byKind of this.counts.values()) for (const count of byKind.values()) sum += count;
    return sum;
  }

  format(title: string): string {
    const kinds = [...new Set([...this.counts.values()].flatMap((byKind) => [...byKind.keys()]))].sort();
    const groups = [...this.counts.keys()].sort();
    const width = Math.max(8, ...groups.map((group) => group.length));
    const cell = (text: string | number, size: number) => String(text).padStart(size);
    const header = `${'route'.padEnd(width)} ${kinds.map((kind) => cell(kind, kind.length)).join(' ')} ${cell('total', 6)}`;
    const rows = groups.map((group) => {
      const byKind = this.counts.get(group) ?? new Map<string, number>();
      const sum = [...byKind.values()].reduce((a, b) => a + b, 0);
      return `${group.padEnd(width)} ${kinds.map((kind) => cell(byKind.get(kind) ?? 0, kind.length)).join(' ')} ${cell(sum, 6)}`;
    });
    const answers = [...this.answers.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, byFamily]) => `${kind}: ${[...byFamily.entries()].sort().map(([family, count]) => `${family} ${count}`).join(', ')}`);
    return [`${title}: ${this.total()} requests`, header, ...rows, `answers by class — ${answers.join(' · ')}`].join('\n');
  }
}
