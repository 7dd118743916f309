// Class-folder image sets (`<root>/<class>/<image>`, the torchvision ImageFolder layout): every image becomes a multiple-choice
// item over the class names (seeded option order). The caller states modality and task. Non-images and undecodable images are
// rejected one by one; hidden files and known sidecars at the root (MANIFEST.sha256, README, LICENSE) are skipped silently.
// Symbolic links are followed inside the root and rejected when they lead outside it (folder-walk.ts).
import { readdir, readFile, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_OPTIONS, MIN_OPTIONS, type ItemDraft, type Modality, type Split } from '../../shared/items.ts';
import { resolveInsideRoot, walkFolder } from './folder-walk.ts';
import { decodeImage, type DecodeOptions } from './image-normalise.ts';
import { MAX_IMAGE_FILE_BYTES } from './image-store.ts';
import { FormatError, toIssue, type ReadEvent } from './issues.ts';
import { itemEvent, shuffleOptions } from './item-builder.ts';

const ROOT_SIDECARS = /^(manifest(\.sha256|\.md|\.txt)?|readme(\..*)?|licen[cs]e(\..*)?|provenance(\..*)?)$/i;
const DEFAULT_QUESTION = 'Which of the following best describes this image?';
const BENCHMARK = 'image-folder';

export interface ImageFolderOptions {
  seed: number;
  modality: Modality;
  task: string;
  /** Question asked for every image. */
  question?: string;
  /** Option text for a class folder name; default: underscores and hyphens become spaces. */
  classLabel?: (folder: string) => string;
  split?: Split | null;
  decode?: DecodeOptions;
}

const defaultLabel = (folder: string): string => folder.replace(/[_-]+/g, ' ').trim();

export async function* readImageFolder(root: string, opts: ImageFolderOptions): AsyncGenerator<ReadEvent> {
  let names: string[];
  let rootReal: string;
  try {
    names = (await readdir(root)).sort();
    rootReal = await realpath(root);
  } catch (err) {
    yield {
      type: 'rejection',
      issue: toIssue(root, new FormatError('file-not-found', `cannot list folder (${err instanceof Error ? err.message : String(err)})`)),
    };
    return;
  }
  const classes: string[] = [];
  for (const name of names) {
    if (name.startsWith('.')) continue;
    // A class folder (or file) that is a symbolic link counts only when it resolves inside the import folder.
    const r = await resolveInsideRoot(rootReal, join(root, name));
    if (!r.ok) yield { type: 'rejection', issue: { file: join(root, name), code: r.code, reason: r.reason } };
    else if (r.stat.isDirectory()) classes.push(name);
    else if (!ROOT_SIDECARS.test(name))
      yield { type: 'rejection', issue: { file: join(root, name), code: 'not-an-image', reason: 'file is not inside a class folder' } };
  }
  const labelOf = opts.classLabel ?? defaultLabel;
  const labels = classes.map(labelOf);
  if (classes.length < MIN_OPTIONS) {
    yield {
      type: 'rejection',
      issue: { file: root, code: 'too-few-classes', reason: `${classes.length} class folder(s); at least ${MIN_OPTIONS} are needed` },
    };
    return;
  }
  if (classes.length > MAX_OPTIONS) {
    yield {
      type: 'rejection',
      issue: { file: root, code: 'too-many-classes', reason: `${classes.length} class folders; at most ${MAX_OPTIONS} fit as options` },
    };
    return;
  }
  if (new Set(labels).size !== labels.length || labels.some((l) => l === '')) {
    yield {
      type: 'rejection',
      issue: { file: root, code: 'duplicate-options', reason: `class names collide or are empty after labelling: ${labels.join(', ')}` },
    };
    return;
  }
  let row = 0;
  for (let c = 0; c < classes.length; c++) {
    const cls = classes[c] as string;
    for await (const entry of walkFolder(join(root, cls), { skipHidden: false, within: root })) {
      row++;
      const rel = `${cls}/${entry.rel}`;
      const file = join(root, rel);
      if (entry.type === 'refused') {
        yield { type: 'rejection', issue: { file, row, code: entry.code, reason: entry.reason } };
        continue;
      }
      if (rel.split('/').some((seg) => seg.startsWith('.'))) {
        yield { type: 'rejection', issue: { file, row, code: 'not-an-image', reason: 'hidden file skipped' } };
        continue;
      }
      let image;
      try {
        if (entry.size > MAX_IMAGE_FILE_BYTES) {
          yield { type: 'rejection', issue: { file, row, code: 'image-too-large', reason: `${entry.size} bytes` } };
          continue;
        }
        image = await decodeImage(new Uint8Array(await readFile(file)), opts.decode);
      } catch (err) {
        yield { type: 'rejection', issue: toIssue(file, err, row) };
        continue;
      }
      const s = shuffleOptions(labels, c, opts.seed, rel);
      const draft: ItemDraft = {
        sourceKey: rel,
        question: opts.question ?? DEFAULT_QUESTION,
        options: s.options,
        correct: s.correct,
        answer: s.options[s.correct] as string,
        kind: 'multiple-choice',
        modality: opts.modality,
        modalitySource: 'source',
        modalityConfidence: 1,
        task: opts.task,
        benchmark: BENCHMARK,
        questionType: 'class-label',
        sourceSplit: opts.split ?? null,
        patient: null,
        optionSeed: s.optionSeed,
      };
      yield itemEvent(draft, image, rel, { className: cls }, file, row);
    }
  }
}
