// The official MedMNIST v2 tasks as data — the 2D tasks and the six 3D ones: task type, class names, modality,
// licence, published split sizes. Class names, task types, licences and split sizes from MedMNIST/MedMNIST
// medmnist/info.py (v3.0.2, which keeps the v2 tasks; `INFO[...]['label']`, `['n_samples']`, `['license']`);
// modality is our mapping of each task's source images onto the Modality enum. No Node imports here.
import type { Modality } from './items.ts';

export type MedMnistTaskType = 'multi-class' | 'binary' | 'multi-label' | 'ordinal';

export interface MedMnistTask {
  /** File-name stem used by the official release (`<id>.npz`, `<id>_64.npz`, …). */
  id: string;
  title: string;
  type: MedMnistTaskType;
  /** Class names in label-index order, exactly as published. */
  classes: readonly string[];
  modality: Modality;
  /** 1 = grayscale (N,H,W), 3 = RGB (N,H,W,3). */
  channels: 1 | 3;
  licence: string;
  /** Question asked for each image (multi-class/binary/ordinal). For multi-label, `{finding}` is replaced by a class name. */
  question: string;
  /** Published split sizes at 28 px (derived copies may differ). */
  samples: { train: number; val: number; test: number };
  /** 3D tasks: the file holds volumes (N, D, H, W), each imported as the import's volume mode says. */
  volumetric?: true;
}

/** Image sizes the official release publishes (MedMNIST+). */
export const MEDMNIST_SIZES = [28, 64, 128, 224] as const;
/** Volume sides the official 3D release publishes (`<id>.npz` 28³, `<id>_64.npz` 64³). */
export const MEDMNIST_3D_SIZES = [28, 64] as const;

const CC_BY = 'CC BY 4.0';
const CC_BY_NC = 'CC BY-NC 4.0';

const ORGAN_CLASSES = [
  'bladder',
  'femur-left',
  'femur-right',
  'heart',
  'kidney-left',
  'kidney-right',
  'liver',
  'lung-left',
  'lung-right',
  'pancreas',
  'spleen',
] as const;

