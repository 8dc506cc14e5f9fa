import * as core from '@actions/core';
import * as path from 'node:path';
import { ActionError } from './shared/errors.js';
import { inert } from './shared/inert.js';
import { isLoopbackHost } from './shared/urls.js';
import { registerSecret } from './shared/secrets.js';
import { PROVIDER_NAMES, type ProviderName } from './providers/provider.js';
import {
  PROVIDER_INPUTS,
  type ProviderInput,
  type ProviderOffer,
  type SettingsReader,
} from './providers/offer.js';
import { offerOf } from './providers/offers.js';

const COMMANDS = ['train', 'status', 'list', 'set-access', 'download', 'cancel'] as const;
export const THEMES = ['CHARACTER', 'PRODUCT', 'STYLE', 'GENERAL'] as const;
const WAIT_FOR = ['none', 'TRAINING_COMPLETED', 'AVAILABLE'] as const;

export type Command = (typeof COMMANDS)[number];
export type Theme = (typeof THEMES)[number];
export type WaitFor = (typeof WAIT_FOR)[number];

/**
 * What a training is made of, every provider's defaults applied. The common part is read here;
 * the rest by the provider's offer (src/providers/<name>/offer.ts): a field a provider does not
 * offer stays undefined.
 */
export interface TrainingSettings {
  provider: ProviderName;
  instancePrompt: string;
  triggerWord: string;
  baseModel: string;
  theme: Theme;
  /** Segmind: `segmind_public`; Replicate: the destination model's visibility when created. */
  isPublic: boolean;
  iterations: number;
  learningRate?: number;
  /** Segmind: SPEED, QUALITY or HIGH_RES_ONLY. */
  priority?: string;
  captioning: boolean;
  /** Segmind: FULL or LORA. */
  finetuneType?: string;
  loraRank?: number;
  /** Replicate: `owner/name` of the model the training writes to; empty means the default. */
  destination?: string;
}

export interface Config {
  command: Command;
  provider: ProviderName;
  apiKey: string;
  /** `api-url` as given, or the provider's own when empty; empty for a provider of several hosts. */
  apiUrl: string;
  datasetPatterns: string[];
  datasetUrl: string;
  /** The `name` input; empty means derive it from the fingerprint. */
  name: string;
  settings: TrainingSettings;
  waitFor: WaitFor;
  waitTimeoutMs: number;
  pollIntervalMs: number;
  maxZipBytes: number;
  /** Longer side images are fitted to; 0 never resizes. */
  maxImageSide: number;
  stripMetadata: boolean;
  dryRun: boolean;
  finetuneId: string;
  /** `save-zip`: where to write the dataset ZIP too, relative to the workspace; empty for none. */
  saveZip: string;
  /** `download-model`: where to write the trained weights, relative to the workspace; empty for none. */
  downloadModel: string;
  githubToken: string;
  prComment: boolean;
}

/** Reads one input; a seam so the parser can be unit-tested without environment variables. */
export type InputReader = (name: string) => string;

const readFromEnvironment: InputReader = (name) => core.getInput(name);

// A job name becomes a file name (`<name>.zip`) on Segmind's storage and a model slug: keep it
// to the characters every one of those accepts.
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
/** `max-image-side` bounds: under 512 px a fine-tune learns little; over 8192 nothing is fitted. */
const MIN_IMAGE_SIDE = 512;
const MAX_IMAGE_SIDE = 8192;
const DECIMAL = /^\+?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** The longest wait that makes sense for one step: GitHub stops a job after 35 days at most. */
const MAX_WAIT_MINUTES = 35 * 24 * 60;

/** `value` as one of `allowed`, in any case; undefined when it is none of them. */
export function oneOfValue<T extends string>(value: string, allowed: readonly T[]): T | undefined {
  return allowed.find((a) => a.toUpperCase() === value.toUpperCase());
}

