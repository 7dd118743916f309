// Reads an image-set fixture (index.json + images.bin.gz, written by tests/fixtures/models/make_reference_fixtures.py).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { DecodedImage } from '../../../shared/items.ts';
import type { McItemInput } from '../../../electron/models/index.ts';

export const MODEL_FIXTURES = new URL('../../fixtures/models/', import.meta.url).pathname;
export const REFERENCE_PACK_DIR = new URL('../../../resources/models/reference-v1/', import.meta.url).pathname;

export interface FixtureItem extends McItemInput {
  task: string;
  modality: string;
  correct: number;
  source: string;
}

interface IndexEntry {
  task: string;
  modality: string;
  question: string;
  options: string[];
  correct: number;
  source: string;
  width: number;
  height: number;
  channels: 1 | 3;
  offset: number;
}

export function readImageSet(name: string): FixtureItem[] {
  const dir = join(MODEL_FIXTURES, name);
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { items: IndexEntry[] };
  const pixels = gunzipSync(readFileSync(join(dir, 'images.bin.gz')));
  return index.items.map((e) => {
    const n = e.width * e.height * e.channels;
    const image: DecodedImage = { width: e.width, height: e.height, channels: e.channels, data: new Uint8Array(pixels.subarray(e.offset, e.offset + n)) };
    return { images: [image], question: e.question, options: e.options, task: e.task, modality: e.modality, correct: e.correct, source: e.source };
  });
}

/** Accuracy@1 (argmax, ties to the lowest index) per task. */
export function accuracyByTask(
  items: readonly FixtureItem[],
  logits: readonly Float32Array[],
): Record<string, { correct: number; n: number; accuracy: number }> {
  const out: Record<string, { correct: number; n: number; accuracy: number }> = {};
  items.forEach((it, i) => {
    const l = logits[i] as Float32Array;
    let best = 0;
    for (let j = 1; j < l.length; j++) if ((l[j] as number) > (l[best] as number)) best = j;
    const t = (out[it.task] ??= { correct: 0, n: 0, accuracy: 0 });
    t.n++;
    if (best === it.correct) t.correct++;
    t.accuracy = t.correct / t.n;
  });
  return out;
}
