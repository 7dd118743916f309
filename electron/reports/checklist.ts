// The reporting-guideline table: CLAIM 2024 (Checklist for Artificial Intelligence in Medical Imaging, 2024 update)
// and TRIPOD+AI (BMJ 2024) topics that apply to a study made with MedBridge, each mapped to the report section
// that answers it — or marked as something the software cannot answer, with the reason. Topics are named, not
// numbered: check the published checklists for item numbers.
import type { ReportData } from './report-data.ts';

export type ChecklistStatus = 'answered' | 'partly' | 'not-answered' | 'not-applicable';

export interface ChecklistRow {
  guidelines: Array<'CLAIM 2024' | 'TRIPOD+AI'>;
  topic: string;
  /** Anchor of the answering section (null when no section answers it). */
  section: string | null;
  status: ChecklistStatus;
  note: string;
}

/** Report section anchors and titles, in order (the renderer prints them with these numbers). */
export const SECTIONS = [
  ['scope', 'Intended use and scope'],
  ['data', 'Data sources, counts and exclusions'],
  ['deid', 'De-identification and label sources'],
  ['models', 'Model identity, software and hardware'],
  ['runs', 'Runs: configuration, seeds and duration'],
  ['metrics', 'Metrics with intervals per subgroup'],
  ['passk', 'Pass@K curves, calibration and letter bias'],
  ['probe', 'Linear probe of the vision tower'],
  ['decisions', 'Recipe decisions and the numbers behind them'],
  ['curves', 'Training curves and support-collapse events'],
  ['transfer', 'Transfer matrix'],
  ['limitations', 'Limitations'],
  ['checklist', 'CLAIM 2024 / TRIPOD+AI checklist'],
  ['review', 'Review and sign-off'],
  ['integrity', 'Integrity: evidence bundle and audit log'],
] as const;
export type SectionId = (typeof SECTIONS)[number][0];

export function sectionNumber(id: SectionId): number {
  return SECTIONS.findIndex(([s]) => s === id) + 1;
}

const TRAINING_KINDS = new Set(['sft', 'grpo', 'grpo-care', 'external']);

