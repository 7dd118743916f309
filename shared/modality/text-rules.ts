// Layer 2: keyword rules over the question and caption (rule table in text-rule-table.ts).
// Decision: drop hits whose modality another hit supersedes; one modality left → it, at its strongest rule's
// confidence; several → the only strong one (≥ STRONG_HIT) with CONFLICT_PENALTY off, else ambiguous (null).
// A mention inside a yes/no question about the picture ("Is this an MRI …?") is a hypothesis, not evidence —
// in VQA-RAD such questions are often answered "no" — so it counts at most HYPOTHESIS_CONFIDENCE.
import type { Modality } from '../items.ts';
import { TEXT_RULES, type TextRule } from './text-rule-table.ts';
import type { ModalityLabel } from './types.ts';

/** Hits at or above this are strong: two strong modalities are a conflict. */
export const STRONG_HIT = 0.75;
/** Confidence lost when weaker hits for other modalities disagree with the winner. */
export const CONFLICT_PENALTY = 0.1;
/** Ceiling for a modality named only as the question's hypothesis (below the default label threshold 0.6). */
export const HYPOTHESIS_CONFIDENCE = 0.5;

/** "Is this (image) a …", "Was the scan …", "Is this a CT or an …" right before the mention, within two words. */
const HYPOTHESIS_PREFIX =
  /\b(?:is|was|are|were)\s+(?:this|that|it|these|the)(?:\s+(?:image|scan|study|film|picture|figure|photo)s?)?\s+(?:(?:an?|the)\s+)?(?:[\w-]+\s+){0,2}(?:or\s+(?:(?:an?|the)\s+)?(?:[\w-]+\s+){0,2})?$/i;
/** "not (a/an) (one word) …" right before the mention: the text rules the modality out. */
const NEGATION_PREFIX = /\bnot\s+(?:an?\s+)?(?:[\w-]+\s+)?$/i;
/** Text before a mention is looked at back to the previous sentence end. */
const SENTENCE_START = /[.!?;]\s+(?=[^.!?;]*$)/;

export interface TextRuleHit {
  rule: string;
  modality: Modality;
  confidence: number;
  field: 'question' | 'caption';
  match: string;
  hypothesis: boolean;
}

export interface TextRuleExplanation {
  hits: TextRuleHit[];
  outcome: 'label' | 'ambiguous' | 'no-match';
  label: ModalityLabel | null;
}

function sentenceBefore(text: string, index: number): string {
  const before = text.slice(0, index);
  const cut = before.search(SENTENCE_START);
  return cut < 0 ? before : before.slice(cut + 1);
}

function hitsIn(text: string, field: 'question' | 'caption', rules: readonly TextRule[]): TextRuleHit[] {
  const hits: TextRuleHit[] = [];
  for (const rule of rules) {
    const flags = rule.pattern.flags.includes('g') ? rule.pattern.flags : `${rule.pattern.flags}g`;
    const re = new RegExp(rule.pattern.source, flags);
    let best: TextRuleHit | undefined;
    for (const m of text.matchAll(re)) {
      const prefix = sentenceBefore(text, m.index);
      if (NEGATION_PREFIX.test(prefix)) continue;
      const hypothesis = field === 'question' && HYPOTHESIS_PREFIX.test(prefix);
      const confidence = hypothesis ? Math.min(rule.confidence, HYPOTHESIS_CONFIDENCE) : rule.confidence;
      if (best === undefined || confidence > best.confidence) best = { rule: rule.id, modality: rule.modality, confidence, field, match: m[0], hypothesis };
    }
    if (best !== undefined) hits.push(best);
  }
  return hits;
}

export function explainTextRules(question: string | null | undefined, caption?: string | null, rules: readonly TextRule[] = TEXT_RULES): TextRuleExplanation {
  const hits = [...hitsIn(question ?? '', 'question', rules), ...hitsIn(caption ?? '', 'caption', rules)];
  if (hits.length === 0) return { hits, outcome: 'no-match', label: null };
  const ruleById = new Map(rules.map((r) => [r.id, r]));
  const superseded = new Set<Modality>();
  for (const h of hits) for (const m of ruleById.get(h.rule)?.supersedes ?? []) if (m !== h.modality) superseded.add(m);
  const best = new Map<Modality, TextRuleHit[]>();
  for (const h of hits) {
    if (superseded.has(h.modality)) continue;
    const list = best.get(h.modality);
    if (list === undefined) best.set(h.modality, [h]);
    else list.push(h);
  }
  const ranked = [...best.entries()]
    .map(([modality, list]) => ({ modality, confidence: Math.max(...list.map((h) => h.confidence)), rules: list.map((h) => h.rule) }))
    .sort((a, b) => b.confidence - a.confidence || (a.modality < b.modality ? -1 : 1));
  const top = ranked[0];
  if (top === undefined) return { hits, outcome: 'ambiguous', label: null };
  const strong = ranked.filter((r) => r.confidence >= STRONG_HIT);
  if (ranked.length > 1 && strong.length !== 1) return { hits, outcome: 'ambiguous', label: null };
  const confidence = ranked.length > 1 ? top.confidence - CONFLICT_PENALTY : top.confidence;
  return { hits, outcome: 'label', label: { modality: top.modality, source: 'text-rules', confidence: round(confidence), detail: top.rules.join(',') } };
}

/** The text layer's label, or null when nothing matched or the matches disagree. */
export function modalityFromText(question: string | null | undefined, caption?: string | null): ModalityLabel | null {
  return explainTextRules(question, caption).label;
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
