import { describe, expect, it } from 'vitest';
import { defaultJobName, fingerprint } from '../src/jobs/fingerprint.js';
import type { TrainingSettings } from '../src/inputs.js';
import { DEFAULT_SETTINGS } from './helpers/settings.js';

const settings: TrainingSettings = DEFAULT_SETTINGS;

describe('fingerprint', () => {
  it('is stable for the same dataset and settings, whatever order the settings were built in', () => {
    const reordered = Object.fromEntries(
      Object.entries(settings).reverse(),
    ) as unknown as TrainingSettings;
    expect(fingerprint('abc', reordered)).toBe(fingerprint('abc', settings));
    expect(fingerprint('abc', settings)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with the dataset and with every single setting', () => {
    const base = fingerprint('abc', settings);
    expect(fingerprint('abd', settings)).not.toBe(base);
    const changed: Partial<TrainingSettings>[] = [
      { instancePrompt: 'x' },
      { triggerWord: 'X' },
      { baseModel: 'OTHER' },
      { theme: 'STYLE' },
      { isPublic: true },
      { iterations: 301 },
      { learningRate: 0.0001 },
      { priority: 'SPEED' },
      { captioning: false },
      { finetuneType: 'LORA' },
      { loraRank: 16 },
    ];
    const prints = changed.map((c) => fingerprint('abc', { ...settings, ...c }));
    expect(new Set([base, ...prints]).size).toBe(changed.length + 1);
  });
});

describe('defaultJobName', () => {
  it('is the repository name and the first 12 hex of the fingerprint', () => {
    expect(defaultJobName('flux-models', 'abcdef0123456789')).toBe('flux-models-abcdef012345');
  });

  it('keeps to the characters a job name allows, and to 100 characters', () => {
    expect(defaultJobName('my repo (v2)', 'f'.repeat(64))).toBe('my-repo-v2-ffffffffffff');
    expect(defaultJobName('...', '0'.repeat(64))).toBe('dataset-000000000000');
    expect(defaultJobName('r'.repeat(200), '1'.repeat(64))).toHaveLength(87 + 13);
  });
});
