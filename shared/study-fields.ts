// What a study must state before it can be created: a name and its intended use, both printed on page 1 of every
// report. One pure check, used by the contract (every door: IPC, HTTP, CLI) and by the renderer's form before it
// calls, so the two cannot disagree on what counts as empty or on what the researcher is told.

export const STUDY_NAME_MAX = 200;
export const STUDY_INTENDED_USE_MAX = 4000;

export type StudyField = 'name' | 'intendedUse';

export const STUDY_FIELD_LABEL: Record<StudyField, string> = { name: 'Name', intendedUse: 'Intended use' };

export const STUDY_FIELD_REQUIRED: Record<StudyField, string> = {
  name: 'The study needs a name: it is the title of every report made from it.',
  intendedUse: 'The study needs an intended use: say what the study is for and who may rely on its results. It is printed on page 1 of every report.',
};

export interface StudyFieldProblem {
  field: StudyField;
  message: string;
}

/** The problems of a study's name and intended use, in form order (empty or whitespace-only, or too long). */
export function studyFieldProblems(input: { name: string; intendedUse: string }): StudyFieldProblem[] {
  const problems: StudyFieldProblem[] = [];
  const check = (field: StudyField, value: string, max: number) => {
    const text = value.trim();
    if (text.length === 0) problems.push({ field, message: STUDY_FIELD_REQUIRED[field] });
    else if (text.length > max) problems.push({ field, message: `${STUDY_FIELD_LABEL[field]} is ${text.length} characters long; at most ${max} are kept.` });
  };
  check('name', input.name, STUDY_NAME_MAX);
  check('intendedUse', input.intendedUse, STUDY_INTENDED_USE_MAX);
  return problems;
}
