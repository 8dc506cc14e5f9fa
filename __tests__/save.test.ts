import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { saveCopy } from '../src/transfer/save.js';

// `save-zip`: the ZIP copied into the workspace, renamed into place once complete. A failure
// leaves the workspace as it was: no part file, and none of the folders made for the copy, while
// a folder that was there before stays.

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'save-test-'));
  dirs.push(dir);
  return dir;
}

describe('saveCopy', () => {
  it('copies the file, making the folders it needs', async () => {
    const ws = await tempDir();
    const source = path.join(await tempDir(), 'dataset.zip');
    await writeFile(source, 'zip bytes');
    await saveCopy(source, ws, 'build/zips/dataset.zip', 'save-zip');
    expect(await readFile(path.join(ws, 'build/zips/dataset.zip'), 'utf8')).toBe('zip bytes');
    expect(await readdir(path.join(ws, 'build/zips'))).toEqual(['dataset.zip']);
  });

  it('removes the folders it made when the copy fails, and only those', async () => {
    const ws = await tempDir();
    await mkdir(path.join(ws, 'keep/empty'), { recursive: true });
    const from = await tempDir();
    // A source that is gone fails before the part file exists; a folder as the source, once
    // it was opened.
    await mkdir(path.join(from, 'folder'));
    for (const source of [path.join(from, 'missing.zip'), path.join(from, 'folder')]) {
      for (const relative of ['keep/a/b/c/dataset.zip', 'new/dataset.zip', 'keep/empty/x.zip']) {
        await expect(saveCopy(source, ws, relative, 'save-zip')).rejects.toThrow(
          `Could not save the dataset ZIP to ${relative}`,
        );
        expect(await readdir(ws)).toEqual(['keep']);
        expect(await readdir(path.join(ws, 'keep'))).toEqual(['empty']);
        expect(await readdir(path.join(ws, 'keep/empty'))).toEqual([]);
      }
    }
  });
});
