import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readActionInputs, ROOT } from '../scripts/action-runner.js';
import { readmeWithTables } from '../scripts/readme-tables.js';

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

  it('the inputs the code reads are the inputs action.yml declares', async () => {
    const action = parse(await readFile(path.join(ROOT, 'action.yml'), 'utf8'));
    const source = await readFile(path.join(ROOT, 'src/inputs.ts'), 'utf8');
    const read = new Set(
      [...source.matchAll(/(?:read|oneOf|bool|number|bad)\(\s*'([a-z-]+)'/g)].map((m) => m[1]),
    );
    expect([...read].sort()).toEqual(Object.keys(action.inputs).sort());
  });
});
