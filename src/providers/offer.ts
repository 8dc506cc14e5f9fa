/**
 * What each provider offers, known before any request: which inputs it reads and their defaults
 * and ranges, which commands it has, what it needs of a dataset, what it charges. The input check
 * (src/inputs.ts) asks it, so that an input a provider does not offer fails the step before any
 * file work or request. Loaded at start-up, so kept to plain data and small functions: the
 * providers' clients load only when a request is made (src/providers/index.ts).
 */
import type { Command, TrainingSettings } from '../inputs.js';
import type { DatasetRules, Price, ProviderName } from './provider.js';

/**
 * The inputs whose meaning, default or presence depends on the provider. action.yml gives them
 * no default (but `theme`, which every provider takes as GENERAL); each provider applies its own.
 */
export const PROVIDER_INPUTS = [
  'base-model',
  'theme',
  'public',
  'iterations',
  'learning-rate',
  'priority',
  'finetune-type',
  'lora-rank',
  'destination',
] as const;
export type ProviderInput = (typeof PROVIDER_INPUTS)[number];

/** What a provider's input reader is given: the inputs, and a way to say what is wrong. */
export interface SettingsReader {
  /** The input's value, trimmed; '' when it is not set. Marks the input as read. */
  raw(input: ProviderInput): string;
  /** Records a problem with an input: its value and what is allowed. */
  bad(input: string, value: string, allowed: string): void;
  /** Records that the provider does not offer this input, when it is set. `why` says why. */
  notOffered(input: ProviderInput, why: string): void;
  oneOf<T extends string>(input: ProviderInput, allowed: readonly T[], fallback: T): T;
  bool(input: ProviderInput, fallback: boolean): boolean;
  /** A number checked by `check`; NaN (and a problem) when it is not one. Empty gives `fallback`. */
  number(
    input: ProviderInput,
    check: (n: number) => boolean,
    allowed: string,
    fallback: number,
  ): number;
}

/** The inputs every provider reads the same way, already checked. */
export interface CommonSettings {
  instancePrompt: string;
  triggerWord: string;
  captioning: boolean;
}

export interface ProviderOffer {
  name: ProviderName;
  /** How messages name it: "Segmind", "fal", "Replicate". */
  label: string;
  /** The secret the README's examples keep the key in. */
  keySecret: string;
  /** Where a user gets a key. */
  keyHelp: string;
  /** The commands it has; the others fail the input check naming the provider. */
  commands: readonly Command[];
  /** Why a command it lacks is missing, and what to do instead. */
  commandHelp: Partial<Record<Command, string>>;
  /**
   * Whether its status words read as plain words already (Segmind's AVAILABLE); otherwise the
   * summary says the stage beside them (fal's COMPLETED: ready).
   */
  plainStatusWords: boolean;
  /**
   * The https base its real API answers at, for the input's example and the default; none where
   * the API is several hosts (fal: queue, storage and history), which an empty `api-url` stands for.
   */
  defaultApiUrl?: string;
  /** Reads the provider's inputs into the settings it trains with (defaults applied). */
  readSettings(read: SettingsReader, common: CommonSettings): TrainingSettings;
  /** What the dataset must have before anything is paid for. */
  datasetRules(settings: TrainingSettings): DatasetRules;
  /** What training with these settings costs, where the provider publishes a price. */
  price(settings: TrainingSettings): Price | undefined;
  /** Where it publishes none: what the summary says of the cost instead. */
  unpricedNote?: string;
  /**
   * Where it no longer trains (Segmind): said before a training is attempted, in the log, the
   * summary and the empty-key error, with what to do instead.
   */
  trainingNotice?: string;
  /**
   * The settings as they enter the fingerprint (train step 3): everything that changes what is
   * trained, in a fixed order. Changing one trains anew; the same ones adopt the job there is.
   */
  fingerprintFields(settings: TrainingSettings): unknown[];
  /** The settings table of the summary and the PR comment. */
  settingsRows(settings: TrainingSettings): [string, Cell][];
}

/**
 * A cell of the settings table: our own text or a number as it is, a user's value as code, an
 * enum value as a word (both made inert by the summary), or parts of these side by side.
 */
export type CellPart = string | number | { code: string } | { word: string };
export type Cell = CellPart | CellPart[];
