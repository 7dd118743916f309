// Bridging with a fixed labelling budget (design.md §5, "bridge on proximal data"): supervised fine-tuning sees at
// most `budget` labelled train items per task, chosen by a seeded draw that takes the task's answers in turn, so the
// bridge learns from a small labelled fraction while sharpening (GRPO) later works on the whole train split. Bridge
// data and sharpen data then differ, and the Accuracy@1 / Pass@K gap at the start of GRPO is not just the SFT fit.
import { createRng, deriveSeed, shuffled } from '../random.ts';

/** The wizard's default budget for the bridge: labelled train items per task. */
export const DEFAULT_BRIDGE_LABEL_BUDGET = 32;

export interface BudgetItem {
  item: string;
  task: string;
  /** The correct answer's text (the class the item belongs to). */
  answer: string;
}

/**
 * The item ids a budget of `budget` items per task keeps. Per task: items grouped by answer, each group in a seeded
 * order (seed derived from the run seed and the task; input order does not matter: items are sorted by id first),
 * then one item from each answer in turn (answers in code-point order) until the budget is spent or the task is
 * exhausted. A task with no more items than the budget keeps them all.
 */
export function selectWithinBudget(items: readonly BudgetItem[], budget: number, seed: number): Set<string> {
  if (!Number.isInteger(budget) || budget < 1) throw new RangeError(`label budget must be a whole number ≥ 1 (got ${budget})`);
  const byTask = new Map<string, BudgetItem[]>();
  for (const it of items) byTask.set(it.task, [...(byTask.get(it.task) ?? []), it]);
  const kept = new Set<string>();
  for (const task of [...byTask.keys()].sort()) {
    const taskItems = (byTask.get(task) ?? []).slice().sort((a, b) => (a.item < b.item ? -1 : a.item > b.item ? 1 : 0));
    const rng = createRng(deriveSeed(seed, `label-budget:${task}`));
    const byAnswer = new Map<string, string[]>();
    for (const it of taskItems) byAnswer.set(it.answer, [...(byAnswer.get(it.answer) ?? []), it.item]);
    const queues = [...byAnswer.keys()].sort().map((a) => shuffled(byAnswer.get(a) ?? [], rng));
    let taken = 0;
    for (let round = 0; taken < budget && queues.some((q) => round < q.length); round++) {
      for (const q of queues) {
        if (taken >= budget) break;
        const id = q[round];
        if (id !== undefined) {
          kept.add(id);
          taken++;
        }
      }
    }
  }
  return kept;
}
