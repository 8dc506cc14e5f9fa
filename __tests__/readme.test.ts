import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readActionInputs, ROOT } from '../scripts/action-runner.js';
import { providersOf, readmeWithTables } from '../scripts/readme-tables.js';
import { readConfig } from '../src/inputs.js';
import { PROVIDER_INPUTS } from '../src/providers/offer.js';
import { offerOf } from '../src/providers/offers.js';
import { PROVIDER_NAMES } from '../src/providers/provider.js';
import { readerWith } from './helpers/inputs.js';

describe('README and action.yml', () => {
  it('the README inputs and outputs tables are exactly what action.yml says', async () => {
    const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
    // On failure: node scripts/readme-tables.js --write
    expect(readme).toBe(await readmeWithTables(readme));
  });

  it('every input and output has a description, and the runner harness reads the same defaults', async () => {
    const action = parse(await readFile(path.join(ROOT, 'action.yml'), 'utf8'));
    for (const spec of [...Object.values(action.inputs), ...Object.values(action.outputs)] as {
      description?: string;
    }[]) {
      expect(spec.description?.trim()).toBeTruthy();
    }
    const harness = await readActionInputs();
    expect(Object.keys(harness)).toEqual(Object.keys(action.inputs));
    for (const [name, spec] of Object.entries(action.inputs) as [string, { default?: string }][]) {
      expect(harness[name]!.default, name).toBe(spec.default ?? '');
    }
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });

  it('the inputs the code reads are the inputs action.yml declares, for every provider', async () => {
    const action = parse(await readFile(path.join(ROOT, 'action.yml'), 'utf8'));
    const reader = await readerWith({ 'api-key': 'k-123' });
    for (const provider of PROVIDER_NAMES) {
      const read = new Set<string>();
      readConfig((name) => {
        read.add(name);
        return name === 'provider' ? provider : reader(name);
      });
      expect([...read].sort(), provider).toEqual(Object.keys(action.inputs).sort());
    }
  });

  it('the providers column says which providers offer each input, as the input check does', async () => {
    const action = parse(await readFile(path.join(ROOT, 'action.yml'), 'utf8'));
    // A value each provider would take, were the input its own.
    const samples: Record<string, Record<string, string>> = {
      'base-model': { segmind: 'FLUX_PRO', fal: 'FLUX_DEV', replicate: 'FLUX_DEV' },
      'learning-rate': { segmind: '0.0001', fal: '0.0001', replicate: '0.0001' },
      iterations: { segmind: '1000', fal: '1000', replicate: '1000' },
      theme: { segmind: 'GENERAL', fal: 'GENERAL', replicate: 'GENERAL' },
      public: { segmind: 'true', fal: 'true', replicate: 'true' },
      priority: { segmind: 'SPEED', fal: 'SPEED', replicate: 'SPEED' },
      'finetune-type': { segmind: 'LORA', fal: 'LORA', replicate: 'LORA' },
      'lora-rank': { segmind: '16', fal: '16', replicate: '16' },
      destination: { segmind: 'me/model', fal: 'me/model', replicate: 'me/model' },
    };
    for (const input of PROVIDER_INPUTS) {
      const { providers } = providersOf(action.inputs[input].description);
      for (const provider of PROVIDER_NAMES) {
        const values: Record<string, string> = {
          'api-key': 'k-123',
          provider,
          [input]: samples[input]![provider]!,
        };
        // fal's learning rate belongs to its FLUX.2 trainer.
        if (provider === 'fal' && input === 'learning-rate') values['base-model'] = 'FLUX_2_DEV';
        let refused = '';
        try {
          readConfig(await readerWith(values));
        } catch (error) {
          refused = String(error);
        }
        const label = offerOf(provider).label;
        const offered = providers === 'all' || providers.split(', ').includes(label);
        expect(refused.includes('does not offer it'), `${input} on ${provider}: ${refused}`).toBe(
          !offered,
        );
        if (offered) expect(refused, `${input} on ${provider}`).toBe('');
      }
    }
  });
});
