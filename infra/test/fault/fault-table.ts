import { duration } from './answer-log.ts';
import type { ScenarioRow } from './run-scenario.ts';

const HEADER = ['scenario', 'requests sent', 'answers by status', 'duplicates found', 'lost found', 'seconds to recover'];

/** The figures of every scenario as a plain-text table, then what each row's numbers hide (slowest answer, notes, problems). */
export function formatFaultTable(rows: ScenarioRow[]): string {
  const cells = rows.map((row) => [
    row.scenario,
    String(row.requestsSent),
    Object.entries(row.answersByStatus)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([status, count]) => `${status}:${count}`)
      .join(' '),
    String(row.duplicates.length),
    String(row.lost.length),
    row.secondsToRecover === undefined ? 'n/a' : row.secondsToRecover.toFixed(2),
  ]);
  const widths = HEADER.map((title, column) => Math.max(title.length, ...cells.map((line) => line[column]?.length ?? 0)));
  const format = (line: string[]) => `| ${line.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  const table = [format(HEADER), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...cells.map(format)];
  return [table.join('\n'), '', ...rows.flatMap(details)].join('\n');
}

function details(row: ScenarioRow): string[] {
  const slowest = row.slowest ? `${duration(row.slowest)} ms (${row.slowest.method} ${row.slowest.path} → ${row.slowest.status})` : 'n/a';
  const lines = [`${row.scenario}: slowest answer ${slowest}`, ...row.notes.map((note) => `  note: ${note}`)];
  const listed = (label: string, items: string[]) => items.slice(0, 10).map((item) => `  ${label}: ${item}`).concat(items.length > 10 ? [`  ${label}: … ${items.length - 10} more`] : []);
  return [
    ...lines,
    ...listed('DUPLICATE', row.duplicates),
    ...listed('LOST', row.lost),
    ...listed('FORBIDDEN ANSWER', row.forbiddenAnswers),
    ...listed('INVARIANT BROKEN', row.invariants),
    ...listed('REPEAT WITHOUT THE FIRST RESULT', row.replayMisses),
    ...listed('ERROR', row.errors),
  ];
}

/**
 * A row fails on a duplicate, a loss, a forbidden answer (500, 503 without
 * Retry-After, too slow), a broken invariant — the market's, or end-to-end
 * idempotency's: a repeat gets the first result — or a scenario that could not finish.
 */
export function rowProblems(row: ScenarioRow): string[] {
  return [...row.duplicates, ...row.lost, ...row.forbiddenAnswers, ...row.invariants, ...row.replayMisses, ...row.errors];
}
