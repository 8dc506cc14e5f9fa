// What a newcomer meets first: the bundle run by hand, a local dry run of their own folder with
// the ZIP kept, and outputs written once each.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../scripts/action-runner.js';
import { NODE, failureOf, run, workspace } from './helpers/e2e.js';
import { falDataset } from './helpers/fal.js';
import { readZip } from './helpers/zip.js';

/** A process run to its end: exit code and what it printed. */
function runProcess(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, args, {
      cwd: options.cwd ?? ROOT,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const entry = () => process.env.ACTION_ENTRY ?? path.join(ROOT, 'dist', 'index.js');

describe('run outside a runner, and locally', () => {
  it('says what is missing when the bundle runs without the runner’s inputs, and how to try it locally', async () => {
    const ws = await workspace();
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(INPUT_|GITHUB_|RUNNER_)/.test(k)),
    );
    const result = await runProcess([entry()], { cwd: ws, env });
    expect(result.code).toBe(1);
    const failure = failureOf(result);
    expect(failure).toMatch(/None of the action’s inputs is set: there is no INPUT_\* variable/);
    expect(failure).toContain('npm run demo -- --dataset <folder>');
    expect(failure).not.toMatch(/inputs are invalid/);
  });

  it('a dry run with save-zip keeps the very ZIP it would upload', async () => {
    const ws = await workspace(falDataset(5));
    const result = await run(undefined, ws, {
      provider: 'fal',
      'dry-run': 'true',
      'save-zip': 'build/dataset.zip',
      captioning: 'false',
    });
    expect(result.code, result.stdout).toBe(0);
    expect(result.outputs['zip-path']).toBe('build/dataset.zip');
    const zip = await readFile(path.join(ws, 'build/dataset.zip'));
    expect(createHash('sha256').update(zip).digest('hex')).toBe(result.outputs['dataset-sha256']);
    expect(zip.length).toBe(Number(result.outputs['zip-bytes']));
    // The instance prompt written as the captions fal would otherwise lack is in it.
    expect((await readZip(zip)).get('p1.txt')!.data.toString()).toBe('photo of TOK');
    expect(await readdir(path.join(ws, 'build'))).toEqual(['dataset.zip']);
    expect(result.tempLeft).toEqual([]);
  });

  it('writes every output to GITHUB_OUTPUT once, though some are known twice', async () => {
    const ws = await workspace(falDataset(5));
    // The runner's file, read as the runner reads it: every line the action appended.
    const outputFile = path.join(await workspace(), 'github-output');
    await writeFile(outputFile, '');
    const result = await run(
      undefined,
      ws,
      { provider: 'fal', 'dry-run': 'true' },
      {
        env: { GITHUB_OUTPUT: outputFile },
      },
    );
    expect(result.code, result.stdout).toBe(0);
    const names = (await readFile(outputFile, 'utf8'))
      .split('\n')
      .map((line) => /^([a-z-]+)<</.exec(line)?.[1])
      .filter((name): name is string => name !== undefined);
    expect(names).toEqual(expect.arrayContaining(['image-count', 'caption-count', 'zip-bytes']));
    expect(names.filter((n) => n === 'image-count')).toHaveLength(1);
    expect(new Set(names).size).toBe(names.length);
  });

  it('npm run demo -- --dataset <folder>: a dry run of any folder, the ZIP saved next to it', async () => {
    const parent = await mkdtemp(path.join(tmpdir(), 'demo-dataset-'));
    try {
      await cp(path.join(ROOT, 'examples', 'dataset'), path.join(parent, 'my photos'), {
        recursive: true,
      });
      const result = await runProcess([
        path.join(ROOT, 'scripts', 'demo.js'),
        '--dataset',
        path.join(parent, 'my photos'),
        '--input',
        'trigger-word=MUGTOK',
      ]);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain('Ready to train.');
      expect(result.stdout).toMatch(/\*\*Cost:\*\* about \$2\.00/);
      const zipFile = path.join(parent, 'my photos.dataset.zip');
      expect(result.stdout).toContain(`The ZIP the action would upload is at ${zipFile}`);
      expect([...(await readZip(await readFile(zipFile))).keys()]).toContain('mug-1.png');
      expect((await readdir(parent)).sort()).toEqual(['my photos', 'my photos.dataset.zip']);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  it('the demo refuses an input action.yml does not have, and a folder that is not there', async () => {
    const bad = await runProcess([
      path.join(ROOT, 'scripts', 'demo.js'),
      '--dataset',
      ROOT,
      '--input',
      'steps=5',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--input steps: action.yml has no input of that name');
    const none = await runProcess([
      path.join(ROOT, 'scripts', 'demo.js'),
      '--dataset',
      path.join(ROOT, 'no-such-folder'),
    ]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/--dataset .*no-such-folder: no such folder/);
  });
});
