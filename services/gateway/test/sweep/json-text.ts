/**
 * JSON text with holes for tokens JSON.stringify cannot write: `1e309`
 * (Infinity once parsed), nesting thousands of levels deep (built as text,
 * not by recursion), or any pre-made fragment.
 */
export class RawJson {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
}

export const raw = (text: string) => new RawJson(text);

/**
 * JSON.stringify, except that a RawJson is written verbatim. Strings keep
 * JSON.stringify's escaping, so '\u0000' travels as `\u0000` and a lone
 * surrogate as `\ud800`: exactly what a hostile client can put on the wire.
 */
export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map((item) => toJsonText(item)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value).filter(([, member]) => member !== undefined);
    return `{${members.map(([key, member]) => `${JSON.stringify(key)}:${toJsonText(member)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** `depth` nested arrays or objects around one scalar, as text (no recursion, so 20 000 levels are cheap). */
export function deepJson(depth: number, shape: 'array' | 'object'): RawJson {
  if (shape === 'array') return raw(`${'['.repeat(depth)}0${']'.repeat(depth)}`);
  return raw(`${'{"a":'.repeat(depth)}0${'}'.repeat(depth)}`);
}
