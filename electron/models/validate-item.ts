// Checks a multiple-choice item before any model sees it: 2–26 options, at least one image, pixel data that matches its size.
import { MAX_OPTIONS, MIN_OPTIONS } from '../../shared/items.ts';
import { ModelError } from './model-error.ts';
import type { McItemInput } from './model-pack-runner.ts';

export function validateItem(item: McItemInput, index: number): void {
  const m = item.options.length;
  if (m < MIN_OPTIONS || m > MAX_OPTIONS) throw new ModelError('model/invalid-input', `item ${index} has ${m} options, expected ${MIN_OPTIONS}–${MAX_OPTIONS}`);
  if (item.images.length === 0) throw new ModelError('model/invalid-input', `item ${index} has no image`);
  for (const img of item.images) {
    if (img.data.length !== img.width * img.height * img.channels || img.width < 1 || img.height < 1) {
      throw new ModelError('model/invalid-input', `item ${index} has an image whose data does not match ${img.width}×${img.height}×${img.channels}`);
    }
  }
}
