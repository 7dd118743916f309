"""The one rule that turns a model's free-text response into an option letter: the Python twin of
shared/answer-rule.ts, used by every engine's reward. Both run tests/fixtures/answer-rule/vectors.json.
Strict, in this order:
  1. empty -> no answer;
  2. a final-answer marker ("Answer: X", "answer is (x)", "Final answer - X"): the last marker's letter (a lower-case
     letter followed by a word is the article, not a marker's letter);
  3. the whole response is a letter ("b", "(B)", "**C.**"), a labelled option ("B. benign", "(B) benign") - its text
     must not be another option's -, or an option's text ("Benign.");
  4. capital letters standing alone in the text: the article "A" (before a word other than "or"/"and") and the
     pronoun "I" (before a word or an apostrophe) never count, lower-case letters never count; exactly one distinct
     letter -> it, several -> no answer;
  5. option texts named in the text as whole words: exactly one -> its letter, several -> no answer.
Letters outside the item's options never count. Standard library only."""
import re

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MARKER = re.compile(
    r"\b(?:final\s+answer|answer)\s*(?:is|:|=|-|\s)\s*(?:option\s+)?[(\"'*\[]*([A-Za-z])[)\"'*\].]*(?=$|[\s.,;:!?)])",
    re.IGNORECASE,
)
WRAPPED_LETTER = re.compile(r"^[(\"'*\[\s]*([A-Za-z])[)\"'*\].:\s]*$")
LABELLED = re.compile(r"^[(\"'*\[\s]*([A-Za-z])[)\"'*\]]*[.):]\s+(.+)$", re.DOTALL)
STANDALONE_CAPITAL = re.compile(r"(?<![A-Za-z0-9'’])([A-Z])(?![A-Za-z0-9'’])")
ARTICLE_AFTER = re.compile(r"^\s+(?!(?:or|and)\b)[A-Za-z]")
PRONOUN_AFTER = re.compile(r"^(?:\s+[A-Za-z]|['’])")


def _normalise(s):
    s = re.sub(r"[*_`\"“”]", "", s.lower())
    s = re.sub(r"\s+", " ", s)
    s = re.sub(r"[\s.,;:!?]+$", "", s)
    return s.strip()


def _in_range(letter, count):
    i = LETTERS.find(letter)
    return 0 <= i < count


def answer_letter(response, options):
    """The option letter the response gives, or None (no answer, or an ambiguous one)."""
    text = (response or "").strip()
    n = len(options)
    if not text:
        return None

    # a lower-case letter after a marker followed by a word is the article ("the answer is a benign lesion")
    markers = [
        m.group(1).upper()
        for m in MARKER.finditer(text)
        if not (m.group(1).islower() and re.match(r"^\s+[A-Za-z]", text[m.end() :]))
    ]
    if markers:
        return markers[-1] if _in_range(markers[-1], n) else None

    wrapped = WRAPPED_LETTER.match(text)
    if wrapped:
        letter = wrapped.group(1).upper()
        return letter if _in_range(letter, n) else None
    normalised = [_normalise(o) for o in options]
    labelled = LABELLED.match(text)
    if labelled:
        letter = labelled.group(1).upper()
        rest = _normalise(labelled.group(2))
        named = normalised.index(rest) if rest in normalised else -1
        if _in_range(letter, n) and (named < 0 or named == LETTERS.find(letter)):
            return letter
        if not _in_range(letter, n) and named >= 0:
            return LETTERS[named]
        return None
    whole = _normalise(text)
    if whole in normalised:
        return LETTERS[normalised.index(whole)]

    found = []
    for m in STANDALONE_CAPITAL.finditer(text):
        letter = m.group(1)
        after = text[m.start() + 1 :]
        if letter == "A" and ARTICLE_AFTER.match(after):
            continue
        if letter == "I" and PRONOUN_AFTER.match(after):
            continue
        if _in_range(letter, n) and letter not in found:
            found.append(letter)
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        return None

    lower = " " + re.sub(r"[^a-z0-9\s-]", " ", _normalise(text)) + " "
    named = [i for i, o in enumerate(normalised) if o and re.search(r"(?<![a-z0-9-])" + re.escape(o) + r"(?![a-z0-9-])", lower)]
    distinct = [i for i in named if not any(j != i and normalised[i] in normalised[j] for j in named)]
    return LETTERS[distinct[0]] if len(distinct) == 1 else None
