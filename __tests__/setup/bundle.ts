// Global setup of the end-to-end tests: they run the action as the runner does, from a bundle,
// and that bundle must be the one of the current source, or an edit to src/ would go untested.
//
// - dist/ carries the hash of the source it was built from (dist/source-hash.txt, written by
//   `npm run bundle`): when it matches the tree, dist/ is tested as it is, at no cost. That is
//   the case in CI and after `npm run bundle`.
// - Otherwise a bundle is built from the current source once, into
//   node_modules/.cache/action-bundle/<hash>, and reused while the source stays the same. A build
//   takes 20 to 60 s on a two-core machine (too long to pay on every run: the suite itself takes
//   about 30 s), so it is paid only after an edit.
// ACTION_ENTRY, when set, names a bundle to test instead, and nothing is built.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { ROOT } from '../../scripts/action-runner.js';
import { distHash, sourceHash } from '../../scripts/source-hash.js';

const CACHE = path.join(ROOT, 'node_modules', '.cache', 'action-bundle');

function ncc(outDir: string): Promise<void> {
  const cli = path.join(ROOT, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
  return node(cli, 'build', 'src/index.ts', '-o', outDir, '--quiet');
}

function node(...args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (c) => (log += c));
    child.stderr.on('data', (c) => (log += c));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(
            new Error(
              `Building the bundle for the end-to-end tests failed (${path.basename(args[0]!)} exit ${code}):\n${log}`,
            ),
          ),
    );
  });
}

export default async function setup(): Promise<void> {
  if (process.env.ACTION_ENTRY) return;
  const hash = await sourceHash();
  if ((await distHash()) === hash && existsSync(path.join(ROOT, 'dist', 'index.js'))) {
    process.env.ACTION_ENTRY = path.join(ROOT, 'dist', 'index.js');
    return;
  }
  const dir = path.join(CACHE, hash);
  const entry = path.join(dir, 'index.js');
  if (!existsSync(entry)) {
    console.log(
      `dist/ is not the bundle of the current source: building one for the end-to-end tests in ${path.relative(ROOT, dir)} (20 s or more on a busy two-core machine; \`npm run bundle\` makes dist/ current instead).`,
    );
    await mkdir(CACHE, { recursive: true });
    // Built beside its final place and renamed in, so a run stopped half-way leaves no
    // half-built bundle that a later run would take for a finished one.
    const building = `${dir}.building-${process.pid}`;
    try {
      await ncc(building);
      await node(path.join(ROOT, 'scripts', 'ascii-bundle.js'), building);
      // The codec beside it, as `npm run bundle` puts it in dist/codec.
      await node(path.join(ROOT, 'scripts', 'bundle-codec.js'), building);
      await rm(dir, { recursive: true, force: true });
      await rename(building, dir);
    } finally {
      await rm(building, { recursive: true, force: true });
    }
    // Only the latest build is kept.
    for (const old of await readdir(CACHE)) {
      if (old !== hash && /^[0-9a-f]{16}$/.test(old)) {
        await rm(path.join(CACHE, old), { recursive: true, force: true });
      }
    }
  }
  // Read by runAction (scripts/action-runner.js) in every test worker.
  process.env.ACTION_ENTRY = entry;
}