function expectedOneOf(allowed: readonly string[]): string {
  return `expected one of ${allowed.join(', ')} (any case)`;
}

/** YAML 1.2's booleans, as the toolkit's getBooleanInput takes them. */
function yamlBool(value: string): boolean | undefined {
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  return undefined;
}

const EXPECTED_BOOL = 'expected a YAML boolean: true, True, TRUE, false, False or FALSE';

/**
 * A decimal number (an exponent allowed) that passes `check`; undefined for anything else (0x10,
 * Infinity).
 */
function decimal(value: string, check: (n: number) => boolean): number | undefined {
  const n = DECIMAL.test(value) ? Number(value) : NaN;
  return Number.isFinite(n) && check(n) ? n : undefined;
}

/**
 * Parses and checks every input up front, so a bad value fails the step before any file is read
 * or any request is sent. All problems are reported at once: fixing them one run at a time is a
 * slow way to learn a workflow file is wrong.
 */
export function readConfig(read: InputReader = readFromEnvironment): Config {
  // Masked before anything else can print it, including the errors below.
  // Registered, not just masked: the summary, the comment and the outputs redact them too.
  const apiKey = read('api-key').trim();
  if (apiKey) core.setSecret(apiKey);
  registerSecret(apiKey);
  const githubToken = read('github-token').trim();
  if (githubToken) core.setSecret(githubToken);
  registerSecret(githubToken);

  const problems: string[] = [];
  const bad = (input: string, value: string, allowed: string): void => {
    problems.push(
      `Input \`${input}\` is ${value === '' ? 'empty' : `"${inert(value, 200)}"`}: ${allowed}.`,
    );
  };

  const oneOf = <T extends string>(input: string, allowed: readonly T[], fallback: T): T => {
    const value = read(input).trim();
    const found = oneOfValue(value, allowed);
    if (found !== undefined) return found;
    bad(input, value, expectedOneOf(allowed));
    return fallback;
  };

  const bool = (input: string, fallback: boolean): boolean => {
    const value = read(input).trim();
    const parsed = yamlBool(value);
    if (parsed !== undefined) return parsed;
    bad(input, value, EXPECTED_BOOL);
    return fallback;
  };

  const number = (input: string, check: (n: number) => boolean, allowed: string): number => {
    const value = read(input).trim();
    const n = decimal(value, check);
    if (n === undefined) bad(input, value, `expected ${allowed}`);
    return n ?? NaN;
  };

  const command = oneOf('command', COMMANDS, 'train');
  const dryRun = bool('dry-run', false);
  const provider = oneOf('provider', PROVIDER_NAMES, 'segmind');
  const offer = offerOf(provider);
  // A key of the form key_id:key_secret (fal) is masked in its halves too: an error that quotes
  // one half must not show it.
  if (apiKey.includes(':')) {
    for (const half of apiKey.split(':')) {
      if (half.length >= 8) {
        core.setSecret(half);
        registerSecret(half);
      }
    }
  }

  if (!offer.commands.includes(command)) {
    bad(
      'command',
      command,
      `${offer.label} has no \`${command}\`: ${offer.commandHelp[command] ?? `it offers ${offer.commands.join(', ')}`}`,
    );
  }

  const apiUrl = read('api-url').trim().replace(/\/+$/, '');
  const apiUrlProblem = apiUrl === '' ? undefined : checkApiUrl(apiUrl, offer.defaultApiUrl);
  if (apiUrlProblem) bad('api-url', apiUrl, apiUrlProblem);

  if (dryRun && command !== 'train') {
    // The other commands exist to talk to the provider: a dry run of them would do nothing.
    bad(
      'dry-run',
      'true',
      `only \`command: train\` has a dry run; remove it for \`command: ${command}\``,
    );
  }
  const needsKey = !(command === 'train' && dryRun);
  if (needsKey && !apiKey) {
    problems.push(
      `Input \`api-key\` is empty, and \`command: ${command}\` needs a ${offer.label} API key. ` +
        `Pass it from a secret: \`api-key: \${{ secrets.${offer.keySecret} }}\` (${offer.keyHelp}). ` +
        'Workflows triggered by pull requests from forks get no secrets: use `dry-run: true` there.' +
        (command === 'train' && offer.trainingNotice ? ` ${offer.trainingNotice}` : ''),
    );
  }

  const datasetPatterns = read('dataset')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const datasetUrl = read('dataset-url').trim();
  if (command === 'train') {
    if (datasetUrl) {
      let parsed: URL | undefined;
      try {
        parsed = new URL(datasetUrl);
      } catch {
        parsed = undefined;
      }
      if (parsed?.protocol !== 'https:' || HIDDEN_OR_SPACE.test(datasetUrl)) {
        bad(
          'dataset-url',
          datasetUrl,
          'expected one https:// URL of a ZIP file, on one line, with no spaces or control characters (percent-encode them)',
        );
      }
    } else {
      for (const pattern of datasetPatterns) {
        const bare = pattern.startsWith('!') ? pattern.slice(1) : pattern;
        if (path.isAbsolute(bare) || bare.split(/[\\/]/).includes('..')) {
          bad('dataset', pattern, 'patterns are relative to the workspace and may not leave it');
        }
      }
      if (!datasetPatterns.some((p) => !p.startsWith('!'))) {
        bad(
          'dataset',
          read('dataset').trim(),
          'expected at least one glob pattern such as dataset/**',
        );
      }
    }
  }

  const name = read('name').trim();
  if (name && !NAME_PATTERN.test(name)) {
    bad(
      'name',
      name,
      'expected 1 to 100 characters: letters, digits, ".", "_" and "-", starting with a letter or digit',
    );
  }

  const triggerWord = read('trigger-word').trim();
  if (!triggerWord) bad('trigger-word', triggerWord, 'expected a word or phrase such as TOK');
  const instancePrompt = read('instance-prompt').trim() || `photo of ${triggerWord}`;
  const captioning = bool('captioning', true);

  const settings = readProviderSettings(read, offer, bad, (problem) => problems.push(problem), {
    instancePrompt,
    triggerWord,
    captioning,
  });

  const waitFor = oneOf('wait-for', WAIT_FOR, 'none');
  const waitTimeoutMinutes = number(
    'wait-timeout-minutes',
    (n) => n > 0 && n <= MAX_WAIT_MINUTES,
    `a positive number of minutes, at most ${MAX_WAIT_MINUTES} (35 days, GitHub's longest job)`,
  );
  const pollIntervalSeconds = number(
    'poll-interval-seconds',
    (n) => n >= 1 && n <= 3600,
    'a number of seconds from 1 to 3600',
  );
  const maxZipMb = number(
    'max-zip-mb',
    (n) => n >= 1 && n <= 100,
    'a number from 1 to 100 (1 MB = 1,000,000 bytes)',
  );

  const maxImageSide = number(
    'max-image-side',
    (n) => n === 0 || (Number.isInteger(n) && n >= MIN_IMAGE_SIDE && n <= MAX_IMAGE_SIDE),
    `a whole number of pixels from ${MIN_IMAGE_SIDE} to ${MAX_IMAGE_SIDE}, or 0 to never resize`,
  );
  const stripMetadata = bool('strip-metadata', true);

  const finetuneId = read('finetune-id').trim();
  if (command !== 'train' && command !== 'list' && !finetuneId) {
    bad(
      'finetune-id',
      finetuneId,
      `\`command: ${command}\` needs the id of a fine-tune job (the \`finetune-id\` output of the step that trained it)`,
    );
  }
  if (HIDDEN_OR_SPACE.test(finetuneId)) {
    bad('finetune-id', finetuneId, 'expected one id, with no spaces or control characters');
  }

  const downloadModelInput = read('download-model').trim();
  const downloadModel = downloadModelInput || (command === 'download' ? 'model.safetensors' : '');
  if (downloadModel) {
    const problem = downloadPathProblem(downloadModel);
    if (problem) bad('download-model', downloadModel, problem);
    else if (command === 'train' && dryRun) {
      bad(
        'download-model',
        downloadModel,
        'a dry run trains nothing, so there is nothing to download; remove it, or `dry-run`',
      );
    } else if (command === 'train' && waitFor === 'none') {
      bad(
        'download-model',
        downloadModel,
        'the model exists only once the job has trained, so it needs `wait-for: TRAINING_COMPLETED` or `wait-for: AVAILABLE`; or download it later with `command: download`',
      );
    } else if (command !== 'train' && command !== 'download') {
      bad(
        'download-model',
        downloadModel,
        `it is for \`command: train\` and \`command: download\`, not \`command: ${command}\``,
      );
    }
  }

  const saveZip = read('save-zip').trim();
  if (saveZip) {
    const problem = downloadPathProblem(saveZip, 'build/dataset.zip');
    if (problem) bad('save-zip', saveZip, problem);
    else if (command !== 'train') {
      bad('save-zip', saveZip, `it is for \`command: train\`, not \`command: ${command}\``);
    } else if (datasetUrl) {
      bad(
        'save-zip',
        saveZip,
        'with `dataset-url` no ZIP is built (the provider trains from that URL); remove one of them',
      );
    } else if (
      downloadModel &&
      path.posix.normalize(saveZip) === path.posix.normalize(downloadModel)
    ) {
      bad('save-zip', saveZip, 'it names the same file as `download-model`');
    }
  }

  const prComment = bool('pr-comment', true);

  if (problems.length > 0) {
    throw new ActionError(
      problems.length === 1
        ? problems[0]!
        : `${problems.length} inputs are invalid:\n- ${problems.join('\n- ')}`,
      'Fix the `with:` block of this step; see the inputs table in the README.',
    );
  }

  return {
    command,
    provider,
    apiKey,
    apiUrl: apiUrl || (offer.defaultApiUrl ?? ''),
    datasetPatterns,
    datasetUrl,
    name,
    settings,
    waitFor,
    waitTimeoutMs: Math.round(waitTimeoutMinutes * 60_000),
    pollIntervalMs: Math.round(pollIntervalSeconds * 1000),
    // Rounded up: the ZIP must be smaller than the limit, so a fraction of a byte never refuses it.
    maxZipBytes: Math.ceil(maxZipMb * 1_000_000),
    maxImageSide,
    stripMetadata,
    dryRun,
    finetuneId,
    saveZip,
    downloadModel,
    githubToken,
    prComment,
  };
}

