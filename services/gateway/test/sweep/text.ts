import fc from 'fast-check';

/**
 * Text a person may legitimately send: printable ASCII most of the time, plus
 * tab, newline, carriage return (API.md allows these three C0 controls),
 * accented and CJK letters, a no-break space and an emoji (two UTF-16 units).
 */
const friendlyChar = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)) },
  { weight: 1, arbitrary: fc.constantFrom('\t', '\n', '\r', 'é', 'ß', '中', '\u00a0', '😀', '\u2028') },
);

/**
 * A string whose `.length` (UTF-16 units, what zod measures) lies within the
 * bounds. Long maxima are capped so bodies stay small; now and then the exact
 * maximum is produced, since off-by-one limits are where validators break.
 */
export function friendlyText(minLength = 0, maxLength = 40): fc.Arbitrary<string> {
  const cap = Math.max(minLength, Math.min(maxLength, 40));
  const typical = fc.array(friendlyChar, { minLength, maxLength: cap }).map((chars) => fit(chars.join(''), minLength, maxLength));
  if (maxLength > 8000) return typical;
  return fc.oneof({ weight: 9, arbitrary: typical }, { weight: 1, arbitrary: fc.constant('x'.repeat(maxLength)) });
}

/**
 * Trims to `max` units without splitting a surrogate pair, pads to `min`; a
 * required text is never only blanks (the schemas trim before counting).
 */
function fit(text: string, min: number, max: number): string {
  let fitted = text;
  while (fitted.length > max) fitted = Array.from(fitted).slice(0, -1).join('');
  fitted = fitted.padEnd(min, 'a');
  return min > 0 && fitted.trim() === '' ? `a${fitted.slice(1)}` : fitted;
}

export type TextClass = 'nul' | 'surrogate' | 'c0';

/** The characters API.md says are 400 in every text field and query parameter. */
export const HOSTILE_CHARS: Record<TextClass, string[]> = {
  nul: ['\u0000'],
  // Lone high, lone low, and a low before a high (two lone halves, not a pair).
  surrogate: ['\ud800', '\udbff', '\udc00', '\udfff', '\udc00\ud800'],
  c0: [...Array.from({ length: 0x20 }, (_, code) => code).filter((code) => code !== 0 && code !== 0x09 && code !== 0x0a && code !== 0x0d)].map((code) =>
    String.fromCharCode(code),
  ),
};

/** A short friendly prefix, the bad character, a short friendly suffix: shrinks to the bare character. */
export function hostileText(kind: TextClass): fc.Arbitrary<string> {
  return fc
    .tuple(friendlyText(0, 8), fc.constantFrom(...HOSTILE_CHARS[kind]), friendlyText(0, 8))
    .map(([before, bad, after]) => `${before}${bad}${after}`);
}

/** Characters that are safe inside a URL query value, for names and keys. */
export const identifier = fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/);

/** Renders a UTF-16 string as URL percent-encoding; a lone surrogate becomes its 3 WTF-8 bytes, as a careless client would send. */
export function percentEncode(text: string): string {
  let encoded = '';
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    const next = text.charCodeAt(index + 1);
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      encoded += encodeURIComponent(text.slice(index, index + 2));
      index++;
    } else if (unit >= 0xd800 && unit <= 0xdfff) {
      encoded += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
    } else {
      encoded += encodeURIComponent(text[index] ?? '');
    }
  }
  return encoded;
}
