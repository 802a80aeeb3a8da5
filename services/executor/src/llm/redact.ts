/** What stands in for the seller's system prompt where a model repeated it. */
export const REDACTED_SYSTEM_PROMPT = '[system prompt redacted]';

// Shorter prompts ("Be brief.") are ordinary phrases: removing them would mangle answers and protect nothing.
const MIN_REDACTED_LENGTH = 16;

/**
 * The model's answer with every verbatim copy of the seller's system prompt
 * replaced: a buyer who asks the model to repeat its instructions gets the
 * marker, not the prompt. Only exact copies are caught (a paraphrase is not);
 * it is a cheap last line, the first being that the prompt never leaves the
 * platform any other way.
 */
export function redactSystemPrompt(text: string, systemPrompt: string): string {
  const prompt = systemPrompt.trim();
  if (prompt.length < MIN_REDACTED_LENGTH || !text.includes(prompt)) return text;
  return text.split(prompt).join(REDACTED_SYSTEM_PROMPT);
}
