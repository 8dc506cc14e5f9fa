import type { TrainingSettings } from '../../src/inputs.js';

/** The training settings action.yml's defaults give (inputs.test.ts checks they do). */
export const DEFAULT_SETTINGS: TrainingSettings = {
  provider: 'segmind',
  instancePrompt: 'photo of TOK',
  triggerWord: 'TOK',
  baseModel: 'FLUX_PRO',
  theme: 'GENERAL',
  isPublic: false,
  iterations: 300,
  learningRate: 0.00001,
  priority: 'QUALITY',
  captioning: true,
  finetuneType: 'FULL',
  loraRank: 32,
};
