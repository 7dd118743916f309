// A readable title for one item, built from what the importer recorded: the task, where in the source it came from
// (split and index, file name, question id) and, for a class label, its class. Used by the item browser and viewer.

/** The fields of an item a title is built from (a subset of ItemRow, so any row shape with them will do). */
export interface TitledItem {
  benchmark: string;
  task: string;
  sourceKey: string;
  answer: string;
  questionType: string;
}

/** Separator between the parts of a title. */
const PART = ' · ';

/** `breastmnist · train #12 · malignant`; `blood-cell · neutrophil/BNE_1.jpg · neutrophil`; `vqa-rad · question 17`. */
export function itemTitle(item: TitledItem): string {
  const classPart = item.questionType === 'class-label' && item.answer ? [item.answer] : [];
  if (item.benchmark === 'medmnist') {
    // medmnist.ts: sourceKey `<split>/<index>` or, one item per finding, `<split>/<index>/<finding>`;
    // medmnist-volumes.ts, every slice of a 3D volume an item: `<split>/<index>/slice/<k>`.
    const [split, index, finding, slice] = item.sourceKey.split('/');
    if (split && index !== undefined && /^\d+$/.test(index) && finding === 'slice' && slice !== undefined) {
      return [item.task, `${split} #${index} slice ${slice}`, ...classPart].join(PART);
    }
    if (split && index !== undefined && /^\d+$/.test(index)) {
      const where = `${split} #${index}`;
      return [item.task, where, ...(finding ? [`${finding}: ${item.answer}`] : classPart)].join(PART);
    }
  }
  const qid = /^qid:(.+)$/.exec(item.sourceKey);
  if (qid) return [item.task, `question ${qid[1]}`].join(PART);
  const row = /^row:(\d+)$/.exec(item.sourceKey);
  if (row) return [item.task, `row ${row[1]}`].join(PART);
  if (item.sourceKey.startsWith('dicom:')) return [item.task, `DICOM image ${item.sourceKey.slice('dicom:'.length)}`, ...classPart].join(PART);
  if (item.sourceKey.startsWith('dicom-series:')) return [item.task, `DICOM series ${item.sourceKey.slice('dicom-series:'.length)}`, ...classPart].join(PART);
  return [item.task, item.sourceKey, ...classPart].join(PART);
}
