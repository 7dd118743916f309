// Options for closed VQA questions (VQA-RAD, SLAKE), which the sources publish as question + answer only.
// Rules, in order: (1) yes/no answers → ["yes","no"]; (2) "X or Y" questions whose answer is X or Y → [X, Y];
// (3) the distinct closed answers of the same question type in the same file, if the answer is among them and there are 2–26;
// otherwise null, and the caller keeps the question as a free-form item.
import { MAX_OPTIONS, MIN_OPTIONS } from '../../shared/items.ts';

const YES_NO: Record<string, readonly [string, string]> = {
  en: ['yes', 'no'],
  zh: ['是', '否'],
};
const ARTICLES = new Set(['a', 'an', 'the']);
/** Words looked at on each side of " or " when matching the answer. */
const MAX_ALTERNATIVE_WORDS = 3;

export function normaliseAnswer(answer: string): string {
  return answer.trim().toLowerCase().replace(/\s+/g, ' ');
}

export function yesNoOptions(answer: string): readonly [string, string] | null {
  const a = normaliseAnswer(answer);
  for (const pair of Object.values(YES_NO)) if (pair.includes(a)) return pair;
  return null;
}

const words = (s: string): string[] =>
  s
    .toLowerCase()
    .replace(/[?.!,;:]/g, ' ')
    .split(/\s+/)
    .filter((w) => w && !ARTICLES.has(w));

/** "Is this an MRI or a CT scan?" with answer "MRI" → ["mri", "ct"]; null when the answer is not one side of an " or ". */
export function orAlternatives(question: string, answer: string): [string, string] | null {
  const a = words(answer);
  if (a.length === 0 || a.length > MAX_ALTERNATIVE_WORDS) return null;
  const q = question.toLowerCase();
  const at = q.lastIndexOf(' or ');
  if (at < 0) return null;
  // "A, B, or C" lists are left to the type-answer-set rule.
  if (/,\s*$/.test(q.slice(0, at))) return null;
  const left = words(q.slice(0, at));
  const right = words(q.slice(at + 4));
  const k = a.length;
  const eq = (xs: string[]): boolean => xs.length === k && xs.every((w, i) => w === a[i]);
  const l = left.slice(-k);
  const r = right.slice(0, k);
  if (eq(l) && r.length === k && !eq(r)) return [l.join(' '), r.join(' ')];
  if (eq(r) && left.length > 0) {
    // "left or right side": the left alternative shares the right one's trailing words ("left side").
    const other = [left[left.length - 1] as string, ...r.slice(1)];
    if (!eq(other)) return [other.join(' '), r.join(' ')];
  }
  return null;
}

/** Collects, per question type, the distinct non-yes/no closed answers of a file (first pass). */
export class ClosedAnswerSets {
  private readonly sets = new Map<string, Set<string>>();

  add(questionType: string, answer: string): void {
    if (yesNoOptions(answer)) return;
    const set = this.sets.get(questionType) ?? new Set<string>();
    set.add(normaliseAnswer(answer));
    this.sets.set(questionType, set);
  }

  optionsFor(questionType: string, answer: string): string[] | null {
    const set = this.sets.get(questionType);
    if (!set || !set.has(normaliseAnswer(answer))) return null;
    return set.size >= MIN_OPTIONS && set.size <= MAX_OPTIONS ? [...set].sort() : null;
  }
}

export interface ClosedOptions {
  options: string[];
  correct: number;
  /** Which rule produced the options: 'yes-no' | 'or-question' | 'type-answer-set'. */
  rule: string;
}

export function closedOptions(question: string, answer: string, questionType: string, sets: ClosedAnswerSets): ClosedOptions | null {
  const a = normaliseAnswer(answer);
  const yn = yesNoOptions(answer);
  if (yn) return { options: [...yn], correct: yn.indexOf(a), rule: 'yes-no' };
  const or = orAlternatives(question, answer);
  if (or) return { options: or, correct: or.indexOf(words(answer).join(' ')), rule: 'or-question' };
  const set = sets.optionsFor(questionType, answer);
  if (set) return { options: set, correct: set.indexOf(a), rule: 'type-answer-set' };
  return null;
}
