// The items of the two reporting guidelines the report answers, by their published numbers, with a short topic in our
// words (the published wording is in the guidelines themselves):
//   CLAIM 2024 — Checklist for Artificial Intelligence in Medical Imaging, 2024 update (Tejani et al., Radiology:
//                Artificial Intelligence 2024;6(4):e240300; https://doi.org/10.1148/ryai.240300): 44 items.
//   TRIPOD+AI  — (Collins et al., BMJ 2024;385:e078378; https://doi.org/10.1136/bmj-2023-078378): 27 items, 52 rows
//                with their sub-items.
export type Guideline = 'CLAIM 2024' | 'TRIPOD+AI';

export interface GuidelineItem {
  guideline: Guideline;
  /** The item number as published ("14", "12c"). */
  item: string;
  /** The guideline's own section heading. */
  part: string;
  topic: string;
}

const claim = (item: number, part: string, topic: string): GuidelineItem => ({ guideline: 'CLAIM 2024', item: String(item), part, topic });
const tripod = (item: string, part: string, topic: string): GuidelineItem => ({ guideline: 'TRIPOD+AI', item, part, topic });

export const CLAIM_2024_ITEMS: readonly GuidelineItem[] = [
  claim(1, 'Title/Abstract', 'The AI technique used is named'),
  claim(2, 'Abstract', 'Structured summary of design, methods, results, conclusions'),
  claim(3, 'Introduction', 'Scientific and clinical background; intended use and role of the AI'),
  claim(4, 'Introduction', 'Aims, objectives and hypotheses'),
  claim(5, 'Methods: study design', 'Prospective or retrospective'),
  claim(6, 'Methods: study design', 'Study goal (model creation, feasibility, non-inferiority …)'),
  claim(7, 'Methods: data', 'Data sources'),
  claim(8, 'Methods: data', 'Inclusion and exclusion criteria; how cases were sampled'),
  claim(9, 'Methods: data', 'Pre-processing steps'),
  claim(10, 'Methods: data', 'Selection of data subsets'),
  claim(11, 'Methods: data', 'De-identification methods'),
  claim(12, 'Methods: data', 'Handling of missing data'),
  claim(13, 'Methods: data', 'Image acquisition protocol'),
  claim(14, 'Methods: reference standard', 'How the reference standard was obtained'),
  claim(15, 'Methods: reference standard', 'Rationale for the reference standard and its limitations'),
  claim(16, 'Methods: reference standard', 'Source of annotations; annotators and their qualifications'),
  claim(17, 'Methods: reference standard', 'How the test set was annotated'),
  claim(18, 'Methods: reference standard', 'Inter- and intra-rater variability; resolving discrepancies'),
  claim(19, 'Methods: data partitions', 'How data were assigned to partitions, with proportions'),
  claim(20, 'Methods: data partitions', 'Level at which partitions are disjoint'),
  claim(21, 'Methods: testing data', 'Intended test-set size and how it was determined'),
  claim(22, 'Methods: model', 'Model architecture, inputs and outputs'),
  claim(23, 'Methods: model', 'Software libraries and frameworks, with versions'),
  claim(24, 'Methods: model', 'Initialisation of model parameters'),
  claim(25, 'Methods: training', 'Training details: augmentation, hyper-parameters, stopping'),
  claim(26, 'Methods: training', 'Selection of the final model'),
  claim(27, 'Methods: training', 'Ensembling'),
  claim(28, 'Methods: evaluation', 'Performance metrics'),
  claim(29, 'Methods: evaluation', 'Statistical significance and uncertainty'),
  claim(30, 'Methods: evaluation', 'Robustness or sensitivity analysis'),
  claim(31, 'Methods: evaluation', 'Explainability methods and their validation'),
  claim(32, 'Methods: evaluation', 'Evaluation on internal data'),
  claim(33, 'Methods: evaluation', 'Testing on external data, or why not'),
  claim(34, 'Methods: evaluation', 'Clinical trial registration'),
  claim(35, 'Results: data', 'Cases included and excluded (flow)'),
  claim(36, 'Results: data', 'Demographic and clinical characteristics per partition'),
  claim(37, 'Results: model performance', 'Final performance with uncertainty, including subgroups'),
  claim(38, 'Results: model performance', 'Accuracy estimates with intervals; calibration; class imbalance'),
  claim(39, 'Results: model performance', 'Failure analysis of incorrect results'),
  claim(40, 'Discussion', 'Study limitations'),
  claim(41, 'Discussion', 'Implications for practice; intended use and clinical role'),
  claim(42, 'Other information', 'Where the full protocol can be found'),
  claim(43, 'Other information', 'Availability of software, trained model and data'),
  claim(44, 'Other information', "Funding and the funders' role"),
];

