// The prompt-template hash of the feature-cache key: what the model was asked, apart from the image.
// Multiple-choice scoring: the prompt version, the question and the options in displayed order (so a different
// option order is a different entry). Image-only embeddings (probes) share one constant key.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../shared/canonical-json.ts';
import { ANSWER_INSTRUCTION } from '../models/mc-prompt.ts';

/** Bump when the multiple-choice prompt or the scoring changes so old cache entries stop matching. */
export const MC_TEMPLATE_VERSION = 'mc-letter-logits/v1';
export const IMAGE_EMBEDDING_TEMPLATE = 'image-embedding/v1';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export function mcTemplateHash(question: string, options: readonly string[]): string {
  return sha256(canonicalJson({ template: MC_TEMPLATE_VERSION, instruction: ANSWER_INSTRUCTION, question, options: [...options] }));
}

export const IMAGE_EMBEDDING_TEMPLATE_HASH = sha256(canonicalJson({ template: IMAGE_EMBEDDING_TEMPLATE }));
