// The reporting-guideline tables: every item of CLAIM 2024 (44) and TRIPOD+AI (52 with sub-items), by its published
// number (guideline-items.ts), with the report section that answers it — or why the software cannot (the team must
// supply it) or why it does not apply. What the software knows is written once per topic (buildChecklist: one row per
// topic, naming the items it answers); buildItemChecklist spreads the topics over the items.
import { CLAIM_2024_ITEMS, TRIPOD_AI_ITEMS, type Guideline, type GuidelineItem } from './guideline-items.ts';
import type { ReportData } from './report-data.ts';
import { MODEL_TRAINING_KINDS } from '../../shared/run-kinds.ts';

export type ChecklistStatus = 'answered' | 'partly' | 'not-answered' | 'not-applicable';

export interface ChecklistRow {
  guidelines: Guideline[];
  /** CLAIM 2024 item numbers and TRIPOD+AI item numbers this topic answers. */
  items: { claim: number[]; tripod: string[] };
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
  ['failures', 'Failure analysis: confusion matrices and confident errors'],
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

/** Run kinds that train a model: the in-app algorithms and runs imported from an external engine. */
export const TRAINING_KINDS = MODEL_TRAINING_KINDS;

export function buildChecklist(data: ReportData): ChecklistRow[] {
  const training = data.runs.some((r) => TRAINING_KINDS.has(r.kind));
  const transfer = data.runs.some((r) => r.kind === 'transfer');
  const probe = data.runs.some((r) => r.kind === 'probe');
  const failures = data.runs.some((r) => r.failures);
  const deid = data.datasets.some((d) => d.deidentification !== null);
  const split = [...new Set(data.versions.map((v) => String(v.spec.split ?? 'unrecorded')))].join(', ');
  const row = (claim: number[], tripod: string[], topic: string, section: SectionId | null, status: ChecklistStatus, note: string): ChecklistRow => ({
    guidelines: [...(claim.length ? ['CLAIM 2024' as const] : []), ...(tripod.length ? ['TRIPOD+AI' as const] : [])],
    items: { claim, tripod },
    topic,
    section,
    status,
    note,
  });
  const team = 'Not known to the software: the study team supplies it (for example as a reviewer comment).';
  return [
    row(
      [3, 41],
      ['3a', '3b', '4'],
      'Intended use, clinical role and study objective',
      'scope',
      data.study.intendedUse ? 'answered' : 'partly',
      data.study.intendedUse ? 'Stated when the study was created.' : "No intended use was stated for this study; only the software's own scope is printed.",
    ),
    row(
      [1, 2, 4],
      ['1', '2'],
      'Title, abstract, aims and hypotheses of a manuscript',
      null,
      'not-answered',
      'Manuscript items: the report names its models and methods (sections 4–10) but writes no title page, abstract or hypotheses.',
    ),
    row(
      [6],
      [],
      'Study goal (model creation, exploratory, feasibility …)',
      'decisions',
      'partly',
      "The recipe decisions state what each step was for (diagnose, bridge, sharpen); the study's overall goal is the team's.",
    ),
    row(
      [5],
      ['5b'],
      'Study design (retrospective or prospective); dates of data accrual',
      null,
      'not-answered',
      'The software does not know how or when the source data were collected.',
    ),
    row([7], ['5a'], 'Data sources and where they came from', 'data', 'answered', 'Each imported dataset with its source format, parameters and counts.'),
    row(
      [8],
      ['6b'],
      'Eligibility: inclusion and exclusion criteria',
      'data',
      'partly',
      'Exclusions the software applied (import rejections, quarantine, duplicates, balancing removals) are listed; clinical eligibility criteria are not recorded.',
    ),
    row(
      [9],
      ['7', '12b'],
      'Data pre-processing',
      'models',
      'partly',
      'Image normalisation is defined by the model pack manifest (recorded with its hash); preprocessing done before import is not known.',
    ),
    row(
      [10],
      ['13'],
      'Selection of data subsets; class balance',
      'data',
      'answered',
      'The balanced version: quotas per modality and task, de-duplication and letter balance, with the items removed by reason.',
    ),
    row(
      [11],
      [],
      'De-identification methods',
      'deid',
      deid ? 'answered' : 'partly',
      deid
        ? 'Profile and options applied at DICOM import are printed.'
        : "No dataset in this study was imported from DICOM, so no de-identification was applied by the software; the source publishers' de-identification is not recorded.",
    ),
    row(
      [12],
      ['11'],
      'Handling of missing or unreadable data',
      'data',
      'partly',
      'Unreadable or invalid files are rejected at import with a coded reason (counts by code); imputation is never done.',
    ),
    row(
      [13],
      ['6a', '9c'],
      'Image acquisition protocol; setting and centres',
      null,
      'not-answered',
      'DICOM acquisition attributes are not summarised and the sites are not known to the software.',
    ),
    row(
      [14, 15, 16, 17, 18],
      ['8a', '8b', '8c'],
      'Reference standard (ground truth) and its source',
      'deid',
      'partly',
      "The correct answer of each item comes from the source dataset's labels; annotator qualifications, blinding and inter-rater variability are not recorded.",
    ),
    row(
      [19, 20],
      ['12a'],
      'Data partitions, proportions and level of disjointness',
      'data',
      'answered',
      `Train/val/test counts per modality; split method: ${split}.`,
    ),
    row([21], ['10'], 'Sample size', 'data', 'partly', 'Counts are reported; no sample-size calculation is made by the software.'),
    row(
      [22],
      ['9a', '9b', '22'],
      'Model description: architecture, inputs (image and question) and outputs, identity',
      'models',
      'answered',
      'Model packs by the SHA-256 of their files, kind and architecture from their manifests; the inputs are the stored image and the question with its options.',
    ),
    row(
      [23],
      [],
      'Software, libraries, versions and hardware',
      'models',
      'answered',
      'Recorded with every run (application, runtime, ONNX Runtime, execution provider, CPU, memory).',
    ),
    row(
      [24],
      [],
      'Initialisation of model parameters',
      'runs',
      training ? 'answered' : 'not-applicable',
      training ? 'Each training run names the frozen pack and its init run (base or a previous run).' : 'No training run in this study.',
    ),
    row(
      [25],
      ['12c', '12f'],
      'Training details: hyper-parameters, augmentation, seeds, duration; model updating',
      'runs',
      training ? 'answered' : 'not-applicable',
      training
        ? "Full configuration and seed of every run (GRPO-CARE's image augmentation included)."
        : 'No training run in this study; diagnosis configurations and seeds are printed.',
    ),
    row(
      [26],
      [],
      'Selection of the final model',
      'curves',
      training ? 'partly' : 'not-applicable',
      training
        ? "Early-stopping and support-guard settings and events are printed (the kept step of each run); the choice between runs is the team's."
        : 'No training run in this study.',
    ),
    row([27], [], 'Ensembling', null, 'not-applicable', 'MedBridge trains and evaluates single models; no ensembles.'),
    row(
      [28],
      ['12e', '12g', '15'],
      'Performance metrics, how predictions are made, and the output',
      'metrics',
      'answered',
      'The output is a probability per option; the answer is the most probable option (no threshold). Accuracy@1, exact Pass@K with chance level, support gap, ECE, Brier, entropy (definitions in section 6).',
    ),
    row(
      [29],
      [],
      'Uncertainty: intervals and statistical tests',
      'metrics',
      'answered',
      'Wilson intervals for Accuracy@1; seeded percentile bootstrap for Pass@K and gaps.',
    ),
    row(
      [32, 37],
      ['21', '23a'],
      'Internal evaluation; performance with intervals per subgroup',
      'metrics',
      'partly',
      'Per modality, task and split with counts and intervals; patient demographics are not stored, so demographic subgroups cannot be reported.',
    ),
    row(
      [38],
      [],
      'Accuracy estimates with intervals; calibration; class imbalance',
      'passk',
      'answered',
      'ECE (15 bins), Brier score and mean entropy per subgroup; answer-letter balance and letter bias.',
    ),
    row(
      [30],
      [],
      'Robustness / sensitivity analysis',
      'transfer',
      transfer ? 'partly' : 'not-answered',
      transfer ? 'Transfer across tasks and modalities is reported; other perturbations are not.' : 'No transfer or robustness run in this study.',
    ),
    row(
      [31],
      [],
      'Explainability / saliency',
      probe ? 'probe' : null,
      probe ? 'partly' : 'not-answered',
      probe
        ? 'A linear probe of the image features per task tells perception from answer selection; no saliency maps are produced.'
        : 'The software does not produce saliency maps; letter-position bias is reported (section 7).',
    ),
    row(
      [33],
      ['16', '20c'],
      'External validation; differences between development and evaluation data',
      null,
      'not-answered',
      'The software cannot tell whether a dataset comes from another site or population.',
    ),
    row(
      [39],
      [],
      'Failure analysis of misclassified cases',
      'failures',
      failures ? 'answered' : 'not-answered',
      failures
        ? 'Per task: confusion matrix over answer texts and the most confidently wrong items with their thumbnails.'
        : "No diagnosis in this study (failure analysis is made from a diagnosis's items).",
    ),
    row([35], ['20a'], 'Flow of data: counts at each stage', 'data', 'answered', 'Imported → rejected / quarantined / duplicates → balanced version → splits.'),
    row(
      [36],
      ['20b', '3c', '14', '25'],
      'Demographic and clinical characteristics; fairness between groups',
      null,
      'not-answered',
      'Not stored by the software (only keyed patient pseudonyms), so groups cannot be compared.',
    ),
    row(
      [],
      ['12d', '23b'],
      'Heterogeneity across clusters (centres)',
      null,
      'not-answered',
      'Centres are not recorded; per-dataset counts are the closest the report has.',
    ),
    row([], ['6c'], 'Treatments received', null, 'not-applicable', 'Image question answering: no treatment is part of the prediction.'),
    row(
      [],
      ['24'],
      'Results of model updating',
      'curves',
      training ? 'answered' : 'not-applicable',
      training ? 'Training curves, validation checks and the kept checkpoint of every run.' : 'No training run in this study.',
    ),
    row([40], ['26'], 'Limitations', 'limitations', 'answered', 'Written from the data; the team should add clinical limitations in a reviewer comment.'),
    row(
      [34, 42, 44],
      ['17', '18a', '18b', '18c', '18d', '19'],
      'Ethics approval, registration, protocol, funding, conflicts, public involvement',
      'review',
      'not-answered',
      team,
    ),
    row(
      [43],
      ['18e', '18f'],
      'Code, model and data availability; reproducibility',
      'integrity',
      'answered',
      'Evidence bundle with SHA-256 manifest, model hashes, seeds, and the audit-log head hash.',
    ),
    row(
      [],
      ['27a', '27b', '27c'],
      'Usability in current care: poor input, user expertise, next steps',
      'limitations',
      'partly',
      "Unreadable inputs are refused at import with a coded reason; user expertise and next steps are the team's.",
    ),
  ];
}

/** One guideline item with the answer the report gives it. */
export interface ChecklistItemRow extends GuidelineItem {
  /** The topic row that answers the item (null: none does). */
  answeredBy: string | null;
  section: string | null;
  status: ChecklistStatus;
  note: string;
}

/**
 * Every item of both guidelines, in published order, with the topic row that answers it (an item two topics answer
 * takes the first). An item no topic names would be listed as not answered — a test keeps that list empty.
 */
export function buildItemChecklist(rows: readonly ChecklistRow[]): ChecklistItemRow[] {
  const answer = (it: GuidelineItem) => rows.find((r) => (it.guideline === 'CLAIM 2024' ? r.items.claim.map(String) : r.items.tripod).includes(it.item));
  return [...CLAIM_2024_ITEMS, ...TRIPOD_AI_ITEMS].map((it) => {
    const r = answer(it);
    return r
      ? { ...it, answeredBy: r.topic, section: r.section, status: r.status, note: r.note }
      : { ...it, answeredBy: null, section: null, status: 'not-answered' as const, note: 'Not recorded by the software: the study team supplies it.' };
  });
}
