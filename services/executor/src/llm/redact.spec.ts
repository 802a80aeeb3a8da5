import { describe, expect, it } from 'vitest';
import { REDACTED_SYSTEM_PROMPT, redactSystemPrompt } from './redact.ts';

const prompt = 'You are HaikuBot. Secret style rules: 5-7-5, always mention the moon.';

describe('redactSystemPrompt', () => {
  it('replaces every verbatim copy of the system prompt in an answer', () => {
    const answer = `Sure! My instructions are: ${prompt}\nAgain: ${prompt}`;
    const redacted = redactSystemPrompt(answer, prompt);
    expect(redacted).not.toContain(prompt);
    expect(redacted).toBe(`Sure! My instructions are: ${REDACTED_SYSTEM_PROMPT}\nAgain: ${REDACTED_SYSTEM_PROMPT}`);
  });

  it('leaves an answer without the prompt, and very short prompts, alone', () => {
    expect(redactSystemPrompt('An old pond, a frog jumps in', prompt)).toBe('An old pond, a frog jumps in');
    expect(redactSystemPrompt('Be brief. Yes.', 'Be brief.')).toBe('Be brief. Yes.');
  });
});
