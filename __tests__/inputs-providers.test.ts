// The input check per provider: each provider's defaults, ranges, and the inputs it does not
// offer, refused before any file work or request.
import { describe, expect, it, vi } from 'vitest';
import { readConfig } from '../src/inputs.js';
import { ActionError } from '../src/shared/errors.js';
import { readerWith } from './helpers/inputs.js';

async function config(values: Record<string, string>) {
  return readConfig(await readerWith(values));
}

async function failure(values: Record<string, string>): Promise<string> {
  try {
    await config(values);
  } catch (error) {
    expect(error).toBeInstanceOf(ActionError);
    return String(error);
  }
  throw new Error('expected readConfig to fail');
}

const FAL = { provider: 'fal', 'api-key': 'fal-k' };
const REPLICATE = { provider: 'replicate', 'api-key': 'r8_token' };

describe('inputs for fal', () => {
  it('defaults to the FLUX.1 [dev] fast trainer, 1000 steps, fal’s real hosts', async () => {
    const c = await config(FAL);
    expect(c.provider).toBe('fal');
    expect(c.apiUrl).toBe('');
    expect(c.settings).toEqual({
      provider: 'fal',
      instancePrompt: 'photo of TOK',
      triggerWord: 'TOK',
      captioning: true,
      baseModel: 'FLUX_DEV',
      theme: 'GENERAL',
      isPublic: false,
      iterations: 1000,
      learningRate: undefined,
    });
  });

  it('takes FLUX_2_DEV with its learning rate and steps in hundreds', async () => {
    const c = await config({
      ...FAL,
      'base-model': 'flux_2_dev',
      iterations: '2500',
      'learning-rate': '0.0001',
    });
    expect(c.settings).toMatchObject({
      baseModel: 'FLUX_2_DEV',
      iterations: 2500,
      learningRate: 0.0001,
    });
    expect((await config({ ...FAL, 'base-model': 'FLUX_2_DEV' })).settings.learningRate).toBe(
      0.00005,
    );
  });

  it.each([
    [
      { 'lora-rank': '16' },
      /`lora-rank` is "16", but fal does not offer it: its trainers choose the LoRA rank themselves/,
    ],
    [{ priority: 'SPEED' }, /`priority` is "SPEED", but fal does not offer it/],
    [{ 'finetune-type': 'LORA' }, /`finetune-type` is "LORA", but fal does not offer it/],
    [{ public: 'false' }, /`public` is "false", but fal does not offer it/],
    [{ destination: 'me/m' }, /`destination` is "me\/m", but fal does not offer it.*Replicate/],
    [
      { 'learning-rate': '0.001' },
      /`learning-rate` is "0.001", but fal does not offer it: its fast trainer/,
    ],
    [
      { 'base-model': 'FLUX_PRO' },
      /`base-model` is "FLUX_PRO": expected one of FLUX_DEV, FLUX_2_DEV/,
    ],
    [{ iterations: '0' }, /`iterations` is "0": expected a whole number of steps from 1 to 10,000/],
    [{ iterations: '10001' }, /`iterations` is "10001"/],
    [{ 'base-model': 'FLUX_2_DEV', iterations: '150' }, /`iterations` is "150".*a multiple of 100/],
    [{ 'base-model': 'FLUX_2_DEV', theme: 'style' }, /`theme` is "STYLE".*takes only GENERAL/],
    [
      { command: 'set-access', 'finetune-id': 'x' },
      /`command` is "set-access": fal has no `set-access`/,
    ],
  ])('refuses %j, naming the input and why', async (values, pattern) => {
    expect(await failure({ ...FAL, ...values })).toMatch(pattern);
  });

  it('asks for the fal key by its secret’s name when it is missing', async () => {
    expect(await failure({ provider: 'fal' })).toMatch(
      /needs a fal API key.*secrets\.FAL_KEY.*fal dashboard/s,
    );
  });

  it('masks both halves of a key_id:key_secret key', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await config({ ...FAL, 'api-key': 'keyid-1234567:keysecret-89abcdef' });
      const masked = write.mock.calls.map(([line]) => String(line).trim());
      expect(masked).toContain('::add-mask::keyid-1234567');
      expect(masked).toContain('::add-mask::keysecret-89abcdef');
    } finally {
      write.mockRestore();
    }
  });
});

describe('inputs for Replicate', () => {
  it('defaults to ostris/flux-dev-lora-trainer’s own: 1000 steps, rank 16, 0.0004', async () => {
    const c = await config(REPLICATE);
    expect(c.apiUrl).toBe('https://api.replicate.com');
    expect(c.settings).toMatchObject({
      provider: 'replicate',
      baseModel: 'FLUX_DEV',
      iterations: 1000,
      loraRank: 16,
      learningRate: 0.0004,
      isPublic: false,
      destination: '',
    });
  });

  it.each([
    [
      { theme: 'STYLE' },
      /`theme` is "STYLE": Replicate’s trainer takes no theme \(only GENERAL\): remove the line/,
    ],
    [{ 'lora-rank': '129' }, /`lora-rank` is "129": expected a whole number from 1 to 128/],
    [{ iterations: '2' }, /`iterations` is "2": expected a whole number of steps from 3 to 6,000/],
    [{ destination: 'Me/Model' }, /`destination` is "Me\/Model": expected owner\/name/],
    [{ priority: 'QUALITY' }, /`priority` is "QUALITY", but Replicate does not offer it/],
    [{ command: 'set-access', 'finetune-id': 'x' }, /Replicate has no `set-access`/],
  ])('refuses %j', async (values, pattern) => {
    expect(await failure({ ...REPLICATE, ...values })).toMatch(pattern);
  });
});

describe('inputs for Segmind', () => {
  it('has no cancel: Segmind’s API cannot stop a fine-tune', async () => {
    expect(await failure({ 'api-key': 'k', command: 'cancel', 'finetune-id': 'x' })).toMatch(
      /`command` is "cancel": Segmind has no `cancel`: Segmind’s API has no way to stop a fine-tune/,
    );
  });

  it('refuses destination, which names a Replicate model', async () => {
    expect(await failure({ 'api-key': 'k', destination: 'me/m' })).toMatch(
      /`destination` is "me\/m", but Segmind does not offer it/,
    );
  });

  it('needs a finetune-id for cancel, on the providers that have it', async () => {
    expect(await failure({ ...FAL, command: 'cancel' })).toMatch(
      /`finetune-id` is empty.*`command: cancel`/,
    );
  });
});
