// The docs that can be checked against the code, are: a newcomer reading docs/architecture.md
// finds every file of src/ there, and the numbers CONTRIBUTING.md gives match the bundle.
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../scripts/action-runner.js';

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(ROOT, dir), { withFileTypes: true })) {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await filesUnder(relative)));
    else out.push(relative);
  }
  return out.sort();
}

/**
 * The paths the tree in docs/architecture.md names: a line `name/` opens a folder at its
 * indentation, a line `name.ts  what it does` (or `a.ts, b.ts  ...`, or `fit/plan.ts  ...`) names
 * files in the folders above it; other lines continue a description.
 */
function documentedPaths(doc: string): Set<string> {
  const tree = doc.slice(doc.indexOf('## The files'));
  const block = tree.slice(tree.indexOf('```') + 3, tree.indexOf('```', tree.indexOf('```') + 3));
  const stack: { indent: number; name: string }[] = [];
  const paths = new Set<string>();
  for (const line of block.split('\n')) {
    const indent = line.length - line.trimStart().length;
    const names = line.trim().split(/\s{2,}/)[0]!;
    if (!/^[\w.-]+(\/[\w.-]*)*(, [\w.-]+(\/[\w.-]+)*)*\/?$/.test(names)) continue;
    while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    if (names.endsWith('/') && !names.includes(', ')) {
      stack.push({ indent, name: names.slice(0, -1) });
      continue;
    }
    for (const name of names.split(', ')) {
      paths.add([...stack.map((f) => f.name), name].join('/'));
    }
  }
  return paths;
}

describe('docs/architecture.md', () => {
  it('names every file under src/, in its folder', async () => {
    const documented = documentedPaths(
      await readFile(path.join(ROOT, 'docs/architecture.md'), 'utf8'),
    );
    const missing = (await filesUnder('src')).filter((file) => !documented.has(file));
    expect(missing, 'add these to the tree in docs/architecture.md').toEqual([]);
    // And nothing named there that is gone.
    const gone = [...documented].filter((p) => p.startsWith('src/') && /\.ts$/.test(p));
    const present = new Set(await filesUnder('src'));
    expect(
      gone.filter((p) => !present.has(p)),
      'remove these from docs/architecture.md',
    ).toEqual([]);
  });
});

describe('CONTRIBUTING.md', () => {
  it('counts the packages that ship in dist/ as dist/licenses.txt lists them', async () => {
    const doc = await readFile(path.join(ROOT, 'CONTRIBUTING.md'), 'utf8');
    // One section a package, as scripts/licenses.js writes them.
    const licenses = await readFile(path.join(ROOT, 'dist/licenses.txt'), 'utf8');
    const listed = licenses.trim().split('\n\n-----\n\n').length;
    expect(doc).toContain(`${listed} packages ship in \`dist/\``);
  });
});
