// SLAKE 1.0 (Liu et al. 2021) annotations: the JSON lists (train/validate/test.json: img_name, question, answer, q_lang,
// modality, answer_type CLOSED|OPEN, content_type, qid, location) or the CSV exports (img_id,img_name,question,answer, with
// closed/open told by the file name: test_close.csv / test_open.csv). Images (imgs/<xmlabN>/source.jpg) are optional:
// see vqa-images.ts for the once-per-dataset reporting. SLAKE states each image's modality (CT / MRI / X-Ray): recorded as 'source'.
import { basename } from 'node:path';
import { z } from 'zod';
import type { Modality, Split } from '../../shared/items.ts';
import { ClosedAnswerSets, yesNoOptions } from './closed-options.ts';
import { readCsvTable } from './csv-table.ts';
import type { DecodeOptions } from './image-normalise.ts';
import { toIssue, type ReadEvent } from './issues.ts';
import { MAX_JSON_BYTES, fileChunks, parseJsonBytes, readWholeFile, splitFromFileName } from './source-bytes.ts';
import { VqaImages, type MissingImagePolicy } from './vqa-images.ts';
import { vqaItemEvent } from './vqa-item.ts';

const BENCHMARK = 'slake';
/** SLAKE's modality strings → our Modality enum. */
const SLAKE_MODALITY: Record<string, Modality> = { ct: 'ct', mri: 'mri', 'x-ray': 'x-ray', xray: 'x-ray' };
const CJK = /[\u3400-\u9fff]/;

const text = z.union([z.string(), z.number()]).transform((v) => String(v));
export const SlakeRow = z.object({
  qid: text.optional(),
  img_name: z.string().min(1),
  question: z.string().trim().min(1),
  answer: text.refine((s) => s.trim().length > 0, 'empty answer'),
  answer_type: z
    .string()
    .transform((s) => s.trim().toUpperCase())
    .pipe(z.enum(['CLOSED', 'OPEN'])),
  q_lang: z.string().optional(),
  modality: z.string().optional(),
  content_type: z.string().optional(),
  location: z.string().optional(),
});
type SlakeRow = z.infer<typeof SlakeRow>;

export interface SlakeOptions {
  seed: number;
  /** The `imgs` folder; absent → items kept without images, one warning. */
  images?: string;
  missingImage?: MissingImagePolicy;
  split?: Split | null;
  /** Keep only these languages ('en', 'zh'); default all. */
  languages?: readonly string[];
  /** For CSV exports whose name says neither close nor open; default: yes/no answers closed, others open. */
  answerType?: 'CLOSED' | 'OPEN';
  bytes?: Uint8Array;
  decode?: DecodeOptions;
}

export async function* readSlake(file: string, opts: SlakeOptions): AsyncGenerator<ReadEvent> {
  const rows: { row: number; data: SlakeRow }[] = [];
  const pending: ReadEvent[] = [];
  const isCsv = file.toLowerCase().endsWith('.csv');
  try {
    if (isCsv) await collectCsv(file, opts, rows, pending);
    else collectJson(file, parseJsonBytes(opts.bytes ?? (await readWholeFile(file, MAX_JSON_BYTES))), rows, pending);
  } catch (err) {
    yield { type: 'rejection', issue: toIssue(file, err) };
    return;
  }
  yield* pending;
  const langOf = (r: SlakeRow): string => r.q_lang ?? (CJK.test(r.question) ? 'zh' : 'en');
  const kept = opts.languages ? rows.filter((r) => opts.languages?.includes(langOf(r.data))) : rows;
  const sets = new ClosedAnswerSets();
  for (const { data } of kept) if (data.answer_type === 'CLOSED') sets.add(data.content_type ?? 'closed', data.answer);
  const split = opts.split === undefined ? splitFromFileName(file) : opts.split;
  const { images, warning } = await VqaImages.open(file, opts.images, opts.missingImage ?? 'keep', opts.decode);
  if (warning) yield { type: 'warning', issue: warning };
  try {
    for (const { row, data: r } of kept) {
      const loaded = await images.load(r.img_name, row);
      if ('issue' in loaded) {
        yield { type: 'rejection', issue: loaded.issue };
        continue;
      }
      const modality = r.modality ? SLAKE_MODALITY[r.modality.trim().toLowerCase()] : undefined;
      const extra: Record<string, string> = { imageName: r.img_name, language: langOf(r) };
      if (r.qid !== undefined) extra['qid'] = r.qid;
      if (r.content_type !== undefined) extra['contentType'] = r.content_type;
      if (r.location !== undefined) extra['location'] = r.location;
      if (r.modality !== undefined) extra['sourceModality'] = r.modality;
      yield vqaItemEvent(
        {
          sourceKey: r.qid !== undefined ? `qid:${r.qid}` : `row:${row}`,
          question: r.question,
          answer: r.answer,
          closed: r.answer_type === 'CLOSED',
          typeKey: r.content_type ?? 'closed',
          benchmark: BENCHMARK,
          task: BENCHMARK,
          split,
          modality: modality ?? 'none',
          modalitySource: modality ? 'source' : 'none',
          modalityConfidence: modality ? 1 : 0,
        },
        sets,
        opts.seed,
        loaded.image,
        r.img_name,
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

function collectJson(file: string, json: unknown, rows: { row: number; data: SlakeRow }[], pending: ReadEvent[]): void {
  if (!Array.isArray(json)) {
    pending.push({ type: 'rejection', issue: { file, code: 'json-shape', reason: 'expected a JSON list of questions' } });
    return;
  }
  json.forEach((r, i) => {
    const p = SlakeRow.safeParse(r);
    if (p.success) rows.push({ row: i + 1, data: p.data });
    else
      pending.push({
        type: 'rejection',
        issue: { file, row: i + 1, code: 'row-invalid', reason: p.error.issues.map((x) => `${x.path.join('.') || '(row)'}: ${x.message}`).join('; ') },
      });
  });
}

/** A SLAKE CSV export's answer type as its file name tells it (test_close.csv / test_open.csv), if it does. */
export function slakeAnswerTypeFromName(file: string): 'CLOSED' | 'OPEN' | undefined {
  const base = basename(file).toLowerCase();
  return base.includes('close') ? 'CLOSED' : base.includes('open') ? 'OPEN' : undefined;
}

async function collectCsv(file: string, opts: SlakeOptions, rows: { row: number; data: SlakeRow }[], pending: ReadEvent[]): Promise<void> {
  const declared = opts.answerType ?? slakeAnswerTypeFromName(file);
  const chunks = opts.bytes ? [opts.bytes] : await fileChunks(file);
  const columns = { img_name: ['img_name'], question: ['question'], answer: ['answer'] };
  for await (const ev of readCsvTable(file, chunks, columns, { qid: ['qid'], img_id: ['img_id'] })) {
    if (ev.type === 'rejection') {
      pending.push(ev);
      continue;
    }
    const v = ev.values;
    const answer = v.get('answer') ?? '';
    const p = SlakeRow.safeParse({
      img_name: v.get('img_name'),
      question: v.get('question'),
      answer,
      answer_type: declared ?? (yesNoOptions(answer) ? 'CLOSED' : 'OPEN'),
      ...(v.get('qid') ? { qid: v.get('qid') } : {}),
    });
    if (p.success) rows.push({ row: ev.row, data: p.data });
    else
      pending.push({
        type: 'rejection',
        issue: { file, row: ev.row, code: 'row-invalid', reason: p.error.issues.map((x) => `${x.path.join('.') || '(row)'}: ${x.message}`).join('; ') },
      });
  }
}
