// VQA-RAD (Lau et al. 2018) JSON lists (trainset.json / testset.json: qid, image_name, image_organ, answer, answer_type
// CLOSED|OPEN, question_type, question, phrase_type) + image folder. Closed → multiple choice (see closed-options.ts), open → free-form.
// Modality is not stated by the source and is left 'none' (image_organ is kept in `extra`). Image policy: see vqa-images.ts.
import { z } from 'zod';
import type { Split } from '../../shared/items.ts';
import { ClosedAnswerSets } from './closed-options.ts';
import type { DecodeOptions } from './image-normalise.ts';
import { toIssue, type ReadEvent } from './issues.ts';
import { MAX_JSON_BYTES, parseJsonBytes, readWholeFile, splitFromFileName } from './source-bytes.ts';
import { VqaImages, type MissingImagePolicy } from './vqa-images.ts';
import { vqaItemEvent } from './vqa-item.ts';

const BENCHMARK = 'vqa-rad';

const text = z.union([z.string(), z.number()]).transform((v) => String(v));
export const VqaRadRow = z.object({
  qid: text,
  image_name: z.string().min(1),
  question: z.string().trim().min(1),
  answer: text.refine((s) => s.trim().length > 0, 'empty answer'),
  answer_type: z
    .string()
    .transform((s) => s.trim().toUpperCase())
    .pipe(z.enum(['CLOSED', 'OPEN'])),
  question_type: z.string().optional(),
  image_organ: z.string().optional(),
  phrase_type: z.string().optional(),
});

export interface VqaRadOptions {
  seed: number;
  /** Image folder (`data_RAD/images`); absent → items kept without images, one warning. */
  images?: string;
  missingImage?: MissingImagePolicy;
  split?: Split | null;
  bytes?: Uint8Array;
  decode?: DecodeOptions;
}

export async function* readVqaRad(file: string, opts: VqaRadOptions): AsyncGenerator<ReadEvent> {
  let rows: unknown;
  try {
    rows = parseJsonBytes(opts.bytes ?? (await readWholeFile(file, MAX_JSON_BYTES)));
  } catch (err) {
    yield { type: 'rejection', issue: toIssue(file, err) };
    return;
  }
  if (!Array.isArray(rows)) {
    yield { type: 'rejection', issue: { file, code: 'json-shape', reason: 'expected a JSON list of questions' } };
    return;
  }
  const parsed = rows.map((r) => VqaRadRow.safeParse(r));
  const sets = new ClosedAnswerSets();
  for (const p of parsed) if (p.success && p.data.answer_type === 'CLOSED') sets.add(p.data.question_type ?? '', p.data.answer);
  const split = opts.split === undefined ? splitFromFileName(file) : opts.split;
  const { images, warning } = await VqaImages.open(file, opts.images, opts.missingImage ?? 'keep', opts.decode);
  if (warning) yield { type: 'warning', issue: warning };
  try {
    for (let i = 0; i < parsed.length; i++) {
      const row = i + 1;
      const p = parsed[i];
      if (!p || !p.success) {
        const why = p ? p.error.issues.map((x) => `${x.path.join('.') || '(row)'}: ${x.message}`).join('; ') : 'missing';
        yield { type: 'rejection', issue: { file, row, code: 'row-invalid', reason: why } };
        continue;
      }
      const r = p.data;
      const loaded = await images.load(r.image_name, row);
      if ('issue' in loaded) {
        yield { type: 'rejection', issue: loaded.issue };
        continue;
      }
      const extra: Record<string, string> = { qid: r.qid, imageName: r.image_name };
      if (r.question_type !== undefined) extra['vqaRadQuestionType'] = r.question_type;
      if (r.image_organ !== undefined) extra['imageOrgan'] = r.image_organ;
      if (r.phrase_type !== undefined) extra['phraseType'] = r.phrase_type;
      yield vqaItemEvent(
        {
          sourceKey: `qid:${r.qid}`,
          question: r.question,
          answer: r.answer,
          closed: r.answer_type === 'CLOSED',
          typeKey: r.question_type ?? '',
          benchmark: BENCHMARK,
          task: BENCHMARK,
          split,
          modality: 'none',
          modalitySource: 'none',
          modalityConfidence: 0,
        },
        sets,
        opts.seed,
        loaded.image,
        r.image_name,
        extra,
        file,
        row,
      );
    }
    const summary = images.summary();
    if (summary) yield { type: 'warning', issue: summary };
  } finally {
    await images.close().catch(() => undefined);
  }
}
