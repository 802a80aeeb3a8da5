/** Deepest nesting of arrays and objects a request may carry (API.md: JSON deeper than this is 400). */
export const MAX_JSON_DEPTH = 32;

export interface TextProblem {
  /** Dotted path of the offending field, e.g. `input_data.topic` or `capabilities.2`; `_` for the value itself. */
  path: string;
  problem: string;
}

// NUL and the other C0 controls except tab, line feed and carriage return.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** What is wrong with one string, or undefined when it is fine to store and show. */
export function textProblem(text: string): string | undefined {
  const control = CONTROL.exec(text);
  if (control) {
    const code = control[0].charCodeAt(0);
    return code === 0 ? 'must not contain a NUL character' : `must not contain control character U+${code.toString(16).padStart(4, '0').toUpperCase()}`;
  }
  if (LONE_SURROGATE.test(text)) return 'must not contain a lone surrogate (invalid UTF-16)';
  return undefined;
}

/**
 * Walks a parsed JSON value (body, query or command) and returns the first
 * string (value or key) that Postgres or a reader could not take, or the
 * first place nested deeper than `maxDepth`. One walk, no allocation per
 * clean string: it runs on every request at the edge and again in services.
 */
export function findTextProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): TextProblem | undefined {
  const path: (string | number)[] = [];
  const walk = (node: unknown, depth: number): string | undefined => {
    if (typeof node === 'string') return textProblem(node);
    if (node === null || typeof node !== 'object') return undefined;
    if (depth >= maxDepth) return `is nested deeper than ${maxDepth} levels`;
    if (Array.isArray(node)) {
      for (let index = 0; index < node.length; index++) {
        path.push(index);
        const problem = walk(node[index], depth + 1);
        if (problem) return problem;
        path.pop();
      }
      return undefined;
    }
    for (const key of Object.keys(node)) {
      path.push(key);
      const keyProblem = textProblem(key);
      if (keyProblem) return `field name ${keyProblem}`;
      const problem = walk((node as Record<string, unknown>)[key], depth + 1);
      if (problem) return problem;
      path.pop();
    }
    return undefined;
  };
  const problem = walk(value, 0);
  if (!problem) return undefined;
  return { path: path.length > 0 ? path.map((segment) => (textProblem(String(segment)) ? '?' : String(segment))).join('.') : '_', problem };
}
