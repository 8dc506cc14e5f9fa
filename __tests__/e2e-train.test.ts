import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readZip } from './helpers/zip.js';
import {
  API_KEY,
  apiRequests,
  failureOf,
  link,
  run,
  sampleDataset,
  simulator,
  workspace,
} from './helpers/e2e.js';
import { GIF, jpeg, png } from './helpers/images.js';

const TLS_CERT = path.join(import.meta.dirname, 'fixtures/tls/cert.pem');
const TLS_KEY = path.join(import.meta.dirname, 'fixtures/tls/key.pem');

describe('train, end to end (dist/index.js against the simulator)', () => {
  it('uploads, submits every field with the documented types, and sets the outputs', async () => {
    const sim = await simulator();
    const ws = await workspace(sampleDataset());
    const result = await run(sim, ws, {
      'trigger-word': 'ZQX',
      theme: 'character',
      iterations: '150',
      'lora-rank': '16',
      'finetune-type': 'lora',
      priority: 'speed',
      captioning: 'false',
      public: 'true',
      'instance-prompt': 'a portrait of ZQX',
    });
    expect(result.code, result.stdout).toBe(0);

    expect(apiRequests(sim)).toEqual([
      'GET /finetune/request/list',
      'GET /finetune/request/upload/pre-signed-url',
      'POST /finetune/request/submit',
    ]);
    const job = [...sim.jobs.values()][0]!;
    expect(sim.jobs.size).toBe(1);
    expect(job.submitted).toEqual({
      name: result.outputs.name,
      data_source_path: result.outputs['dataset-url'],
      instance_prompt: 'a portrait of ZQX',
      trigger_word: 'ZQX',
      base_model: 'FLUX_PRO',
      theme: 'CHARACTER',
      segmind_public: true,
      advance_parameters: {
        iterations: 150,
        captioning: false,
        priority: 'SPEED',
        finetune_type: 'LORA',
        lora_rank: 16,
        learning_rate: 0.0001,
      },
    });
    expect(result.outputs['finetune-id']).toBe(job.finetune_id);
    expect(result.outputs.status).toBe('REQUESTED');
    expect(result.outputs.reused).toBe('false');
    expect(result.outputs.name).toMatch(/^flux-models-[0-9a-f]{12}$/);
    expect(result.outputs['image-count']).toBe('3');
    expect(result.outputs['caption-count']).toBe('2');

    // The ZIP Segmind got: root entries, sorted, the hash and size the outputs claim.
    const uploaded = sim.uploads.get(result.outputs['dataset-url']!)!;
    expect(uploaded.length).toBe(Number(result.outputs['zip-bytes']));
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(uploaded).digest('hex')).toBe(
      result.outputs['dataset-sha256'],
    );
    expect([...(await readZip(uploaded)).keys()]).toEqual([
      'a.jpg',
      'a.txt',
      'b.png',
      'b.txt',
      'c.JPEG',
    ]);
    // The [trigger] placeholder became the trigger word.
    expect(uploaded.includes(Buffer.from('a photo of ZQX on a beach'))).toBe(true);

    // The upload: streamed with a length, as a ZIP, with no Segmind key; the key on every API call.
    const put = sim.requests.find((r) => r.server === 'storage')!;
    expect(put.headers['content-length']).toBe(result.outputs['zip-bytes']);
    expect(put.headers['transfer-encoding']).toBeUndefined();
    expect(put.headers['content-type']).toBe('application/zip');
    expect(sim.apiKeyLeakedToStorage).toBe(false);
    expect(
      sim.requests
        .filter((r) => r.server === 'api')
        .every((r) => r.headers['x-api-key'] === API_KEY),
    ).toBe(true);
    expect(
      JSON.parse(sim.requests.find((r) => r.path.includes('pre-signed'))!.body.toString()),
    ).toEqual({ name: `${result.outputs.name}.zip` });

    // The key and the pre-signed URL are masked before use, never printed bare.
    expect(result.stdout).toContain(`::add-mask::${API_KEY}`);
    const unmasked = result.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::'));
    expect(unmasked.join('\n')).not.toContain('X-Amz-Signature');
    expect(unmasked.join('\n')).not.toContain(API_KEY);

    // The summary, and nothing left in RUNNER_TEMP.
    expect(result.summary).toContain(job.finetune_id);
    expect(result.summary).toMatch(/\| Images \| 3 \|/);
    expect(result.tempLeft).toEqual([]);
  });

  it('accepts a submit answer that names request_id instead of finetune_id', async () => {
    const sim = await simulator({ submitIdField: 'request_id' });
    const result = await run(sim, await workspace(sampleDataset()));
    expect(result.code, result.stdout).toBe(0);
    expect(result.outputs['finetune-id']).toBe([...sim.jobs.values()][0]!.finetune_id);
  });

  it('derives the same name from the same dataset and adopts the existing job instead of paying twice', async () => {
    const sim = await simulator();
    const ws = await workspace(sampleDataset());
    const first = await run(sim, ws);
    expect(first.code, first.stdout).toBe(0);
    const before = sim.requests.length;
    const second = await run(sim, ws);
    expect(second.code, second.stdout).toBe(0);
    expect(second.outputs.reused).toBe('true');
    expect(second.outputs.name).toBe(first.outputs.name);
    expect(second.outputs['finetune-id']).toBe(first.outputs['finetune-id']);
    expect(sim.jobs.size).toBe(1);
    expect(sim.requests.slice(before).map((r) => `${r.method} ${r.path.split('?')[0]}`)).toEqual([
      'GET /finetune/request/list',
    ]);
  });

  it('trains anew when a setting changes, and never adopts a failed job of the same name', async () => {
    const sim = await simulator();
    const ws = await workspace(sampleDataset());
    const first = await run(sim, ws);
    expect(first.code, first.stdout).toBe(0);
    const changed = await run(sim, ws, { iterations: '400' });
    expect(changed.code, changed.stdout).toBe(0);
    expect(changed.outputs.name).not.toBe(first.outputs.name);
    expect(changed.outputs.reused).toBe('false');
    sim.addJob({
      name: 'fixed-name',
      status: 'TRAINING_INITIATED',
      error_message: 'dataset unreadable',
    });
    const named = await run(sim, ws, { name: 'fixed-name' });
    expect(named.code, named.stdout).toBe(0);
    expect(named.outputs.reused).toBe('false');
    expect(sim.jobs.size).toBe(4);
  });

  it('dry-run builds and reports without a key and sends nothing to Segmind', async () => {
    const sim = await simulator();
    const result = await run(undefined, await workspace(sampleDataset()), {
      'dry-run': 'true',
      'api-url': sim.url,
    });
    expect(result.code, result.stdout).toBe(0);
    expect(sim.requests).toEqual([]);
    expect(result.outputs['image-count']).toBe('3');
    expect(result.outputs['dataset-sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(result.outputs.name).toMatch(/^flux-models-/);
    expect(result.outputs['finetune-id']).toBeUndefined();
    expect(result.summary).toMatch(/dry run, the dataset is ready to train/);
    expect(result.tempLeft).toEqual([]);
  });

  it.each([
    ['a bad enum', { theme: 'portrait' }, /`theme` is "portrait"/],
    ['a low iteration count', { iterations: '50' }, /`iterations` is "50".*at least 100/],
    ['a bad boolean', { 'dry-run': 'yes' }, /`dry-run` is "yes"/],
    ['no api key', { 'api-key': '' }, /`api-key` is empty.*forks/s],
    ['an http dataset-url', { 'dataset-url': 'http://example.com/x.zip' }, /https/],
    ['a max-zip-mb over 100', { 'max-zip-mb': '150' }, /`max-zip-mb` is "150"/],
  ])('fails on %s before any file work or request', async (_what, inputs, pattern) => {
    const sim = await simulator();
    const result = await run(sim, await workspace(sampleDataset()), inputs);
    expect(result.code).toBe(1);
    expect(failureOf(result)).toMatch(pattern);
    expect(sim.requests).toEqual([]);
    // No file was read: no dataset figure was reported, no ZIP was built.
    expect(result.outputs['image-count']).toBeUndefined();
    expect(result.stdout).not.toMatch(/Dataset ZIP:/);
    expect(result.tempLeft).toEqual([]);
  });

  it('refuses a ZIP at or over max-zip-mb before uploading, with the size, the limit and what to do', async () => {
    const sim = await simulator();
    const ws = await workspace({
      'dataset/big.png': png(700, 700, 3),
      'dataset/small.jpg': jpeg(600, 600),
    });
    const result = await run(sim, ws, { 'max-zip-mb': '1' });
    expect(result.code).toBe(1);
    expect(failureOf(result)).toMatch(
      /would be 1\.\d\d MB \(\d+ bytes\); it must be under 1\.00 MB.*fewer or smaller images/s,
    );
    expect(sim.requests).toEqual([]);
    expect(result.tempLeft).toEqual([]);
  });

  it('refuses symbolic links and names them, reading and sending nothing', async () => {
    const sim = await simulator();
    const ws = await workspace(sampleDataset());
    await link(ws, 'dataset/photo.jpg', '/proc/self/environ');
    await link(ws, 'dataset/photo.txt', '../.git/config');
    const result = await run(sim, ws);
    expect(result.code).toBe(1);
    const failure = failureOf(result);
    expect(failure).toMatch(/dataset\/photo\.jpg is a symbolic link \(to \/proc\/self\/environ\)/);
    expect(failure).toMatch(/dataset\/photo\.txt is a symbolic link/);
    expect(sim.requests).toEqual([]);
  });

  it('skips hidden files and macOS debris silently, and notices other files once', async () => {
    const sim = await simulator();
    const ws = await workspace({
      ...sampleDataset(),
      'dataset/.DS_Store': 'x',
      'dataset/.hidden/x.jpg': 'not an image but hidden',
      'dataset/__MACOSX/._a.jpg': 'resource fork',
      'dataset/._b.png': 'apple double',
      'dataset/notes.md': '# notes',
      'dataset/model.yaml': 'a: 1',
    });
    const result = await run(sim, ws, { 'dry-run': 'true' });
    expect(result.code, result.stdout).toBe(0);
    expect(result.outputs['image-count']).toBe('3');
    const notices = result.stdout.split('\n').filter((l) => l.startsWith('::notice'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/dataset\/model\.yaml, dataset\/notes\.md/);
    expect(result.stdout).not.toMatch(/DS_Store|__MACOSX|\._a/);
  });

  it('fails listing every file with an image extension that is no readable image', async () => {
    const ws = await workspace({
      ...sampleDataset(),
      'dataset/fake.jpg': 'hello',
      'dataset/anim.png': GIF,
      'dataset/empty.webp': '',
    });
    const result = await run(undefined, ws, { 'dry-run': 'true' });
    expect(result.code).toBe(1);
    const failure = failureOf(result);
    expect(failure).toMatch(/3 dataset files/);
    expect(failure).toMatch(/dataset\/fake\.jpg \(not an image\)/);
    expect(failure).toMatch(/dataset\/anim\.png \(a GIF image\)/);
    expect(failure).toMatch(/dataset\/empty\.webp \(empty\)/);
    expect(result.tempLeft).toEqual([]);
  });

  it('warns about an image whose content is another kind than its extension says', async () => {
    const ws = await workspace({ 'dataset/really-png.jpg': png(20, 20) });
    const result = await run(undefined, ws, { 'dry-run': 'true' });
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toMatch(
      /::warning [^:]*file=dataset\/really-png\.jpg[^:]*::.*is a PNG image named \.jpg/,
    );
  });

  it('fails when two files would get the same name in the ZIP, naming both', async () => {
    const ws = await workspace({
      'dataset/cats/1.jpg': jpeg(600, 600),
      'dataset/dogs/1.jpg': jpeg(600, 600),
    });
    const result = await run(undefined, ws, { 'dry-run': 'true' });
    expect(result.code).toBe(1);
    expect(failureOf(result)).toMatch(
      /dataset\/cats\/1\.jpg and dataset\/dogs\/1\.jpg would both be 1\.jpg/,
    );
  });

  it('fails with what to do when no image matches', async () => {
    const ws = await workspace({ 'dataset/readme.txt': 'nothing here' });
    const result = await run(undefined, ws, { 'dry-run': 'true' });
    expect(result.code).toBe(1);
    expect(failureOf(result)).toMatch(
      /No images found for dataset patterns: dataset\/\*\*.*actions\/checkout/s,
    );
  });

  it('honours exclude patterns', async () => {
    const ws = await workspace({ ...sampleDataset(), 'dataset/raw/huge.png': png(10, 10) });
    const result = await run(undefined, ws, {
      'dry-run': 'true',
      dataset: 'dataset/**\n!dataset/raw/**',
    });
    expect(result.outputs['image-count']).toBe('3');
  });

  it('says the key was rejected on a 401, naming the endpoint and status', async () => {
    const sim = await simulator();
    const result = await run(sim, await workspace(sampleDataset()), { 'api-key': 'wrong-key' });
    expect(result.code).toBe(1);
    expect(failureOf(result)).toMatch(
      /Segmind GET \/finetune\/request\/list answered HTTP 401: .*\n.*rejected the API key/,
    );
    expect(apiRequests(sim)).toEqual(['GET /finetune/request/list']);
    expect(
      result.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n'),
    ).not.toContain('wrong-key');
  });

  describe('dataset-url', () => {
    const tlsEnv = { NODE_EXTRA_CA_CERTS: TLS_CERT };

    it('checks the public ZIP with HEAD and trains from it without uploading', async () => {
      const sim = await simulator({
        tls: { key: await readFile(TLS_KEY), cert: await readFile(TLS_CERT) },
      });
      const zipUrl = sim.addPublicFile('/datasets/mugs.zip', await smallZip());
      const result = await run(sim, await workspace(), { 'dataset-url': zipUrl }, { env: tlsEnv });
      expect(result.code, result.stdout).toBe(0);
      expect(result.outputs['dataset-url']).toBe(zipUrl);
      expect(sim.requests.filter((r) => r.server === 'storage')).toEqual([]);
      expect(sim.requests.some((r) => r.server === 'public' && r.method === 'HEAD')).toBe(true);
      expect([...sim.jobs.values()][0]!.submitted!.data_source_path).toBe(zipUrl);
      expect(sim.apiKeyLeakedToPublic).toBe(false);
    });

    it('fails with the status when HEAD does not answer 200, and submits nothing', async () => {
      const sim = await simulator({
        tls: { key: await readFile(TLS_KEY), cert: await readFile(TLS_CERT) },
      });
      const zipUrl = sim.addPublicFile('/datasets/gone.zip', await smallZip(), { headStatus: 404 });
      const result = await run(sim, await workspace(), { 'dataset-url': zipUrl }, { env: tlsEnv });
      expect(result.code).toBe(1);
      expect(failureOf(result)).toMatch(
        /answered HTTP 404; Segmind trains from a public dataset ZIP, which answers 200/,
      );
      expect(apiRequests(sim)).toEqual([]);
    });

    it('fails naming the missing Content-Length', async () => {
      const sim = await simulator({
        tls: { key: await readFile(TLS_KEY), cert: await readFile(TLS_CERT) },
      });
      const zipUrl = sim.addPublicFile('/datasets/chunked.zip', await smallZip(), {
        omitContentLength: true,
      });
      const result = await run(sim, await workspace(), { 'dataset-url': zipUrl }, { env: tlsEnv });
      expect(result.code).toBe(1);
      expect(failureOf(result)).toMatch(/without a Content-Length header/);
      expect(apiRequests(sim)).toEqual([]);
    });

    it('fails when the ZIP is not under max-zip-mb', async () => {
      const sim = await simulator({
        tls: { key: await readFile(TLS_KEY), cert: await readFile(TLS_CERT) },
      });
      const zipUrl = sim.addPublicFile('/datasets/big.zip', Buffer.alloc(1_000_000));
      const result = await run(
        sim,
        await workspace(),
        { 'dataset-url': zipUrl, 'max-zip-mb': '1' },
        { env: tlsEnv },
      );
      expect(result.code).toBe(1);
      expect(failureOf(result)).toMatch(/is 1\.00 MB \(1000000 bytes\); it must be under 1\.00 MB/);
      expect(apiRequests(sim)).toEqual([]);
    });
  });
});

async function smallZip(): Promise<Buffer> {
  const { mkdtemp, writeFile: write, readFile: read, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { writeZip } = await import('../src/dataset/zip.js');
  const dir = await mkdtemp(path.join(tmpdir(), 'small-zip-'));
  try {
    await write(path.join(dir, 'a.jpg'), jpeg(600, 600));
    await writeZip(
      [
        {
          name: 'a.jpg',
          source: {
            file: path.join(dir, 'a.jpg'),
            bytes: (await import('node:fs')).statSync(path.join(dir, 'a.jpg')).size,
          },
        },
      ],
      path.join(dir, 'd.zip'),
    );
    return await read(path.join(dir, 'd.zip'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
