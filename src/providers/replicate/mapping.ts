/**
 * What Replicate is sent for a training: the trainer, the destination, and the trainer's input
 * (the `train()` signature of ostris/flux-dev-lora-trainer; docs/replicate.md says what is known
 * and how). Pure, so the fingerprint, the reuse match and the submit read the same mapping.
 */
import type { TrainingSettings } from '../../inputs.js';

export const TRAINER_OWNER = 'ostris';
export const TRAINER_NAME = 'flux-dev-lora-trainer';
export const TRAINER = `${TRAINER_OWNER}/${TRAINER_NAME}`;

/** Below this many images the trainer's authors expect a weak LoRA. */
export const RECOMMENDED_IMAGES = 10;

/** The trainer's input, without `input_images`. */
export function replicateInput(settings: TrainingSettings): Record<string, unknown> {
  return {
    trigger_word: settings.triggerWord,
    steps: settings.iterations,
    lora_rank: settings.loraRank,
    learning_rate: settings.learningRate,
    autocaption: settings.captioning,
  };
}

/** `owner/name`, as Replicate spells a model: the owner as an account, the name lowercase. */
export const DESTINATION = /^[A-Za-z0-9][A-Za-z0-9_-]{0,38}\/[a-z0-9][a-z0-9._-]{0,99}$/;

/**
 * The model name a repository gives by default: lowercase, only the characters Replicate
 * allows in a model name (letters, digits, `-`, `_`, `.`), starting with a letter or digit.
 */
export function defaultModelName(repository: string): string {
  return (
    repository
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '')
      .slice(0, 100)
      .replace(/[^a-z0-9]+$/, '') || 'flux-lora'
  );
}
