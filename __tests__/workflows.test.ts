// The example workflows (examples/workflows/) and the repository's own (.github/workflows/) are
// documentation users copy: they must parse, use only inputs the action declares, say what the
// token may do, keep secrets in secrets and untrusted values out of shell scripts.
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readActionInputs, ROOT } from '../scripts/action-runner.js';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  permissions?: unknown;
  steps?: Step[];
  strategy?: { matrix?: unknown };
  concurrency?: unknown;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: unknown;
  jobs: Record<string, Job>;
}

async function workflows(dir: string): Promise<Map<string, Workflow>> {
  const out = new Map<string, Workflow>();
  for (const file of (await readdir(path.join(ROOT, dir))).sort()) {
    if (!file.endsWith('.yml')) continue;
    out.set(file, parse(await readFile(path.join(ROOT, dir, file), 'utf8')) as Workflow);
  }
  return out;
}

const isOurs = (step: Step): boolean =>
  step.uses === './' || /segmind-flux-finetune-action@/.test(step.uses ?? '');

const ourSteps = (wf: Workflow): Step[] =>
  Object.values(wf.jobs).flatMap((job) => (job.steps ?? []).filter(isOurs));

describe('example workflows', async () => {
  const examples = await workflows('examples/workflows');
  const inputs = Object.keys(await readActionInputs());
  // The README, and the pages under docs/ it links to.
  const docs = [
    await readFile(path.join(ROOT, 'README.md'), 'utf8'),
    ...(await Promise.all(
      (await readdir(path.join(ROOT, 'docs')))
        .filter((f) => f.endsWith('.md'))
        .map((f) => readFile(path.join(ROOT, 'docs', f), 'utf8')),
    )),
  ].join('\n');

  it('cover what the README promises', () => {
    expect([...examples.keys()]).toEqual([
      'dispatch.yml',
      'matrix.yml',
      'pr-validate.yml',
      'publish.yml',
      'retrain-on-push.yml',
      'status.yml',
      'train-and-release.yml',
      'train.yml',
    ]);
    const retrain = examples.get('retrain-on-push.yml')!;
    expect(retrain.on.push).toMatchObject({ paths: ['dataset/**'] });
    expect(retrain.concurrency).toMatchObject({ 'cancel-in-progress': false });
    expect(ourSteps(examples.get('pr-validate.yml')!)[0]!.with!['dry-run']).toBe(true);
    expect(examples.get('matrix.yml')!.jobs.train!.strategy!.matrix).toBeTruthy();
    expect(examples.get('dispatch.yml')!.on.workflow_dispatch).toHaveProperty('inputs');
    expect(ourSteps(examples.get('status.yml')!)[0]!.with!.command).toBe('download');
    expect(ourSteps(examples.get('publish.yml')!)[0]!.with!.command).toBe('set-access');
    const release = examples.get('train-and-release.yml')!;
    expect(release.on.push).toMatchObject({ paths: ['dataset/**'] });
    expect(ourSteps(release)[0]!.with).toMatchObject({
      'wait-for': 'TRAINING_COMPLETED',
      'download-model': 'models/model.safetensors',
    });
    expect(release.permissions).toEqual({ contents: 'write' });
    const script = release.jobs.train!.steps!.map((s) => s.run ?? '').join('\n');
    expect(script).toMatch(/^\s*gh release upload "\$tag" "\$MODEL_PATH"/m);
    expect(script).toMatch(/^\s*# huggingface-cli upload /m);
  });

  for (const [file, wf] of examples) {
    it(`${file}: only declared inputs, permissions stated, secrets from secrets, explained in the docs`, () => {
      const steps = ourSteps(wf);
      expect(steps.length, 'uses the action').toBeGreaterThan(0);
      for (const step of steps) {
        for (const name of Object.keys(step.with ?? {})) expect(inputs).toContain(name);
        // The key comes from the secret of the step's provider (or, where the provider is chosen
        // at run time, from one of them).
        const key = step.with?.['api-key'];
        if (key !== undefined) {
          const secret = { fal: 'FAL_KEY', replicate: 'REPLICATE_API_TOKEN' }[
            String(step.with?.provider ?? 'segmind')
          ];
          if (secret || step.with?.provider === undefined) {
            expect(key).toBe(`\${{ secrets.${secret ?? 'SEGMIND_API_KEY'} }}`);
          } else {
            expect(String(key)).toMatch(/secrets\.(FAL_KEY|REPLICATE_API_TOKEN|SEGMIND_API_KEY)/);
          }
        }
      }
      expect(wf.permissions, 'top-level permissions').toBeDefined();
      // A workflow that runs on pull requests and comments needs pull-requests: write.
      const comments =
        'pull_request' in wf.on && steps.some((s) => s.with?.['pr-comment'] !== false);
      if (comments) expect(wf.permissions?.['pull-requests']).toBe('write');
      else expect(wf.permissions?.['pull-requests']).toBeUndefined();
      expect(docs).toContain(`examples/workflows/${file}`);
    });
  }
});

describe('all workflows', async () => {
  const all = new Map([
    ...[...(await workflows('examples/workflows'))].map(([f, w]) => [`examples/${f}`, w] as const),
    ...[...(await workflows('.github/workflows'))].map(([f, w]) => [`.github/${f}`, w] as const),
  ]);

  it('never put an expression inside a shell script (values go through env:)', () => {
    for (const [file, wf] of all) {
      for (const job of Object.values(wf.jobs)) {
        for (const step of job.steps ?? []) {
          if (step.run) expect(step.run, file).not.toMatch(/\$\{\{/);
        }
      }
    }
  });
});

describe("the repository's own CI", async () => {
  const ci = (await workflows('.github/workflows')).get('ci.yml')!;

  it('runs the tests, lint, the dist check, and the action itself on examples/ in dry-run mode', () => {
    const runs = Object.values(ci.jobs)
      .flatMap((job) => job.steps ?? [])
      .map((s) => s.run ?? '');
    expect(runs).toContain('npm test');
    expect(runs).toContain('npm run lint');
    expect(runs).toContain('npm run typecheck');
    expect(runs).toContain('npm run bundle');
    const self = ourSteps(ci).find((s) => s.uses === './');
    expect(self?.with).toMatchObject({ 'dry-run': true, dataset: 'examples/dataset/**' });
    expect(ci.permissions).toEqual({ contents: 'read' });
  });
});
