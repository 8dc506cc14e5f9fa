import type { ProviderOffer } from '../offer.js';
import type { TrainingSettings } from '../../inputs.js';
import { DESTINATION, RECOMMENDED_IMAGES, replicateInput, TRAINER } from './mapping.js';

/** Replicate: ostris/flux-dev-lora-trainer (ai-toolkit), writing versions to a destination model. */
export const replicateOffer: ProviderOffer = {
  name: 'replicate',
  label: 'Replicate',
  keySecret: 'REPLICATE_API_TOKEN',
  keyHelp: 'replicate.com, Account settings, API tokens',
  commands: ['train', 'status', 'list', 'download', 'cancel'],
  commandHelp: {
    'set-access':
      'a destination model’s visibility is set when the action creates it (`public: true`), or on replicate.com',
  },
  plainStatusWords: false,
  defaultApiUrl: 'https://api.replicate.com',

  readSettings(read, common): TrainingSettings {
    const baseModel = read.oneOf('base-model', ['FLUX_DEV'] as const, 'FLUX_DEV');
    const given = read.raw('theme');
    if (given && given.toUpperCase() !== 'GENERAL') {
      read.bad(
        'theme',
        given,
        'Replicate’s trainer takes no theme (only GENERAL): remove the line, and say what the images show in their captions',
      );
    }
    const theme = 'GENERAL' as const;
    const destination = read.raw('destination');
    if (destination && !DESTINATION.test(destination)) {
      read.bad(
        'destination',
        destination,
        'expected owner/name of a Replicate model, the name in lowercase letters, digits, "-", "_" and "."',
      );
    }
    read.notOffered('priority', 'it is a Segmind setting');
    read.notOffered('finetune-type', 'its trainer trains LoRAs only');
    return {
      provider: 'replicate',
      ...common,
      baseModel,
      theme,
      isPublic: read.bool('public', false),
      iterations: read.number(
        'iterations',
        (n) => Number.isSafeInteger(n) && n >= 3 && n <= 6000,
        'a whole number of steps from 3 to 6,000',
        1000,
      ),
      learningRate: read.number(
        'learning-rate',
        (n) => n > 0 && n <= 1,
        'a positive number up to 1, such as 0.0004, or empty for the default',
        0.0004,
      ),
      loraRank: read.number(
        'lora-rank',
        (n) => Number.isSafeInteger(n) && n >= 1 && n <= 128,
        'a whole number from 1 to 128',
        16,
      ),
      destination,
    };
  },

  datasetRules: (s) => ({
    trainer: `Replicate’s trainer (${TRAINER})`,
    recommendedImages: RECOMMENDED_IMAGES,
    captionForUncaptioned: s.captioning ? undefined : s.instancePrompt,
  }),

  // Replicate bills the trainer's GPU by the second and publishes no price for it.
  price: () => undefined,
  unpricedNote:
    'not estimated: Replicate bills the trainer’s GPU time by the second and publishes no price for it.',

  fingerprintFields: (s) => ['replicate', TRAINER, replicateInput(s), s.destination ?? ''],

  settingsRows: (s) => [
    ['Provider', 'Replicate'],
    ['Trainer', { code: TRAINER }],
    [
      'Destination',
      s.destination ? { code: s.destination } : 'the account’s model named after the repository',
    ],
    ['Trigger word', { code: s.triggerWord }],
    ['Instance prompt', { code: s.instancePrompt }],
    ['Steps', s.iterations],
    ['Learning rate', String(s.learningRate)],
    ['LoRA rank', String(s.loraRank)],
    [
      'Captioning',
      s.captioning
        ? 'on (Replicate captions images that have none)'
        : 'off (uncaptioned images get the instance prompt)',
    ],
    ['Public', s.isPublic ? 'yes' : 'no'],
  ],
};