/**
 * The provider's inputs, read by its offer. An input it does not offer fails when it is set,
 * whether the offer says why (notOffered) or never looks at it: every provider input is either
 * read or refused, never silently ignored.
 */
function readProviderSettings(
  read: InputReader,
  offer: ProviderOffer,
  bad: (input: string, value: string, allowed: string) => void,
  problem: (text: string) => void,
  common: { instancePrompt: string; triggerWord: string; captioning: boolean },
): TrainingSettings {
  const handled = new Set<ProviderInput>();
  const raw = (input: ProviderInput): string => {
    handled.add(input);
    return read(input).trim();
  };
  const refuse = (input: ProviderInput, why: string): void => {
    const value = raw(input);
    if (value === '') return;
    problem(
      `Input \`${input}\` is "${inert(value, 200)}", but ${offer.label} does not offer it: ${why}. Remove it from the \`with:\` block.`,
    );
  };
  const reader: SettingsReader = {
    raw,
    bad,
    notOffered: refuse,
    // A provider's inputs may be left empty: empty means the provider's default.
    oneOf(input, allowed, fallback) {
      const value = raw(input);
      if (value === '') return fallback;
      const found = oneOfValue(value, allowed);
      if (found !== undefined) return found;
      bad(input, value, expectedOneOf(allowed));
      return fallback;
    },
    bool(input, fallback) {
      const value = raw(input);
      if (value === '') return fallback;
      const parsed = yamlBool(value);
      if (parsed !== undefined) return parsed;
      bad(input, value, EXPECTED_BOOL);
      return fallback;
    },
    number(input, check, allowed, fallback) {
      const value = raw(input);
      if (value === '') return fallback;
      const n = decimal(value, check);
      if (n === undefined) bad(input, value, `expected ${allowed}`);
      return n ?? NaN;
    },
  };
  const settings = offer.readSettings(reader, common);
  for (const input of PROVIDER_INPUTS) {
    if (!handled.has(input)) refuse(input, `it is not one of ${offer.label}'s settings`);
  }
  return settings;
}

