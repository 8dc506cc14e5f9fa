/**
 * What fal is sent for a training: the endpoint a base model trains on and the input it takes
 * (fal's queue OpenAPI for each trainer; docs/providers.md says what is known and how). Pure, so
 * the fingerprint, the reuse match and the submit all read the same mapping.
 */
import type { TrainingSettings } from '../../inputs.js';

export const FAL_BASE_MODELS = ['FLUX_DEV', 'FLUX_2_DEV'] as const;
export type FalBaseModel = (typeof FAL_BASE_MODELS)[number];

interface Trainer {
  /** The endpoint id the submit goes to. */
  endpoint: string;
  /** The input field that takes the dataset ZIP's URL. */
  dataField: 'images_data_url' | 'image_data_url';
  /** The endpoint a trained LoRA is used with (the `slug` output). */
  inference: string;
  /** Fewer images than this and fal's trainer fails (or trains nothing worth having). */
  minImages: number;
}

export const TRAINERS: Record<FalBaseModel, Trainer> = {
  FLUX_DEV: {
    endpoint: 'fal-ai/flux-lora-fast-training',
    dataField: 'images_data_url',
    inference: 'fal-ai/flux-lora',
    // "Try to use at least 4 images" (the trainer's input schema).
    minImages: 4,
  },
  FLUX_2_DEV: {
    endpoint: 'fal-ai/flux-2-trainer',
    dataField: 'image_data_url',
    inference: 'fal-ai/flux-2/lora',
    // "at least 10 images" (the trainer's input schema).
    minImages: 10,
  },
};

export function trainerOf(settings: Pick<TrainingSettings, 'baseModel'>): Trainer {
  return TRAINERS[settings.baseModel as FalBaseModel] ?? TRAINERS.FLUX_DEV;
}

/**
 * The trainer's input, without the dataset's URL. FLUX_DEV: the theme picks the trainer's mode
 * (STYLE: `is_style`; CHARACTER: face masks; PRODUCT: no masks; GENERAL: fal's defaults).
 * FLUX_2_DEV has no trigger word field: the trigger sits in the captions, and `default_caption`
 * (the instance prompt) is what an image without a caption trains with.
 */
export function falInput(settings: TrainingSettings): Record<string, unknown> {
  if (settings.baseModel === 'FLUX_2_DEV') {
    return {
      steps: settings.iterations,
      learning_rate: settings.learningRate,
      // As in the captions the action writes: `[trigger]` stands for the trigger word.
      default_caption: settings.instancePrompt.replaceAll('[trigger]', settings.triggerWord),
    };
  }
  const input: Record<string, unknown> = {
    trigger_word: settings.triggerWord,
    steps: settings.iterations,
  };
  if (settings.theme === 'STYLE') input.is_style = true;
  else if (settings.theme === 'CHARACTER') input.create_masks = true;
  else if (settings.theme === 'PRODUCT') input.create_masks = false;
  return input;
}
