// PMC-VQA CSV (train.csv / test.csv / test_clean.csv / train2.csv / test2.csv) + images from a folder or images.zip.
// Columns per the release card (huggingface.co/datasets/xmcmic/PMC-VQA): Figure_path, Question, Answer, Choice A–D, Answer_label;
// choices carry their letter ("B:Focal uptake pattern"), which we strip. Modality is unknown here: 'none', to be labelled later.
import type { ItemDraft, Split } from '../../shared/items.ts';
import { readCsvTable } from './csv-table.ts';
import type { DecodeOptions } from './image-normalise.ts';
import { openImageStore, type ImageStore } from './image-store.ts';
import { toIssue, type ReadEvent } from './issues.ts';
import { itemEvent } from './item-builder.ts';
import { fileChunks, splitFromFileName } from './source-bytes.ts';
import type { ZipLimits } from './zip-reader.ts';

const LETTERS = ['A', 'B', 'C', 'D'] as const;
const BENCHMARK = 'pmc-vqa';

/** Required columns and the header spellings accepted for each (the release's own code spells "Anwser"). */
export const PMC_VQA_COLUMNS = {
  figure: ['Figure_path'],
  question: ['Question'],
  choiceA: ['Choice A'],
  choiceB: ['Choice B'],
  choiceC: ['Choice C'],
  choiceD: ['Choice D'],
  label: ['Answer_label', 'Anwser_label'],
} as const;
const OPTIONAL_COLUMNS = { answer: ['Answer', 'Anwser'] } as const;

export interface PmcVqaOptions {
  /** Image folder or .zip (e.g. the release's images.zip). */
  images: string;
  /** Split to record; default from the file name (train… or test…), else null. */
  split?: Split | null;
  /** CSV bytes in memory instead of reading `file`. */
  bytes?: Uint8Array;
  decode?: DecodeOptions;
  zipLimits?: Partial<ZipLimits>;
}

/** Streams PMC-VQA items. A missing column stops the file with one rejection; a bad row or missing image rejects that row only. */
export async function* readPmcVqa(file: string, opts: PmcVqaOptions): AsyncGenerator<ReadEvent> {
  let store: ImageStore;
  let chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  try {
    chunks = opts.bytes ? [opts.bytes] : await fileChunks(file);
  } catch (err) {
    yield { type: 'rejection', issue: toIssue(file, err) };
    return;
  }
  try {
    const opened = await openImageStore(opts.images, opts.decode, opts.zipLimits);
    store = opened.store;
    for (const issue of opened.issues) yield { type: 'warning', issue };
  } catch (err) {
    yield { type: 'rejection', issue: toIssue(opts.images, err) };
    return;
  }
  const split = opts.split === undefined ? splitFromFileName(file) : opts.split;
  try {
    for await (const ev of readCsvTable(file, chunks, PMC_VQA_COLUMNS, OPTIONAL_COLUMNS)) {
      if (ev.type === 'rejection') {
        yield ev;
        continue;
      }
      const { row, values } = ev;
      const reject = (code: 'row-invalid' | 'empty-option' | 'duplicate-options' | 'bad-answer-label', reason: string): ReadEvent => ({
        type: 'rejection',
        issue: { file, row, code, reason },
      });
      const question = (values.get('question') ?? '').trim();
      if (!question) {
        yield reject('row-invalid', 'Question is empty');
        continue;
      }
      const options = LETTERS.map((l) => stripLetter(values.get(`choice${l}`) ?? '', l));
      const emptyAt = options.findIndex((o) => o === '');
      if (emptyAt >= 0) {
        yield reject('empty-option', `Choice ${LETTERS[emptyAt]} is empty`);
        continue;
      }
      if (new Set(options.map((o) => o.toLowerCase())).size !== options.length) {
        yield reject('duplicate-options', 'two choices have the same text');
        continue;
      }
      const label = /^\s*([A-Da-d])\s*(?::.*)?$/.exec(values.get('label') ?? '');
      if (!label) {
        yield reject('bad-answer-label', `Answer_label "${values.get('label') ?? ''}" is not one of A, B, C, D`);
        continue;
      }
      const correct = LETTERS.indexOf((label[1] as string).toUpperCase() as (typeof LETTERS)[number]);
      const figure = (values.get('figure') ?? '').trim();
      let image;
      try {
        image = await store.load(figure);
      } catch (err) {
        yield { type: 'rejection', issue: toIssue(file, err, row) };
        continue;
      }
      const draft: ItemDraft = {
        // The row, not the file name: the same CSV under another name gives the same items (content ids).
        sourceKey: `row:${row}`,
        question,
        options,
        correct,
        answer: options[correct] as string,
        kind: 'multiple-choice',
        modality: 'none',
        modalitySource: 'none',
        modalityConfidence: 0,
        task: BENCHMARK,
        benchmark: BENCHMARK,
        questionType: 'multiple-choice',
        sourceSplit: split,
        patient: null,
        optionSeed: null,
      };
      const extra: Record<string, string> = { figurePath: figure };
      const answerText = values.get('answer');
      if (answerText !== undefined) extra['sourceAnswer'] = answerText;
      yield itemEvent(draft, image, figure, extra, file, row);
    }
  } catch (err) {
    yield { type: 'rejection', issue: toIssue(file, err) };
  } finally {
    await store.close().catch(() => undefined);
  }
}

/** "B:Focal uptake" / " B: Focal uptake" → "Focal uptake" (only the column's own letter is stripped). */
function stripLetter(text: string, letter: string): string {
  const m = new RegExp(`^\\s*${letter}\\s*:\\s*`).exec(text);
  return (m ? text.slice(m[0].length) : text).trim();
}