/**
 * Why `download-model` (or `save-zip`) cannot be a target, or undefined: it must name a file inside the workspace
 * (not absolute, not leading out with `..`, not into `.git` or `.github`, no name over 255
 * bytes); symbolic links are checked on disk
 * when the step starts (download.ts).
 */
export function downloadPathProblem(
  value: string,
  example = 'models/model.safetensors',
): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(value)) return 'expected a file path without control characters';
  if (path.isAbsolute(value) || path.win32.isAbsolute(value) || value.startsWith('~')) {
    return `expected a path relative to the workspace, such as ${example} (an absolute path could write anywhere on the runner)`;
  }
  const parts = path.posix.normalize(value.replace(/\\/g, '/')).split('/');
  if (parts[0] === '..')
    return 'expected a path inside the workspace; this one leads out of it with `..`';
  if (parts.some((part) => part.toLowerCase() === '.git')) return 'expected a path outside `.git`';
  // Not among the workflows either: a provider's bytes must never become a workflow file.
  if (parts.some((part) => part.toLowerCase() === '.github')) {
    return 'expected a path outside `.github`';
  }
  const last = parts[parts.length - 1]!;
  if (last === '' || last === '.' || /[\\/]$/.test(value)) {
    return `expected the path of a file, such as ${example}, not a folder`;
  }
  // File systems take at most 255 bytes a name; said here rather than as a raw ENAMETOOLONG.
  const long = parts.find((part) => Buffer.byteLength(part) > 255);
  if (long) {
    return `the name "${long.length > 40 ? `${long.slice(0, 20)}…${long.slice(-16)}` : long}" is ${Buffer.byteLength(long)} bytes long, more than the 255 a file system allows for one name`;
  }
  return undefined;
}

/** Whitespace or a control character: the URL parser drops some silently, a log line would not. */
const HIDDEN_OR_SPACE =
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  /[\s\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

/**
 * Why `api-url` cannot be used, or undefined. The API key travels in a header of every request,
 * so plain http is only allowed to a loopback host (a test server, a local proxy): anywhere else
 * anyone on the path could read the key.
 */
function checkApiUrl(value: string, realUrl: string | undefined): string | undefined {
  // Without one real base (fal's several hosts), no example: copying one host would send the
  // others' requests to it.
  const example = realUrl ? `such as ${realUrl}` : "(or none at all for the provider's own hosts)";
  if (HIDDEN_OR_SPACE.test(value))
    return `expected one URL ${example}, with no spaces or control characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `expected an https URL ${example}`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol !== 'http:') return `expected an https URL ${example}`;
  if (isLoopbackHost(url.hostname)) return undefined;
  return (
    `plain http is only allowed to a loopback host (127.0.0.1, ::1, localhost): the API key would travel in clear to ${url.hostname}. ` +
    `Use an https URL ${example}`
  );
}

/**
 * 100000 as "100,000". Not toLocaleString: loading the ICU locale data for it costs about 25 ms of
 * start-up, on every run, for one message most runs never show.
 */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