export const TRIPOD_AI_ITEMS: readonly GuidelineItem[] = [
  tripod('1', 'Title', 'A prediction-model study; population and outcome'),
  tripod('2', 'Abstract', 'Follows TRIPOD+AI for Abstracts'),
  tripod('3a', 'Introduction: background', 'Healthcare context, rationale, existing models'),
  tripod('3b', 'Introduction: background', 'Target population, place in the care pathway, intended users'),
  tripod('3c', 'Introduction: background', 'Known health inequalities between groups'),
  tripod('4', 'Introduction: objectives', 'Development, evaluation, or both'),
  tripod('5a', 'Methods: data', 'Data sources; rationale; representativeness'),
  tripod('5b', 'Methods: data', 'Dates of accrual and follow-up'),
  tripod('6a', 'Methods: participants', 'Setting; number and location of centres'),
  tripod('6b', 'Methods: participants', 'Eligibility criteria'),
  tripod('6c', 'Methods: participants', 'Treatments received'),
  tripod('7', 'Methods: data preparation', 'Pre-processing and quality checks'),
  tripod('8a', 'Methods: outcome', 'Outcome definition and how it was assessed'),
  tripod('8b', 'Methods: outcome', 'Outcome assessors, if subjective'),
  tripod('8c', 'Methods: outcome', 'Blinding of outcome assessment'),
  tripod('9a', 'Methods: predictors', 'How initial predictors were chosen'),
  tripod('9b', 'Methods: predictors', 'Predictor definitions; how and when measured'),
  tripod('9c', 'Methods: predictors', 'Predictor assessors, if subjective'),
  tripod('10', 'Methods: sample size', 'How the study size was reached'),
  tripod('11', 'Methods: missing data', 'Handling of missing data'),
  tripod('12a', 'Methods: analysis', 'How data were used or partitioned'),
  tripod('12b', 'Methods: analysis', 'Predictor handling (form, scaling)'),
  tripod('12c', 'Methods: analysis', 'Model type, building steps, tuning, internal validation'),
  tripod('12d', 'Methods: analysis', 'Heterogeneity across clusters'),
  tripod('12e', 'Methods: analysis', 'Performance measures and plots; model comparison'),
  tripod('12f', 'Methods: analysis', 'Model updating'),
  tripod('12g', 'Methods: analysis', 'How predictions were calculated in evaluation'),
  tripod('13', 'Methods: class imbalance', 'Class-imbalance methods and recalibration'),
  tripod('14', 'Methods: fairness', 'Approaches to model fairness'),
  tripod('15', 'Methods: model output', 'Output type; classification thresholds'),
  tripod('16', 'Methods: training vs evaluation', 'Differences between development and evaluation data'),
  tripod('17', 'Methods: ethics', 'Ethics approval and consent'),
  tripod('18a', 'Open science', "Funding and the funders' role"),
  tripod('18b', 'Open science', 'Conflicts of interest'),
  tripod('18c', 'Open science', 'Protocol'),
  tripod('18d', 'Open science', 'Registration'),
  tripod('18e', 'Open science', 'Data availability'),
  tripod('18f', 'Open science', 'Code availability'),
  tripod('19', 'Patient and public involvement', 'Patient and public involvement'),
  tripod('20a', 'Results: participants', 'Flow of participants; outcome counts'),
  tripod('20b', 'Results: participants', 'Characteristics per data source; missing data'),
  tripod('20c', 'Results: participants', 'Evaluation vs development distribution of key variables'),
  tripod('21', 'Results: model development', 'Participants and outcome events in each analysis'),
  tripod('22', 'Results: model specification', 'The full model, or how to access it'),
  tripod('23a', 'Results: model performance', 'Performance with intervals, including subgroups'),
  tripod('23b', 'Results: model performance', 'Heterogeneity of performance across clusters'),
  tripod('24', 'Results: model updating', 'Results of model updating'),
  tripod('25', 'Discussion', 'Overall interpretation, including fairness'),
  tripod('26', 'Discussion', 'Limitations; bias and generalisability'),
  tripod('27a', 'Discussion: usability', 'Handling poor or missing input data in practice'),
  tripod('27b', 'Discussion: usability', 'User interaction and expertise required'),
  tripod('27c', 'Discussion: usability', 'Next steps: applicability and generalisability'),
];
