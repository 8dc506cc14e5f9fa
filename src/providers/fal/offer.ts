import type { ProviderOffer } from '../offer.js';
import { THEMES, type TrainingSettings } from '../../inputs.js';
import { dollars, PRICES } from '../prices.js';
import { FAL_BASE_MODELS, falInput, trainerOf } from './mapping.js';

/** fal: FLUX.1 [dev] and FLUX.2 [dev] LoRA trainers behind its queue. */
export const falOffer: ProviderOffer = {
  name: 'fal',
  label: 'fal',
  keySecret: 'FAL_KEY',
  keyHelp: 'fal dashboard, API keys',
  commands: ['train', 'status', 'list', 'download', 'cancel'],
  commandHelp: {
    'set-access':
      'fal has no public or private models: the trained LoRA is a file, used by its URL',
  },
  plainStatusWords: false,

  readSettings(read, common): TrainingSettings {
    const baseModel = read.oneOf('base-model', FAL_BASE_MODELS, 'FLUX_DEV');
    const flux2 = baseModel === 'FLUX_2_DEV';
    let theme = read.oneOf('theme', THEMES, 'GENERAL');
    if (flux2 && theme !== 'GENERAL') {
      read.bad(
        'theme',
        theme,
        'fal’s FLUX.2 trainer (`base-model: FLUX_2_DEV`) takes only GENERAL: say what the images show in their captions',
      );
      theme = 'GENERAL';
    }
    const iterations = flux2
      ? read.number(
          'iterations',
          (n) => Number.isSafeInteger(n) && n >= 100 && n <= 10_000 && n % 100 === 0,
          'a whole number of steps from 100 to 10,000, a multiple of 100 (fal’s FLUX.2 trainer)',
          1000,
        )
      : read.number(
          'iterations',
          (n) => Number.isSafeInteger(n) && n >= 1 && n <= 10_000,
          'a whole number of steps from 1 to 10,000',
          1000,
        );
    let learningRate: number | undefined;
    if (flux2) {
      learningRate = read.number(
        'learning-rate',
        (n) => n > 0 && n <= 1,
        'a positive number up to 1, such as 0.00005, or empty for the default',
        0.00005,
      );
    } else {
      read.notOffered(
        'learning-rate',
        'its fast trainer (`base-model: FLUX_DEV`) sets its own; `base-model: FLUX_2_DEV` takes one',
      );
    }
    read.notOffered('lora-rank', 'its trainers choose the LoRA rank themselves');
    read.notOffered('priority', 'it is a Segmind setting');
    read.notOffered('finetune-type', 'it trains LoRAs only');
    read.notOffered('public', 'a trained LoRA is a file, not a model with a visibility');
    read.notOffered('destination', 'it names a Replicate model (`provider: replicate`)');
    return {
      provider: 'fal',
      ...common,
      baseModel,
      theme,
      isPublic: false,
      iterations,
      learningRate,
    };
  },

  datasetRules: (s) => ({
    trainer: `fal’s ${s.baseModel === 'FLUX_2_DEV' ? 'FLUX.2' : 'FLUX.1'} trainer (${trainerOf(s).endpoint})`,
    minImages: trainerOf(s).minImages,
    // FLUX_DEV: fal captions images that have none, unless captioning is off; FLUX.2: the
    // instance prompt is sent as `default_caption`, so nothing needs writing.
    captionForUncaptioned:
      s.baseModel !== 'FLUX_2_DEV' && !s.captioning ? s.instancePrompt : undefined,
    uncaptionedDescribed: s.baseModel === 'FLUX_2_DEV',
  }),

  price(s) {
    if (s.baseModel === 'FLUX_2_DEV') {
      const p = PRICES.falFlux2DevPerStep;
      return {
        usd: p.usd * s.iterations,
        basis: `${s.iterations} steps at ${dollars(p.usd)} a step`,
        source: p.source,
        asOf: p.asOf,
      };
    }
    const p = PRICES.falFluxDevPerThousandSteps;
    return {
      usd: (p.usd * s.iterations) / 1000,
      basis: `${s.iterations} steps at ${dollars(p.usd)} a run of 1,000 steps, scaled with the steps`,
      source: p.source,
      asOf: p.asOf,
    };
  },

  fingerprintFields: (s) => ['fal', trainerOf(s).endpoint, falInput(s)],

  settingsRows: (s) => [
    ['Provider', 'fal'],
    ['Trainer', [{ code: trainerOf(s).endpoint }, ` (${s.baseModel})`]],
    ['Trigger word', { code: s.triggerWord }],
    ['Instance prompt', { code: s.instancePrompt }],
    ['Theme', { word: s.theme }],
    ['Steps', s.iterations],
    ...(s.learningRate !== undefined
      ? ([['Learning rate', String(s.learningRate)]] as [string, string][])
      : []),
    [
      'Uncaptioned images',
      s.baseModel === 'FLUX_2_DEV' || !s.captioning
        ? 'trained with the instance prompt as their caption'
        : // fal's style mode (`is_style`) turns its captioning off and trains on the trigger word.
          s.theme === 'STYLE'
          ? 'trained with the trigger word (fal’s style mode captions nothing)'
          : 'captioned by fal',
    ],
  ],
};
