// The items of a dataset version a run works on, as the model must see them: options in the version's frozen
// display order (position j shows original option optionOrder[j]) and the correct index mapped to that order.
import { versionWorkRows } from '../storage/repositories/version-items.ts';
import type { Workspace } from '../storage/workspace.ts';
import type { WorkItem } from './score-items.ts';
import { mcTemplateHash } from './template-hash.ts';

export interface VersionWorkItem extends WorkItem {
  modality: string;
  task: string;
}

/** Multiple-choice items with an image, in item-id order; `excluded` counts the others (free-form, no image). */
export function versionWorkItems(
  ws: Workspace,
  versionId: string,
  split: string,
  cached: (imageHash: string, templateHash: string) => string | null,
  templateOf?: (question: string, options: string[]) => string,
): { items: VersionWorkItem[]; excluded: number } {
  const rows = versionWorkRows(ws.read, versionId, split);
  const items: VersionWorkItem[] = [];
  let excluded = 0;
  for (const r of rows) {
    if (r.kind !== 'multiple-choice' || r.correct === null || !r.image_hash) {
      excluded++;
      continue;
    }
    const original = r.options;
    const order = r.option_order;
    const displayed = order.length === original.length ? order.map((k) => original[k] as string) : original;
    const correct = order.length === original.length ? order.indexOf(r.correct) : r.correct;
    const templateHash = (templateOf ?? mcTemplateHash)(r.question, displayed);
    items.push({
      item: r.item_id,
      split: r.split,
      imageHash: r.image_hash,
      question: r.question,
      options: displayed,
      correct,
      templateHash,
      cached: cached(r.image_hash, templateHash),
      modality: r.modality,
      task: r.task,
    });
  }
  return { items, excluded };
}
