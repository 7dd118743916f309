// The multiple-choice prompt every VLM pack sees: question, lettered options, and the instruction.
import { MAX_OPTIONS, MIN_OPTIONS, OPTION_LETTERS } from '../../shared/items.ts';

export const ANSWER_INSTRUCTION = 'Answer with the letter.';

export function optionLetters(count: number): string[] {
  if (count < MIN_OPTIONS || count > MAX_OPTIONS) throw new RangeError(`${count} options, expected ${MIN_OPTIONS}–${MAX_OPTIONS}`);
  return OPTION_LETTERS.slice(0, count).split('');
}

/** "question\nA. first\nB. second\nAnswer with the letter." */
export function multipleChoiceText(question: string, options: readonly string[]): string {
  const letters = optionLetters(options.length);
  const lines = options.map((o, i) => `${letters[i]}. ${o}`);
  return [question.trim(), ...lines, ANSWER_INSTRUCTION].join('\n');
}

/** Chat messages in the Hugging Face multimodal format (one image placeholder before the text). */
export function chatMessages(text: string): Array<{ role: string; content: Array<{ type: 'image' } | { type: 'text'; text: string }> }> {
  return [{ role: 'user', content: [{ type: 'image' }, { type: 'text', text }] }];
}
