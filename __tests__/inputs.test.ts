import { describe, expect, it } from 'vitest';
import { readConfig } from '../src/inputs.js';
import { ActionError } from '../src/shared/errors.js';
import { readerWith } from './helpers/inputs.js';
import { DEFAULT_SETTINGS } from './helpers/settings.js';

const KEY = { 'api-key': 'k-123' };

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

describe('readConfig', () => {
  it('reads action.yml defaults into the documented settings', async () => {
    const c = await config(KEY);
    expect(c.command).toBe('train');
    expect(c.apiUrl).toBe('https://api.segmind.com');
    expect(c.datasetPatterns).toEqual(['dataset/**']);
    expect(c.settings).toEqual(DEFAULT_SETTINGS);
    expect(c.waitFor).toBe('none');
    expect(c.waitTimeoutMs).toBe(120 * 60_000);
    expect(c.pollIntervalMs).toBe(30_000);
    expect(c.maxZipBytes).toBe(100_000_000);
    expect(c.dryRun).toBe(false);
    expect(c.prComment).toBe(true);
    expect(c.maxImageSide).toBe(2048);
    expect(c.stripMetadata).toBe(true);
  });

  it('reads max-image-side 0 (never resize), its bounds, and strip-metadata false', async () => {
    expect((await config({ ...KEY, 'max-image-side': '0' })).maxImageSide).toBe(0);
    expect((await config({ ...KEY, 'max-image-side': '512' })).maxImageSide).toBe(512);
    expect((await config({ ...KEY, 'max-image-side': '8192' })).maxImageSide).toBe(8192);
    expect((await config({ ...KEY, 'strip-metadata': 'false' })).stripMetadata).toBe(false);
  });

  it('accepts enum values in any case and YAML booleans', async () => {
    const c = await config({
      ...KEY,
      theme: 'style',
      priority: 'high_res_only',
      'finetune-type': 'lora',
      'wait-for': 'available',
      public: 'True',
      captioning: 'FALSE',
      command: 'LIST',
    });
    expect(c.settings.theme).toBe('STYLE');
    expect(c.settings.priority).toBe('HIGH_RES_ONLY');
    expect(c.settings.finetuneType).toBe('LORA');
    expect(c.waitFor).toBe('AVAILABLE');
    expect(c.settings.isPublic).toBe(true);
    expect(c.settings.captioning).toBe(false);
    expect(c.command).toBe('list');
  });

  it('defaults the learning rate by fine-tune type and the instance prompt by trigger word', async () => {
    expect((await config({ ...KEY, 'finetune-type': 'LORA' })).settings.learningRate).toBe(0.0001);
    expect((await config({ ...KEY, 'learning-rate': '0.0005' })).settings.learningRate).toBe(
      0.0005,
    );
    expect((await config({ ...KEY, 'trigger-word': 'ZXQ' })).settings.instancePrompt).toBe(
      'photo of ZXQ',
    );
  });

  it('splits dataset patterns by line, dropping blanks and comments', async () => {
    const c = await config({ ...KEY, dataset: 'a/**\n\n# note\n!a/raw/**\n  b/*.png  ' });
    expect(c.datasetPatterns).toEqual(['a/**', '!a/raw/**', 'b/*.png']);
  });

  it('converts decimals: minutes, seconds and MB', async () => {
    const c = await config({
      ...KEY,
      'wait-timeout-minutes': '0.5',
      'poll-interval-seconds': '1.5',
      'max-zip-mb': '2.5',
    });
    expect(c.waitTimeoutMs).toBe(30_000);
    expect(c.pollIntervalMs).toBe(1500);
    expect(c.maxZipBytes).toBe(2_500_000);
  });

  it.each([
    ['command', 'deploy', /`command` is "deploy".*train, status, list, set-access/],
    ['theme', 'portrait', /`theme` is "portrait".*CHARACTER, PRODUCT, STYLE, GENERAL/],
    ['iterations', '99', /`iterations` is "99".*at least 100/],
    ['iterations', '300.5', /`iterations` is "300.5".*whole number/],
    ['iterations', '0x200', /`iterations` is "0x200"/],
    ['learning-rate', '-1', /`learning-rate` is "-1".*positive/],
    ['learning-rate', 'fast', /`learning-rate` is "fast"/],
    ['lora-rank', '8', /`lora-rank` is "8".*16 or 32/],
    ['priority', 'cheap', /`priority` is "cheap"/],
    ['finetune-type', 'partial', /`finetune-type` is "partial"/],
    ['wait-for', 'DONE', /`wait-for` is "DONE".*none, TRAINING_COMPLETED, AVAILABLE/],
    ['wait-timeout-minutes', '0', /`wait-timeout-minutes` is "0"/],
    ['poll-interval-seconds', '0.5', /`poll-interval-seconds` is "0.5".*from 1 to 3600/],
    ['poll-interval-seconds', '3601', /`poll-interval-seconds` is "3601".*from 1 to 3600/],
    ['max-zip-mb', '101', /`max-zip-mb` is "101".*1 to 100/],
    ['max-zip-mb', '0', /`max-zip-mb` is "0"/],
    ['max-image-side', '511', /`max-image-side` is "511".*512 to 8192, or 0 to never resize/],
    ['max-image-side', '8193', /`max-image-side` is "8193".*512 to 8192/],
    ['max-image-side', '1024.5', /`max-image-side` is "1024.5"/],
    ['max-image-side', '-1', /`max-image-side` is "-1"/],
    ['max-image-side', 'big', /`max-image-side` is "big"/],
    ['max-image-side', '', /`max-image-side` is empty/],
    ['strip-metadata', 'no', /`strip-metadata` is "no".*YAML boolean/],
    ['dry-run', 'yes', /`dry-run` is "yes".*YAML boolean/],
    ['captioning', 'on', /`captioning` is "on"/],
    ['pr-comment', '1', /`pr-comment` is "1"/],
    ['public', 'maybe', /`public` is "maybe"/],
    ['api-url', 'ftp://x', /`api-url` is "ftp:\/\/x"/],
    [
      'dataset-url',
      'http://example.com/d.zip',
      /`dataset-url` is "http:\/\/example.com\/d.zip".*https/,
    ],
    ['dataset', '../secrets/**', /`dataset` is "..\/secrets\/\*\*".*may not leave/],
    ['dataset', '/etc/**', /`dataset` is "\/etc\/\*\*"/],
    ['name', 'my job!', /`name` is "my job!".*letters, digits/],
    ['trigger-word', '  ', /`trigger-word` is empty/],
    // Plain http anywhere but loopback would send the key in clear.
    ['api-url', 'http://api.segmind.com', /`api-url` is "http:\/\/api\.segmind\.com".*in clear/],
    ['api-url', 'http://10.0.0.5:8080', /only allowed to a loopback host.*in clear to 10\.0\.0\.5/],
    ['api-url', 'http://localhost.attacker.example', /in clear/],
    ['api-url', 'http://[::2]', /in clear/],
    ['api-url', 'https://api.segmind.com\n::warning::x', /no spaces or control characters/],
    ['finetune-id', 'ft-1\n::warning::x', /`finetune-id` is "ft-1␊::warning::x".*one id/],
    // Numbers beyond what the API can mean.
    ['iterations', '1e21', /`iterations` is "1e21".*at most 100,000/],
    ['iterations', '100001', /`iterations` is "100001".*at most 100,000/],
    ['iterations', '9007199254740993', /`iterations` is "9007199254740993"/],
    ['learning-rate', '2', /`learning-rate` is "2".*up to 1/],
    ['learning-rate', '1e400', /`learning-rate` is "1e400"/],
    ['wait-timeout-minutes', '1e9', /`wait-timeout-minutes` is "1e9".*at most 50400/],
    ['max-zip-mb', '1e21', /`max-zip-mb` is "1e21"/],
    ['poll-interval-seconds', '1e21', /`poll-interval-seconds` is "1e21"/],
    // A newline in a URL would be dropped by the URL parser, and printed as a line of its own.
    [
      'dataset-url',
      'https://x.example/d.zip\n::warning::injected',
      /`dataset-url` is "https:\/\/x\.example\/d\.zip␊::warning::injected".*one line/,
    ],
  ])(
    'refuses %s: %s, naming the input, the value and what is allowed',
    async (input, value, pattern) => {
      expect(await failure({ ...KEY, [input]: value })).toMatch(pattern);
    },
  );

  it('lists every bad input at once', async () => {
    const text = await failure({ ...KEY, theme: 'x', iterations: '1', 'lora-rank': '3' });
    expect(text).toMatch(/^3 inputs are invalid/);
    expect(text).toMatch(/theme/);
    expect(text).toMatch(/iterations/);
    expect(text).toMatch(/lora-rank/);
  });

  it('needs an api-key except for a dry run, and says why forks have none', async () => {
    expect(await failure({})).toMatch(
      /`api-key` is empty.*secrets\.SEGMIND_API_KEY.*forks.*dry-run: true/s,
    );
    expect(await failure({ command: 'list' })).toMatch(/`command: list` needs a Segmind API key/);
    // A train on Segmind, the default: the empty key is not the only thing to change.
    expect(await failure({})).toMatch(/Segmind takes no new trainings.*`provider: fal`/s);
    expect(await failure({ command: 'list' })).not.toMatch(/Segmind takes no new trainings/);
    await expect(config({ 'dry-run': 'true' })).resolves.toMatchObject({
      dryRun: true,
      apiKey: '',
    });
  });

  it('has a dry run for train only: the other commands exist to talk to Segmind', async () => {
    for (const command of ['status', 'list', 'set-access']) {
      const text = await failure({ ...KEY, command, 'finetune-id': 'x', 'dry-run': 'true' });
      expect(text).toMatch(
        new RegExp(`\`dry-run\` is "true": only \`command: train\` has a dry run`),
      );
    }
  });

  it('rounds a fractional max-zip-mb up, so a ZIP smaller than the limit is never refused', async () => {
    expect((await config({ ...KEY, 'max-zip-mb': '1.0000005' })).maxZipBytes).toBe(1_000_001);
  });

  it('needs a finetune-id for status and set-access', async () => {
    expect(await failure({ ...KEY, command: 'status' })).toMatch(
      /`finetune-id` is empty.*`command: status`/,
    );
    expect(await failure({ ...KEY, command: 'set-access' })).toMatch(/`finetune-id` is empty/);
    await expect(
      config({ ...KEY, command: 'status', 'finetune-id': 'abc' }),
    ).resolves.toMatchObject({ finetuneId: 'abc' });
  });

  it('allows plain http only to a loopback host: 127.x, ::1, localhost', async () => {
    for (const url of [
      'http://127.0.0.1:8080',
      'http://127.8.9.10',
      'http://127.1',
      'http://[::1]:3000',
      'http://localhost:9000/api',
      'HTTP://LOCALHOST',
      'https://api.segmind.com',
      'https://proxy.internal:8443/segmind',
    ]) {
      expect((await config({ ...KEY, 'api-url': url })).apiUrl).toBe(url.replace(/\/+$/, ''));
    }
    expect((await config({ ...KEY, iterations: '100000' })).settings.iterations).toBe(100_000);
  });

  it('never repeats the api key in an error', async () => {
    expect(await failure({ 'api-key': 'sk-very-secret', theme: 'nope' })).not.toContain(
      'sk-very-secret',
    );
  });
});
