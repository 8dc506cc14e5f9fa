// Prints the README's inputs and outputs tables from action.yml. The test in
// __tests__/readme.test.ts fails when README.md and action.yml disagree; this writes the fix:
//   node scripts/readme-tables.js --write
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './action-runner.js';

const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ').trim();

/**
 * An input offered by some providers only says so first in its description ("Replicate only: ",
 * "Segmind and Replicate: "): the table shows that in a column of its own. __tests__/readme.test.ts
 * checks the column against what the input check refuses.
 */
const PROVIDERS_FIRST =
  /^((?:Segmind|fal|Replicate)(?:(?:, | and )(?:Segmind|fal|Replicate))*)(?: only)?: (.*)$/s;

export function providersOf(description) {
  const match = PROVIDERS_FIRST.exec(String(description).trim());
  if (!match) return { providers: 'all', text: String(description) };
  const text = match[2];
  return {
    providers: match[1].split(/, | and /).join(', '),
    text: text.charAt(0).toUpperCase() + text.slice(1),
  };
}

export async function readmeTables() {
  const action = parse(await readFile(path.join(ROOT, 'action.yml'), 'utf8'));
  const inputs = Object.entries(action.inputs).map(([name, spec]) => {
    const { providers, text } = providersOf(spec.description);
    return `| \`${name}\` | ${spec.default === '' || spec.default === undefined ? '' : `\`${cell(spec.default)}\``} | ${providers} | ${cell(text)} |`;
  });
  const outputs = Object.entries(action.outputs).map(
    ([name, spec]) => `| \`${name}\` | ${cell(spec.description)} |`,
  );
  return {
    inputs: [
      '| input | default | providers | description |',
      '| --- | --- | --- | --- |',
      ...inputs,
    ].join('\n'),
    outputs: ['| output | description |', '| --- | --- |', ...outputs].join('\n'),
  };
}

/** The README with its two generated blocks replaced by the tables from action.yml. */
export async function readmeWithTables(readme) {
  const tables = await readmeTables();
  let text = readme;
  for (const kind of ['inputs', 'outputs']) {
    const block = new RegExp(`(<!-- ${kind}:start -->)[\\s\\S]*?(<!-- ${kind}:end -->)`);
    if (!block.test(text))
      throw new Error(`README.md has no <!-- ${kind}:start --> ... <!-- ${kind}:end --> block`);
    text = text.replace(block, (_all, start, end) => `${start}\n${tables[kind]}\n${end}`);
  }
  return text;
}

if (
  process.argv[1] &&
  path.resolve(process.argv[1]) === path.join(ROOT, 'scripts', 'readme-tables.js')
) {
  const file = path.join(ROOT, 'README.md');
  const updated = await readmeWithTables(await readFile(file, 'utf8'));
  if (process.argv.includes('--write')) await writeFile(file, updated);
  else process.stdout.write(updated);
}