export function buildChecklist(data: ReportData): ChecklistRow[] {
  const both: ChecklistRow['guidelines'] = ['CLAIM 2024', 'TRIPOD+AI'];
  const claim: ChecklistRow['guidelines'] = ['CLAIM 2024'];
  const tripod: ChecklistRow['guidelines'] = ['TRIPOD+AI'];
  const training = data.runs.some((r) => TRAINING_KINDS.has(r.kind));
  const transfer = data.runs.some((r) => r.kind === 'transfer');
  const probe = data.runs.some((r) => r.kind === 'probe');
  const deid = data.datasets.some((d) => d.deidentification !== null);
  const split = [...new Set(data.versions.map((v) => String(v.spec.split ?? 'unrecorded')))].join(', ');
  const row = (guidelines: ChecklistRow['guidelines'], topic: string, section: SectionId | null, status: ChecklistStatus, note: string): ChecklistRow => ({ guidelines, topic, section, status, note });
  return [
    row(both, 'Intended use, clinical role and study objective', 'scope', data.study.intendedUse ? 'answered' : 'partly', data.study.intendedUse ? 'Stated when the study was created.' : 'No intended use was stated for this study; only the software\'s own scope is printed.'),
    row(claim, 'Study design (retrospective or prospective)', null, 'not-answered', 'The software does not know how or when the source data were collected.'),
    row(both, 'Data sources and where they came from', 'data', 'answered', 'Each imported dataset with its source format, parameters and counts.'),
    row(both, 'Eligibility: inclusion and exclusion criteria', 'data', 'partly', 'Exclusions the software applied (import rejections, quarantine, duplicates, balancing removals) are listed; clinical eligibility criteria are not recorded.'),
    row(both, 'Data pre-processing', 'models', 'partly', 'Image normalisation is defined by the model pack manifest (recorded with its hash); preprocessing done before import is not known.'),
    row(claim, 'De-identification methods', 'deid', deid ? 'answered' : 'partly', deid ? 'Profile and options applied at DICOM import are printed.' : 'No dataset in this study was imported from DICOM, so no de-identification was applied by the software; the source publishers\' de-identification is not recorded.'),
    row(both, 'Handling of missing or unreadable data', 'data', 'partly', 'Unreadable or invalid files are rejected at import with a coded reason (counts by code); imputation is never done.'),
    row(both, 'Reference standard (ground truth) and its source', 'deid', 'partly', 'The correct answer of each item comes from the source dataset\'s labels; annotator qualifications and inter-rater variability are not recorded.'),
    row(claim, 'Modality labels and how they were obtained', 'deid', 'answered', 'Shares of source / DICOM tag / text rules / classifier / manual / none labels per dataset version.'),
    row(both, 'Data partitions, proportions and level of disjointness', 'data', 'answered', `Train/val/test counts per modality; split method: ${split}.`),
    row(tripod, 'Sample size', 'data', 'partly', 'Counts are reported; no sample-size calculation is made by the software.'),
    row(both, 'Model description: architecture, inputs and outputs, identity', 'models', 'answered', 'Model packs by the SHA-256 of their files, kind and architecture from their manifests.'),
    row(claim, 'Software, libraries, versions and hardware', 'models', 'answered', 'Recorded with every run (application, runtime, ONNX Runtime, execution provider, CPU, memory).'),
    row(claim, 'Initialisation of model parameters', 'runs', training ? 'answered' : 'not-applicable', training ? 'Each training run names the frozen pack and its init run (base or a previous run).' : 'No training run in this study.'),
    row(both, 'Training details: hyper-parameters, seeds, duration', 'runs', training ? 'answered' : 'not-applicable', training ? 'Full configuration and seed of every run.' : 'No training run in this study; diagnosis configurations and seeds are printed.'),
    row(claim, 'Selection of the final model', 'curves', training ? 'partly' : 'not-applicable', training ? 'Early-stopping and support-guard settings and events are printed; the choice between runs is the team\'s.' : 'No training run in this study.'),
    row(both, 'Performance metrics and their definitions', 'metrics', 'answered', 'Accuracy@1, exact Pass@K with chance level, support gap, ECE, Brier, entropy (definitions in section 6).'),
    row(both, 'Uncertainty: intervals and statistical tests', 'metrics', 'answered', 'Wilson intervals for Accuracy@1; seeded percentile bootstrap for Pass@K and gaps.'),
    row(tripod, 'Calibration', 'passk', 'answered', 'ECE (15 bins), Brier score and mean entropy per subgroup.'),
    row(both, 'Performance in subgroups (fairness)', 'metrics', 'partly', 'Per modality, task and split with counts; patient demographics are not stored, so demographic subgroups cannot be reported.'),
    row(claim, 'Robustness / sensitivity analysis', 'transfer', transfer ? 'partly' : 'not-answered', transfer ? 'Transfer across tasks and modalities is reported; other perturbations are not.' : 'No transfer or robustness run in this study.'),
    row(claim, 'Perception vs answer selection (probe of the image features)', 'probe', probe ? 'answered' : 'not-answered', probe ? 'Linear-probe accuracy per task beside the model\'s Accuracy@1.' : 'No linear-probe run in this study.'),
    row(claim, 'Explainability / saliency', null, 'not-answered', 'The software does not produce saliency maps; letter-position bias is reported (section 7).'),
    row(both, 'External validation (other sites)', null, 'not-answered', 'The software cannot tell whether a dataset comes from another site or population.'),
    row(claim, 'Failure analysis of misclassified cases', null, 'not-answered', 'Item-level results stay in the workspace (runs:items, diagnose --dump); they are not printed here.'),
    row(both, 'Flow of data: counts at each stage', 'data', 'answered', 'Imported → rejected / quarantined / duplicates → balanced version → splits.'),
    row(both, 'Demographic and clinical characteristics', null, 'not-answered', 'Not stored by the software (only keyed patient pseudonyms).'),
    row(both, 'Limitations', 'limitations', 'answered', 'Written from the data; the team should add clinical limitations in a reviewer comment.'),
    row(both, 'Ethics approval, registration, protocol, funding, conflicts', 'review', 'not-answered', 'Not known to the software; reviewers may record them as comments.'),
    row(tripod, 'Code, model and data availability; reproducibility', 'integrity', 'answered', 'Evidence bundle with SHA-256 manifest, model hashes, seeds, and the audit-log head hash.'),
  ];
}
