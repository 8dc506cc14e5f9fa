// Runs the bundled action the way the GitHub runner does: every input from action.yml's defaults
// (overridden by the caller) as an INPUT_* variable, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY,
// GITHUB_EVENT_PATH and RUNNER_TEMP as files and folders, the workspace as the working directory.
// Node built-ins only: `npm run demo` uses it on a fresh clone with nothing installed.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, writeFile, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The `inputs:` of action.yml with their defaults. A deliberately small reader for the one file we
 * write ourselves (a test checks it against a real YAML parser), so the demo needs no install.
 */
export async function readActionInputs(file = path.join(ROOT, 'action.yml')) {
  const inputs = {};
  let section = '';
  let current = '';
  for (const line of (await readFile(file, 'utf8')).split(/\r?\n/)) {
    if (/^\S/.test(line)) {
      section = line.replace(/:.*$/, '');
      current = '';
      continue;
    }
    if (section !== 'inputs') continue;
    const key = /^ {2}([A-Za-z0-9_-]+):\s*$/.exec(line);
    if (key) {
      current = key[1];
      inputs[current] = { default: '' };
      continue;
    }
    const prop = /^ {4}(default|required):\s*(.*)$/.exec(line);
    if (prop && current) inputs[current][prop[1]] = unquote(prop[2]);
  }
  return inputs;
}

function unquote(value) {
  const v = value.trim();
  if (v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1).replace(/''/g, "'");
  if (v.startsWith('"') && v.endsWith('"')) return JSON.parse(v);
  return v;
}

/** The runner's name for an input's variable: INPUT_ + upper case, spaces to underscores. */
export function inputVariable(name) {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** Parses a GITHUB_OUTPUT file (`name<<delimiter` blocks, or `name=value` lines). */
export function parseOutputFile(text) {
  const outputs = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]);
      outputs[name] = value.join('\n');
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return outputs;
}

/**
 * The runner's side of one step, without running anything: a folder holding RUNNER_TEMP and the
 * GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and GITHUB_EVENT_PATH files, and the step's environment.
 * options: inputs (name -> value), workspace (folder), env (extra variables), eventName,
 * event (payload object). `env` is the whole environment of the step: ours without any INPUT_*,
 * GITHUB_*, RUNNER_* or proxy variable, then the step's own. `finish()` reads what the step
 * left (outputs, summary, RUNNER_TEMP's contents) and removes the folder.
 */
export async function prepareStep(options = {}) {
  const defaults = await readActionInputs();
  for (const name of Object.keys(options.inputs ?? {})) {
    if (!(name in defaults)) throw new Error(`runAction: action.yml has no input named ${name}`);
  }
  const home = await mkdtemp(path.join(tmpdir(), 'action-run-'));
  const runnerTemp = path.join(home, 'runner-temp');
  const outputFile = path.join(home, 'github-output');
  const summaryFile = path.join(home, 'step-summary');
  const eventFile = path.join(home, 'event.json');
  try {
    await mkdir(runnerTemp);
    await writeFile(outputFile, '');
    await writeFile(summaryFile, '');
    await writeFile(eventFile, JSON.stringify(options.event ?? {}));
  } catch (error) {
    await rm(home, { recursive: true, force: true });
    throw error;
  }
  const workspace = options.workspace ?? ROOT;

  const env = {};
  // The runner gives a step only its own inputs; nothing of ours (proxies, other INPUT_*) leaks in.
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(INPUT_|GITHUB_|RUNNER_)/.test(key) && !/_proxy$/i.test(key)) env[key] = value;
  }
  const token = options.env?.GITHUB_TOKEN ?? '';
  for (const [name, spec] of Object.entries(defaults)) {
    const fallback = spec.default.replace(/\$\{\{\s*github\.token\s*\}\}/g, token);
    env[inputVariable(name)] = options.inputs?.[name] ?? fallback;
  }
  Object.assign(env, {
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_EVENT_NAME: options.eventName ?? 'push',
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: 'octo-org/flux-models',
    GITHUB_REPOSITORY_OWNER: 'octo-org',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_RUN_ID: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    RUNNER_TEMP: runnerTemp,
    ...options.env,
  });

  return {
    env,
    workspace,
    runnerTemp,
    async finish() {
      try {
        return {
          outputs: parseOutputFile(await readFile(outputFile, 'utf8')),
          summary: await readFile(summaryFile, 'utf8'),
          runnerTemp,
          tempLeft: await readdir(runnerTemp),
        };
      } finally {
        await rm(home, { recursive: true, force: true });
      }
    },
    discard: () => rm(home, { recursive: true, force: true }),
  };
}

/**
 * Runs dist/index.js once.
 * options: those of prepareStep, and node (binary, default this one), entry (the script, default
 * ACTION_ENTRY, else dist/index.js), onSpawn(child) to signal it.
 * Resolves to { code, signal, stdout, stderr, outputs, summary, runnerTemp, tempLeft }. The run's
 * folder (RUNNER_TEMP, the output, summary and event files) is removed before it resolves:
 * `tempLeft` says what the action left in RUNNER_TEMP, `runnerTemp` where that folder was.
 */
export async function runAction(options = {}) {
  const step = await prepareStep(options);
  let run;
  try {
    run = await spawnAction(step, options);
  } catch (error) {
    await step.discard();
    throw error;
  }
  return { ...run, ...(await step.finish()) };
}

async function spawnAction(step, options) {
  // ACTION_ENTRY runs another build of the action (a bundle made elsewhere); dist/ by default.
  const entry = options.entry ?? process.env.ACTION_ENTRY ?? path.join(ROOT, 'dist', 'index.js');
  const child = spawn(options.node ?? process.execPath, [entry], {
    cwd: step.workspace,
    env: step.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  options.onSpawn?.(child, () => stdout);
  const [code, signal] = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c, s) => resolve([c, s]));
  });
  return { code, signal, stdout, stderr };
}
