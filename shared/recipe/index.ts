// MedBridge recipe rule (design.md §1 "Bridge then sharpen"): what to do next for a modality or task.
//
//   recommend(input: RecipeInput, thresholds?: Partial<RecipeThresholds>): RecipeDecision
//     checks in order, first that holds decides:
//       perception  reference − probe > perceptionMargin (0.10)   → "improve-vision"
//       support     Pass@K < supportTarget (0.80)                  → "bridge-sft"
//       sharpen     Pass@K − Accuracy@1 > sharpenGap (0.10)        → "sharpen-rl"
//       otherwise                                                  → "done"
//     An interval overlapping its threshold marks the decision "uncertain" (also in the rule text).
//   recommendFromReport(report, {k?, thresholds?, probes?}): ReportRecipe  per modality and task; K defaults to
//     informativeKOfReport: the largest K whose chance level (1 − (1 − 1/m)^K) stays below the support target.
//   support-guard.ts: the guard's rules (baseline = step 0, bootstrap margin, persistence, never at a saturated K).
// RecipeDecision (zod) is the stored shape: {decision, uncertain, rule, checks, numbers, thresholds, scope, notes}.

export { RecipeCheck, RecipeDecision, RecipeDecisionKind, RecipeNumbers } from './decision.ts';
export { recommend, type RecipeInput } from './recommend.ts';
export { chanceByTask, chancePassAtK, informativeK, informativeKOfReport } from './informative-k.ts';
export { DEFAULT_GUARD_PERSISTENCE, bootstrapHalfWidth, checksBelow, guardApplies, guardMargin, guardTrips } from './support-guard.ts';
export { recommendFromReport, type ProbeSummary, type ReportRecipe, type ReportRecipeOptions } from './recommend-from-report.ts';
export {
  DEFAULT_PERCEPTION_MARGIN,
  DEFAULT_RECIPE_K,
  DEFAULT_RECIPE_THRESHOLDS,
  DEFAULT_SHARPEN_GAP,
  DEFAULT_SUPPORT_TARGET,
  RecipeThresholds,
  resolveThresholds,
} from './thresholds.ts';
