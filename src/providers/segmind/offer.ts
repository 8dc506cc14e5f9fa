import type { ProviderOffer } from '../offer.js';
import { THEMES, thousands, type TrainingSettings } from '../../inputs.js';

const PRIORITIES = ['SPEED', 'QUALITY', 'HIGH_RES_ONLY'] as const;
const FINETUNE_TYPES = ['FULL', 'LORA'] as const;
const LORA_RANKS = [16, 32] as const;

/** Segmind's documented defaults, by fine-tune type. */
const DEFAULT_LEARNING_RATE: Record<(typeof FINETUNE_TYPES)[number], number> = {
  FULL: 0.00001,
  LORA: 0.0001,
};

/**
 * The most `iterations` a job may ask for. Segmind's examples use 300 to 2,000 and a FLUX
 * fine-tune takes minutes per thousand steps, so 100,000 is already days of paid training: a
 * larger number is a typo (an extra zero or two, `1e21`), never a plan, and Segmind could not
 * read it as an integer anyway past 2^53.
 */
const MAX_ITERATIONS = 100_000;

/** Segmind: FLUX.1 [pro] fine-tunes, the fields of its submit. */
export const segmindOffer: ProviderOffer = {
  name: 'segmind',
  label: 'Segmind',
  trainingNotice:
    'Segmind takes no new trainings: it still serves the models trained there (`command: status`, `list`, `set-access`, `download`), but a training is refused. To train, set `provider: fal` (key in `secrets.FAL_KEY`) or `provider: replicate` (`secrets.REPLICATE_API_TOKEN`); see “Where new models are trained today” in the README.',
  keySecret: 'SEGMIND_API_KEY',
  keyHelp: 'Segmind console, Settings, API keys',
  commands: ['train', 'status', 'list', 'set-access', 'download'],
  commandHelp: {
    cancel:
      'Segmind’s API has no way to stop a fine-tune; it ends by itself (and Segmind no longer takes new ones)',
  },
  plainStatusWords: true,
  defaultApiUrl: 'https://api.segmind.com',

  readSettings(read, common): TrainingSettings {
    const baseModel = (read.raw('base-model') || 'FLUX_PRO').toUpperCase();
    if (!/^[A-Z0-9_]+$/.test(baseModel))
      read.bad('base-model', baseModel, 'expected a model name such as FLUX_PRO');
    const finetuneType = read.oneOf('finetune-type', FINETUNE_TYPES, 'FULL');
    const loraRankValue = read.raw('lora-rank') || '32';
    const loraRank = LORA_RANKS.find((r) => String(r) === loraRankValue);
    if (loraRank === undefined) read.bad('lora-rank', loraRankValue, 'expected 16 or 32');
    read.notOffered('destination', 'it names a Replicate model (`provider: replicate`)');
    return {
      provider: 'segmind',
      ...common,
      baseModel,
      theme: read.oneOf('theme', THEMES, 'GENERAL'),
      isPublic: read.bool('public', false),
      iterations: read.number(
        'iterations',
        (n) => Number.isSafeInteger(n) && n >= 100 && n <= MAX_ITERATIONS,
        `a whole number of at least 100 and at most ${thousands(MAX_ITERATIONS)}`,
        300,
      ),
      learningRate: read.number(
        'learning-rate',
        (n) => n > 0 && n <= 1,
        'a positive number up to 1, such as 0.0001, or empty for the default',
        DEFAULT_LEARNING_RATE[finetuneType],
      ),
      priority: read.oneOf('priority', PRIORITIES, 'QUALITY'),
      finetuneType,
      loraRank: loraRank ?? 32,
    };
  },

  datasetRules: () => ({}),
  price: () => undefined,

  // The order and the fields of the fingerprint before there was more than one provider: a
  // dataset trained on Segmind then keeps its job name, and is adopted, not trained again.
  fingerprintFields: (s) => [
    s.instancePrompt,
    s.triggerWord,
    s.baseModel,
    s.theme,
    s.isPublic,
    s.iterations,
    s.learningRate,
    s.priority,
    s.captioning,
    s.finetuneType,
    s.loraRank,
  ],

  settingsRows: (s) => [
    ['Trigger word', { code: s.triggerWord }],
    ['Instance prompt', { code: s.instancePrompt }],
    ['Base model', { code: s.baseModel }],
    ['Theme', { word: s.theme }],
    ['Type', [{ word: s.finetuneType ?? '' }, `, LoRA rank ${s.loraRank}`]],
    ['Iterations', s.iterations],
    ['Learning rate', String(s.learningRate)],
    ['Priority', { word: s.priority ?? '' }],
    ['Captioning', s.captioning ? 'on' : 'off'],
    ['Public', s.isPublic ? 'yes' : 'no'],
  ],
};
