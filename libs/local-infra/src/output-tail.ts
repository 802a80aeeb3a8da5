/**
 * Keeps the last few KB of a child's output so startup failures can be explained
 * without buffering an unbounded log, and forwards complete lines to an optional logger.
 */
export class OutputTail {
  private tail = '';
  private partialLine = '';
  private readonly maxChars: number;
  private readonly logger: ((line: string) => void) | undefined;

  constructor(logger?: (line: string) => void, maxChars = 4000) {
    this.logger = logger;
    this.maxChars = maxChars;
  }

  push(chunk: Buffer | string): void {
    const text = chunk.toString();
    this.tail = (this.tail + text).slice(-this.maxChars);
    if (!this.logger) return;
    const lines = (this.partialLine + text).split('\n');
    this.partialLine = lines.pop() ?? '';
    for (const line of lines) if (line.length > 0) this.logger(line);
  }

  text(): string {
    return this.tail.trim();
  }
}
