// The keyword rules of the text layer. Each rule: what it matches, why, and how strong a hint it is.
// Case-sensitive patterns are for acronyms that are ordinary words or other things in lower case
// ("CT" vs "act", "PET" vs "pet", "OCT" vs "Oct 2019", "MR" vs "Mr"); "US" and "NM" are never used (country, unit).
import type { Modality } from '../items.ts';

/** Names the modality outright ("computed tomography", "MRI"). */
export const EXPLICIT = 0.9;
/** A technique only that modality has (T2-weighted, Doppler, H&E, scintigraphy). */
export const TECHNIQUE = 0.8;
/** Suggestive but used loosely ("radiographic", "photograph", bare "fundus"). */
export const HINT = 0.65;

export interface TextRule {
  id: string;
  modality: Modality;
  pattern: RegExp;
  confidence: number;
  /** Modalities this rule overrules when both fire (e.g. "PET/CT" is PET, "CT angiography" is CT). */
  supersedes?: readonly Modality[];
  why: string;
}

export const TEXT_RULES: readonly TextRule[] = [
  // CT
  {
    id: 'ct-acronym',
    modality: 'ct',
    pattern: /\b(?:HR|NC|CE|MD|CB)?CT\b/,
    confidence: EXPLICIT,
    why: 'CT and its variants (HRCT, NCCT, CECT, MDCT, CBCT), upper case only',
  },
  {
    id: 'ct-lower-scan',
    modality: 'ct',
    pattern: /\bct\s+(?:scans?|images?|imaging|slices?)\b/i,
    confidence: EXPLICIT,
    why: '"ct scan" written in lower case (VQA-RAD style)',
  },
  {
    id: 'ct-name',
    modality: 'ct',
    pattern: /\bcomputed\s+(?:axial\s+)?tomograph|\bcomputeri[sz]ed\s+(?:axial\s+)?tomograph|\bCAT\s+scan/i,
    confidence: EXPLICIT,
    why: 'computed tomography spelled out',
  },
  {
    id: 'ct-angiography',
    modality: 'ct',
    pattern: /\bCTA\b|\b(?:CT|computed\s+tomograph\w*)[\s-]+(?:angiogra|venogra)/i,
    confidence: EXPLICIT,
    supersedes: ['angiography'],
    why: 'CT angiography is a CT acquisition',
  },
  { id: 'ct-hounsfield', modality: 'ct', pattern: /\bHounsfield\b/i, confidence: TECHNIQUE, why: 'Hounsfield units exist only on CT' },
  // MRI
  {
    id: 'mri-acronym',
    modality: 'mri',
    pattern: /\bmri\b|\bMRA\b|\bMRCP\b/i,
    confidence: EXPLICIT,
    supersedes: ['angiography'],
    why: 'MRI / MR angiography / MR cholangiopancreatography',
  },
  {
    id: 'mri-mr-noun',
    modality: 'mri',
    pattern: /\bMR\s+(?:images?|imaging|scans?|angiogra\w*|venogra\w*|sequences?|study|exam\w*|spectroscopy)\b/,
    confidence: EXPLICIT,
    supersedes: ['angiography'],
    why: '"MR image(s)", upper-case MR only (never "Mr")',
  },
  {
    id: 'mri-name',
    modality: 'mri',
    pattern: /\bmagnetic\s+resonance\b/i,
    confidence: EXPLICIT,
    supersedes: ['angiography'],
    why: 'magnetic resonance spelled out',
  },
  {
    id: 'mri-weighting',
    modality: 'mri',
    pattern: /\bT[12][\s-]*(?:weighted|W\b|WI\b)|\bT[12]\s+(?:image|sequence|signal)|\bFLAIR\b|\bDWI\b|\bSTIR\b|\bADC\s+map/,
    confidence: TECHNIQUE,
    why: 'MR sequence names: T1/T2-weighted, FLAIR, DWI, STIR, ADC map',
  },
  {
    id: 'mri-diffusion',
    modality: 'mri',
    pattern: /\bdiffusion[\s-]+weighted\b|\bgadolinium\b|\bgadobutrol\b/i,
    confidence: TECHNIQUE,
    why: 'diffusion-weighted imaging, gadolinium contrast',
  },
  // X-ray
  { id: 'xray-name', modality: 'x-ray', pattern: /\bx[\s-]?rays?\b/i, confidence: EXPLICIT, why: 'x-ray / xray / X ray' },
  { id: 'xray-radiograph', modality: 'x-ray', pattern: /\bradiographs?\b|\bradiography\b/i, confidence: EXPLICIT, why: 'a radiograph is a projection X-ray' },
  { id: 'xray-film', modality: 'x-ray', pattern: /\b(?:chest|plain|abdominal|skull)\s+films?\b/i, confidence: EXPLICIT, why: '"chest film", "plain film"' },
  { id: 'xray-acronym', modality: 'x-ray', pattern: /\bCXR\b|\bKUB\b/, confidence: EXPLICIT, why: 'chest X-ray, kidney-ureter-bladder film' },
  {
    id: 'xray-view',
    modality: 'x-ray',
    pattern: /\b(?:PA|AP)\s+(?:chest\s+)?(?:view|projection)\b/,
    confidence: TECHNIQUE,
    why: 'posteroanterior / anteroposterior projections',
  },
  {
    id: 'xray-radiographic',
    modality: 'x-ray',
    pattern: /\bradiographic(?:ally)?\b/i,
    confidence: HINT,
    why: '"radiographic" is often used for any imaging finding',
  },
  // Ultrasound
  {
    id: 'us-name',
    modality: 'ultrasound',
    pattern: /\bultrasound\b|\bultrason\w*|\bsonogra\w*/i,
    confidence: EXPLICIT,
    why: 'ultrasound, ultrasonography, sonogram',
  },
  {
    id: 'us-endoscopic',
    modality: 'ultrasound',
    pattern: /\bendoscopic\s+ultrasound|\bEUS\b/,
    confidence: EXPLICIT,
    supersedes: ['endoscopy'],
    why: 'endoscopic ultrasound images are sonograms',
  },
  {
    id: 'us-echo',
    modality: 'ultrasound',
    pattern: /\bechocardiogra\w*|\bechography\b|\b(?:hyper|hypo|an|iso)echoic\b|\bdoppler\b/i,
    confidence: TECHNIQUE,
    why: 'echocardiography, echogenicity terms, Doppler',
  },
  // Mammography
  {
    id: 'mammography',
    modality: 'mammography',
    pattern: /\bmammogra\w*|\bmammo\b|\btomosynthesis\b/i,
    confidence: EXPLICIT,
    supersedes: ['x-ray'],
    why: 'mammograms are X-rays, but a modality of their own',
  },
  // Angiography (catheter / X-ray)
  {
    id: 'angiography',
    modality: 'angiography',
    pattern: /\bangiogra(?:m|ms|phy|phic|phically)\b|\barteriogra\w*|\bvenogra\w*|\bDSA\b|\bdigital\s+subtraction\b/i,
    confidence: TECHNIQUE,
    why: 'catheter angiography unless a CT/MR/retinal rule says otherwise',
  },
  // Pathology and microscopy
  {
    id: 'pathology-he',
    modality: 'pathology',
    pattern: /\bH\s?&\s?E\b|\bH and E\b/,
    confidence: EXPLICIT,
    supersedes: ['microscopy', 'photo'],
    why: 'haematoxylin and eosin stain',
  },
  {
    id: 'pathology-stain',
    modality: 'pathology',
    pattern: /\bha?ematoxylin\b|\beosin\b|\bimmunohistochem\w*|\bIHC\b/i,
    confidence: EXPLICIT,
    supersedes: ['microscopy', 'photo'],
    why: 'tissue stains',
  },
  {
    id: 'pathology-histology',
    modality: 'pathology',
    pattern: /\bhisto(?:logy|logic|logical|logically|patholog\w*)\b/i,
    confidence: 0.7,
    supersedes: ['microscopy'],
    why: 'histology; only a hint because captions say "histologically proven" under CT figures',
  },
  {
    id: 'pathology-cytology',
    modality: 'pathology',
    pattern: /\bcytolog\w*|\bPap(?:anicolaou)?\s+smear/i,
    confidence: TECHNIQUE,
    supersedes: ['microscopy'],
    why: 'cytology',
  },
  {
    id: 'microscopy-name',
    modality: 'microscopy',
    pattern: /\bmicroscop\w*|\b(?:photo)?micrograph\w*/i,
    confidence: 0.85,
    why: 'microscope / micrograph (pathology rules take precedence)',
  },
  {
    id: 'microscopy-smear',
    modality: 'microscopy',
    pattern: /\b(?:blood|peripheral)\s+smear|\b(?:Gram|Giemsa|Wright)\s+stain/i,
    confidence: 0.85,
    supersedes: ['pathology'],
    why: 'blood smears and microbiology stains are not tissue pathology',
  },
  // Ophthalmology
  {
    id: 'fundus-photo',
    modality: 'fundus',
    pattern: /\bfundus\s+(?:photo\w*|image|imaging|camera|autofluorescence)|\bretinal\s+(?:photo\w*|image)|\bfund(?:o|u)scop\w*|\bophthalmoscop\w*/i,
    confidence: EXPLICIT,
    supersedes: ['photo'],
    why: 'colour fundus photography',
  },
  {
    id: 'fundus-angiography',
    modality: 'fundus',
    pattern: /\b(?:fluorescein|indocyanine\s+green|ICG)\s+angiogra\w*/i,
    confidence: EXPLICIT,
    supersedes: ['angiography'],
    why: 'retinal angiography is a fundus camera image',
  },
  {
    id: 'fundus-word',
    modality: 'fundus',
    pattern: /(?<!gastric\s|uterine\s|stomach\s)\bfundus\b(?!\s+of\s+the\s+(?:stomach|uterus|gallbladder|bladder))/i,
    confidence: HINT,
    why: 'bare "fundus" (the stomach and uterus have one too)',
  },
  {
    id: 'oct',
    modality: 'oct',
    pattern: /\bOCT\b(?!\.?\s*\d)|\boptical\s+coherence\s+tomograph\w*/,
    confidence: EXPLICIT,
    supersedes: ['angiography'],
    why: 'optical coherence tomography; not "OCT 2019" (October)',
  },
  // Endoscopy, dermoscopy
  {
    id: 'endoscopy',
    modality: 'endoscopy',
    pattern:
      /\b(?:endo|colono|gastro|broncho|laparo|cysto|arthro|hystero|sigmoido|duodeno|esophagogastroduodeno|oesophagogastroduodeno|naso(?:pharyngo)?|laryngo)scop\w*|\bEGD\b/i,
    confidence: EXPLICIT,
    why: 'any scope through a body opening',
  },
  {
    id: 'dermoscopy',
    modality: 'dermoscopy',
    pattern: /\bdermo?scop\w*|\bdermatoscop\w*|\bepiluminescence\b/i,
    confidence: EXPLICIT,
    supersedes: ['photo', 'microscopy'],
    why: 'dermoscopy (epiluminescence microscopy)',
  },
  // Nuclear imaging
  { id: 'pet', modality: 'pet', pattern: /\bPET\b|\bpositron\s+emission/, confidence: EXPLICIT, why: 'PET upper case only (not "pet")' },
  { id: 'pet-lower-scan', modality: 'pet', pattern: /\bpet\s+scans?\b|\bpositron\s+emission/i, confidence: EXPLICIT, why: '"pet scan" in lower case' },
  {
    id: 'pet-hybrid',
    modality: 'pet',
    pattern: /\bPET[\s/-]*(?:CT|MRI?)\b/,
    confidence: EXPLICIT,
    supersedes: ['ct', 'mri'],
    why: 'PET/CT and PET/MR show the PET tracer',
  },
  { id: 'pet-tracer', modality: 'pet', pattern: /\b(?:18F-?)?FDG\b|\bSUV(?:max)?\b/, confidence: TECHNIQUE, why: 'FDG tracer, standardised uptake value' },
  {
    id: 'nm-name',
    modality: 'nuclear-medicine',
    pattern: /\bSPECT\b|\bscintigra\w*|\bscintiscan\w*|\bgamma\s+camera|\bnuclear\s+medicine|\bbone\s+scan|\btechnetium|\b99m\s?Tc\b|\bMIBG\b/i,
    confidence: EXPLICIT,
    why: 'SPECT, scintigraphy, bone scan, technetium tracers',
  },
  { id: 'nm-hybrid', modality: 'nuclear-medicine', pattern: /\bSPECT[\s/-]*CT\b/, confidence: EXPLICIT, supersedes: ['ct'], why: 'SPECT/CT shows the tracer' },
  // Photographs
  { id: 'photo-clinical', modality: 'photo', pattern: /\bclinical\s+photo\w*|\bintra-?oral\s+photo\w*/i, confidence: 0.85, why: 'clinical photographs' },
  {
    id: 'photo-word',
    modality: 'photo',
    pattern: /\bphotograph\w*|\bphoto\b/i,
    confidence: HINT,
    why: '"photograph" alone (a fundus or dermoscopy rule overrules it)',
  },
];
