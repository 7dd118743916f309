// Seeded random candidate sets for the balance property and size tests.
import type { BalanceCandidate } from '../../../shared/balance/index.ts';
import type { Modality, Split } from '../../../shared/items.ts';
import { createRng } from '../../../shared/random.ts';

export interface RandomCandidateOptions {
  n: number;
  seed: number;
  modalities: readonly Modality[];
  /** Patients have 1..maxPerPatient items. */
  maxPerPatient?: number;
  /** Fraction of items without a patient. */
  noPatientFraction?: number;
  /** Fraction of items that copy an earlier item's picture and question (exact) or flip 2 bits (near). */
  duplicateFraction?: number;
}

const hex8 = (x: number) => (x >>> 0).toString(16).padStart(8, '0');

export function randomCandidates(o: RandomCandidateOptions): BalanceCandidate[] {
  const rng = createRng(o.seed);
  const out: BalanceCandidate[] = [];
  const maxPer = o.maxPerPatient ?? 5;
  let patientNo = 0;
  let left = 0;
  let patient: string | null = null;
  let modality: Modality = o.modalities[0] as Modality;
  for (let i = 0; i < o.n; i++) {
    if (left === 0) {
      left = 1 + rng.int(maxPer);
      patient = rng.next() < (o.noPatientFraction ?? 0.1) ? null : `pt${patientNo++}`;
      modality = o.modalities[rng.int(o.modalities.length)] as Modality;
    }
    left--;
    const id = `item-${String(i).padStart(6, '0')}`;
    const dup = out.length > 0 && rng.next() < (o.duplicateFraction ?? 0) ? out[rng.int(out.length)] : undefined;
    const mc = rng.next() < 0.9;
    const optionCount = mc ? ([4, 4, 4, 5, 2][rng.int(5)] as number) : 0;
    const split: Split | null = [null, 'train', 'val', 'test'][rng.int(4)] as Split | null;
    let phash = `${hex8(rng.int(2 ** 32))}${hex8(rng.int(2 ** 32))}`;
    let imageHash = `img-${i}`;
    let question = `question ${i}`;
    if (dup !== undefined && dup.phash !== null) {
      question = dup.question ?? '';
      if (rng.next() < 0.5) {
        imageHash = dup.imageHash as string;
        phash = dup.phash;
      } else {
        const lo = (Number.parseInt(dup.phash.slice(8), 16) ^ 0b101) >>> 0; // 2 bits flipped
        phash = dup.phash.slice(0, 8) + hex8(lo);
      }
    }
    out.push({
      id,
      modality: dup?.modality ?? modality,
      correct: mc ? rng.int(optionCount) : null,
      optionCount,
      patient: dup?.patient ?? patient,
      sourceSplit: split,
      imageHash,
      phash,
      kind: mc ? 'multiple-choice' : 'free-form',
      task: 'task',
      benchmark: 'synthetic',
      question,
    });
  }
  return out;
}