export const MEDMNIST_TASKS: readonly MedMnistTask[] = [
  {
    id: 'pathmnist',
    title: 'PathMNIST (colon pathology)',
    type: 'multi-class',
    modality: 'pathology',
    channels: 3,
    licence: CC_BY,
    classes: [
      'adipose',
      'background',
      'debris',
      'lymphocytes',
      'mucus',
      'smooth muscle',
      'normal colon mucosa',
      'cancer-associated stroma',
      'colorectal adenocarcinoma epithelium',
    ],
    question: 'Which tissue type is shown in this colorectal histology patch?',
    samples: { train: 89996, val: 10004, test: 7180 },
  },
  {
    id: 'chestmnist',
    title: 'ChestMNIST (chest X-ray, 14 findings)',
    type: 'multi-label',
    modality: 'x-ray',
    channels: 1,
    licence: CC_BY,
    classes: [
      'atelectasis',
      'cardiomegaly',
      'effusion',
      'infiltration',
      'mass',
      'nodule',
      'pneumonia',
      'pneumothorax',
      'consolidation',
      'edema',
      'emphysema',
      'fibrosis',
      'pleural',
      'hernia',
    ],
    question: 'Does this chest X-ray show {finding}?',
    samples: { train: 78468, val: 11219, test: 22433 },
  },
  {
    id: 'dermamnist',
    title: 'DermaMNIST (dermatoscopy)',
    type: 'multi-class',
    modality: 'dermoscopy',
    channels: 3,
    licence: CC_BY_NC,
    classes: [
      'actinic keratoses and intraepithelial carcinoma',
      'basal cell carcinoma',
      'benign keratosis-like lesions',
      'dermatofibroma',
      'melanoma',
      'melanocytic nevi',
      'vascular lesions',
    ],
    question: 'Which diagnosis best fits this dermatoscopic image?',
    samples: { train: 7007, val: 1003, test: 2005 },
  },
  {
    id: 'octmnist',
    title: 'OCTMNIST (retinal OCT)',
    type: 'multi-class',
    modality: 'oct',
    channels: 1,
    licence: CC_BY,
    classes: ['choroidal neovascularization', 'diabetic macular edema', 'drusen', 'normal'],
    question: 'Which diagnosis best fits this retinal OCT image?',
    samples: { train: 97477, val: 10832, test: 1000 },
  },
  {
    id: 'pneumoniamnist',
    title: 'PneumoniaMNIST (paediatric chest X-ray)',
    type: 'binary',
    modality: 'x-ray',
    channels: 1,
    licence: CC_BY,
    classes: ['normal', 'pneumonia'],
    question: 'What does this chest X-ray show?',
    samples: { train: 4708, val: 524, test: 624 },
  },
  {
    id: 'retinamnist',
    title: 'RetinaMNIST (fundus, DR grade)',
    type: 'ordinal',
    modality: 'fundus',
    channels: 3,
    licence: CC_BY,
    classes: ['0', '1', '2', '3', '4'],
    question: 'What is the diabetic retinopathy severity grade (0–4) of this fundus photograph?',
    samples: { train: 1080, val: 120, test: 400 },
  },
  {
    id: 'breastmnist',
    title: 'BreastMNIST (breast ultrasound)',
    type: 'binary',
    modality: 'ultrasound',
    channels: 1,
    licence: CC_BY,
    classes: ['malignant', 'normal, benign'],
    question: 'What does this breast ultrasound image show?',
    samples: { train: 546, val: 78, test: 156 },
  },
  {
    id: 'bloodmnist',
    title: 'BloodMNIST (blood cell microscopy)',
    type: 'multi-class',
    modality: 'microscopy',
    channels: 3,
    licence: CC_BY,
    classes: [
      'basophil',
      'eosinophil',
      'erythroblast',
      'immature granulocytes(myelocytes, metamyelocytes and promyelocytes)',
      'lymphocyte',
      'monocyte',
      'neutrophil',
      'platelet',
    ],
    question: 'Which blood cell type is shown in this microscopy image?',
    samples: { train: 11959, val: 1712, test: 3421 },
  },
  {
    id: 'tissuemnist',
    title: 'TissueMNIST (kidney cortex microscopy)',
    type: 'multi-class',
    modality: 'microscopy',
    channels: 1,
    licence: CC_BY,
    classes: [
      'Collecting Duct, Connecting Tubule',
      'Distal Convoluted Tubule',
      'Glomerular endothelial cells',
      'Interstitial endothelial cells',
      'Leukocytes',
      'Podocytes',
      'Proximal Tubule Segments',
      'Thick Ascending Limb',
    ],
    question: 'Which kidney cortex cell type is shown in this microscopy image?',
    samples: { train: 165466, val: 23640, test: 47280 },
  },
  {
    id: 'organamnist',
    title: 'OrganAMNIST (abdominal CT, axial)',
    type: 'multi-class',
    modality: 'ct',
    channels: 1,
    licence: CC_BY,
    classes: ORGAN_CLASSES,
    question: 'Which organ is shown in this axial CT image?',
    samples: { train: 34561, val: 6491, test: 17778 },
  },
  {
    id: 'organcmnist',
    title: 'OrganCMNIST (abdominal CT, coronal)',
    type: 'multi-class',
    modality: 'ct',
    channels: 1,
    licence: CC_BY,
    classes: ORGAN_CLASSES,
    question: 'Which organ is shown in this coronal CT image?',
    samples: { train: 12975, val: 2392, test: 8216 },
  },
  {
    id: 'organsmnist',
    title: 'OrganSMNIST (abdominal CT, sagittal)',
    type: 'multi-class',
    modality: 'ct',
    channels: 1,
    licence: CC_BY,
    classes: ORGAN_CLASSES,
    question: 'Which organ is shown in this sagittal CT image?',
    samples: { train: 13932, val: 2452, test: 8827 },
  },
  // ---- 3D tasks (info.py v3.0.2). Modality is that of the images the volumes come from: CT for Organ/Nodule/Fracture
  // and for AdrenalMNIST3D (its volumes are shape masks drawn on abdominal CT), MR angiography for VesselMNIST3D (its
  // volumes are voxelised vessel meshes reconstructed from MRA), electron microscopy for SynapseMNIST3D.
  {
    id: 'organmnist3d',
    title: 'OrganMNIST3D (abdominal CT volumes)',
    type: 'multi-class',
    modality: 'ct',
    channels: 1,
    licence: CC_BY,
    volumetric: true,
    classes: ['liver', 'kidney-right', 'kidney-left', 'femur-right', 'femur-left', 'bladder', 'heart', 'lung-right', 'lung-left', 'spleen', 'pancreas'],
    question: 'Which organ is shown in this abdominal CT image?',
    samples: { train: 971, val: 161, test: 610 },
  },
  {
    id: 'nodulemnist3d',
    title: 'NoduleMNIST3D (chest CT, lung nodules)',
    type: 'binary',
    modality: 'ct',
    channels: 1,
    licence: CC_BY,
    volumetric: true,
    classes: ['benign', 'malignant'],
    question: 'Is the lung nodule in this chest CT image benign or malignant?',
    samples: { train: 1158, val: 165, test: 310 },
  },
  {
    id: 'adrenalmnist3d',
    title: 'AdrenalMNIST3D (adrenal gland shapes from CT)',
    type: 'binary',
    modality: 'ct',
    channels: 1,
    licence: CC_BY,
    volumetric: true,
    classes: ['normal', 'hyperplasia'],
    question: 'Does this adrenal gland shape show a normal gland or hyperplasia?',
    samples: { train: 1188, val: 98, test: 298 },
  },
  {
    id: 'fracturemnist3d',
    title: 'FractureMNIST3D (chest CT, rib fractures)',
    type: 'multi-class',
    modality: 'ct',
    channels: 1,
    licence: CC_BY,
    volumetric: true,
    classes: ['buckle rib fracture', 'nondisplaced rib fracture', 'displaced rib fracture'],
    question: 'Which type of rib fracture is shown in this chest CT image?',
    samples: { train: 1027, val: 103, test: 240 },
  },
  {
    id: 'vesselmnist3d',
    title: 'VesselMNIST3D (brain vessel segments from MRA)',
    type: 'binary',
    modality: 'mri',
    channels: 1,
    licence: CC_BY,
    volumetric: true,
    classes: ['vessel', 'aneurysm'],
    question: 'Does this brain vessel segment show a healthy vessel or an aneurysm?',
    samples: { train: 1335, val: 191, test: 382 },
  },
  {
    id: 'synapsemnist3d',
    title: 'SynapseMNIST3D (electron microscopy, synapses)',
    type: 'binary',
    modality: 'microscopy',
    channels: 1,
    licence: CC_BY,
    volumetric: true,
    classes: ['inhibitory synapse', 'excitatory synapse'],
    question: 'Is the synapse in this electron microscopy image inhibitory or excitatory?',
    samples: { train: 1230, val: 177, test: 352 },
  },
];

export function getMedMnistTask(id: string): MedMnistTask | undefined {
  return MEDMNIST_TASKS.find((t) => t.id === id.toLowerCase());
}

/**
 * Finds the task named in a file name (`BreastMNIST.npz`, `pneumoniamnist_224.npz`, `organamnist-64.npz`).
 * Returns undefined when no task, or more than one, matches.
 */
export function detectMedMnistTask(fileName: string): MedMnistTask | undefined {
  const base = (fileName.split(/[\\/]/).pop() ?? '').toLowerCase();
  const hits = MEDMNIST_TASKS.filter((t) => base.includes(t.id));
  return hits.length === 1 ? hits[0] : undefined;
}
