// The one rule that turns a model's free-text response into an option letter: used by MedBridge and, through its
// Python twin (resources/python/medbridge_engines/answer_rule.py), by every engine's reward. Both run the same test
// vectors (tests/fixtures/answer-rule/vectors.json). Strict, in this order:
//   1. empty → no answer;
//   2. a final-answer marker ("Answer: X", "answer is (x)", "Final answer - X"): the last marker's letter (a lower-case
//      letter followed by a word is the article, not a marker's letter);
//   3. the whole response is a letter ("b", "(B)", "**C.**"), a labelled option ("B. benign", "(B) benign") — its
//      text must not be another option's —, or an option's text ("Benign.");
//   4. capital letters standing alone in the text: the article "A" (before a word other than "or"/"and") and the
//      pronoun "I" (before a word or an apostrophe) never count, lower-case letters never count; exactly one
//      distinct letter → it, several → no answer;
//   5. option texts named in the text as whole words: exactly one → its letter, several → no answer.
// Letters outside the item's options never count. Pure: no Node, no DOM.

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const MARKER = /\b(?:final\s+answer|answer)\s*(?:is|:|=|-|\s)\s*(?:option\s+)?[("'*[]*([A-Za-z])[)"'*\].]*(?=$|[\s.,;:!?)])/gi;
const WRAPPED_LETTER = /^[("'*[\s]*([A-Za-z])[)"'*\].:\s]*$/;
const LABELLED = /^[("'*[\s]*([A-Za-z])[)"'*\]]*[.):]\s+(.+)$/s;
const STANDALONE_CAPITAL = /(?<![A-Za-z0-9'’])([A-Z])(?![A-Za-z0-9'’])/g;

function normaliseText(s: string): string {
  return s
    .toLowerCase()
    .replace(/[*_`"“”]/g, '')
    .replace(/\s+/g, ' ')
    .replace(/[\s.,;:!?]+$/, '')
    .trim();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function inRange(letter: string, count: number): boolean {
  const i = LETTERS.indexOf(letter);
  return i >= 0 && i < count;
}

/** The option letter the response gives, or null (no answer, or an ambiguous one). */
export function answerLetter(response: string | null | undefined, options: readonly string[]): string | null {
  const text = (response ?? '').trim();
  const n = options.length;
  if (!text) return null;

  // a lower-case letter after a marker followed by a word is the article ("the answer is a benign lesion")
  const markers = [...text.matchAll(MARKER)]
    .filter((m) => !(/[a-z]/.test(m[1] as string) && /^\s+[A-Za-z]/.test(text.slice((m.index as number) + m[0].length))))
    .map((m) => (m[1] as string).toUpperCase());
  if (markers.length > 0) {
    const last = markers.at(-1) as string;
    return inRange(last, n) ? last : null;
  }

  const wrapped = WRAPPED_LETTER.exec(text);
  if (wrapped) {
    const letter = (wrapped[1] as string).toUpperCase();
    return inRange(letter, n) ? letter : null;
  }
  const normalisedOptions = options.map(normaliseText);
  const labelled = LABELLED.exec(text);
  if (labelled) {
    const letter = (labelled[1] as string).toUpperCase();
    const rest = normaliseText(labelled[2] as string);
    const named = normalisedOptions.indexOf(rest);
    if (inRange(letter, n) && (named < 0 || named === LETTERS.indexOf(letter))) return letter;
    if (!inRange(letter, n) && named >= 0) return LETTERS[named] as string;
    return null;
  }
  const whole = normalisedOptions.indexOf(normaliseText(text));
  if (whole >= 0) return LETTERS[whole] as string;

  const found = new Set<string>();
  for (const m of text.matchAll(STANDALONE_CAPITAL)) {
    const letter = m[1] as string;
    const after = text.slice((m.index as number) + 1);
    if (letter === 'A' && /^\s+(?!(?:or|and)\b)[A-Za-z]/.test(after)) continue; // the article
    if (letter === 'I' && /^(?:\s+[A-Za-z]|['’])/.test(after)) continue; // the pronoun
    if (inRange(letter, n)) found.add(letter);
  }
  if (found.size === 1) return [...found][0] as string;
  if (found.size > 1) return null;

  const lower = ` ${normaliseText(text).replace(/[^a-z0-9\s-]/g, ' ')} `;
  const named = normalisedOptions
    .map((o, i) => ({ i, hit: o.length > 0 && new RegExp(`(?<![a-z0-9-])${escapeRegExp(o)}(?![a-z0-9-])`).test(lower) }))
    .filter((x) => x.hit);
  // an option whose text is inside another named option's text (e.g. "normal" in "not normal") is not counted twice
  const distinct = named.filter((x) => !named.some((y) => y.i !== x.i && (normalisedOptions[y.i] as string).includes(normalisedOptions[x.i] as string)));
  return distinct.length === 1 ? (LETTERS[(distinct[0] as { i: number }).i] as string) : null;
}
