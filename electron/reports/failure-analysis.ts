// Failure analysis of a diagnosis for the report (CLAIM: "failure analysis of incorrectly classified cases"): per task,
// a confusion matrix over answer texts (the correct option's text × the chosen option's text; option order differs
// per item, so letters would mean nothing) and the items the model got most confidently wrong. Pure: rows in, tables out.
import { argmax } from '../../shared/metrics/index.ts';

/** One scored item: its displayed options, the displayed index of the correct one, the option probabilities. */
export interface ScoredRow {
  item: string;
  task: string;
  question: string;
  options: readonly string[];
  correct: number;
  probs: readonly number[];
  thumb: string | null;
}

export interface ConfidentError {
  item: string;
  question: string;
  correct: string;
  chosen: string;
  /** Probability the model gave its (wrong) choice. */
  confidence: number;
  /** Thumbnail blob (SHA-256) or null. */
  thumb: string | null;
}

export interface TaskFailures {
  n: number;
  wrong: number;
  /** Answer texts, sorted; rows and columns of `confusion`. */
  classes: string[];
  /** confusion[i][j] = items whose correct answer is classes[i] and chosen answer classes[j]. */
  confusion: number[][];
  /** The most confidently wrong items, most confident first (ties: item id). */
  worst: ConfidentError[];
}

/** Errors listed per task. */
export const WORST_PER_TASK = 5;

export function failureAnalysis(rows: readonly ScoredRow[], worstPerTask = WORST_PER_TASK): Record<string, TaskFailures> {
  const byTask = new Map<string, ScoredRow[]>();
  for (const r of rows) byTask.set(r.task, [...(byTask.get(r.task) ?? []), r]);
  const out: Record<string, TaskFailures> = {};
  for (const task of [...byTask.keys()].sort()) {
    const items = byTask.get(task)!;
    const classes = [...new Set(items.flatMap((r) => [r.options[r.correct]!, r.options[argmax(r.probs)]!]))].sort();
    const index = new Map(classes.map((c, i) => [c, i]));
    const confusion = classes.map(() => classes.map(() => 0));
    const errors: ConfidentError[] = [];
    for (const r of items) {
      const chosen = argmax(r.probs);
      confusion[index.get(r.options[r.correct]!)!]![index.get(r.options[chosen]!)!]! += 1;
      if (chosen !== r.correct)
        errors.push({
          item: r.item,
          question: r.question,
          correct: r.options[r.correct]!,
          chosen: r.options[chosen]!,
          confidence: r.probs[chosen]!,
          thumb: r.thumb,
        });
    }
    errors.sort((a, b) => b.confidence - a.confidence || (a.item < b.item ? -1 : 1));
    out[task] = { n: items.length, wrong: errors.length, classes, confusion, worst: errors.slice(0, worstPerTask) };
  }
  return out;
}
