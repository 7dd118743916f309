// Before/after count tables for the wizard preview: modality × split × correct letter.
import { OPTION_LETTERS } from '../items.ts';
import type { CountTable } from './types.ts';

export const FREE_FORM_COLUMN = 'free-form';
export const UNASSIGNED_ROW = 'unassigned';

export function letterColumn(correctPosition: number | null): string {
  return correctPosition === null ? FREE_FORM_COLUMN : (OPTION_LETTERS[correctPosition] as string);
}

export function addCount(table: CountTable, modality: string, split: string, column: string): void {
  const bySplit = (table[modality] ??= {});
  const byLetter = (bySplit[split] ??= {});
  byLetter[column] = (byLetter[column] ?? 0) + 1;
}
