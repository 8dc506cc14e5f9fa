// `npm run demo`: the real bundled action (dist/index.js, or ACTION_ENTRY), run as the GitHub runner
// runs it, with Node alone (nothing to install first). Two uses:
//
//   npm run demo [-- --provider fal|replicate|segmind]
//     trains the sample dataset (examples/dataset/) on a local stand-in for the provider, waits
//     until the LoRA is ready and downloads it: the whole path a workflow takes, on loopback.
//
//   npm run demo -- --dataset ../my-photos [--provider fal] [--input name=value ...]
//     a dry run of your own folder of photos with any inputs: the same checks, fitting, cost
//     and ZIP the action would produce in CI, with nothing sent anywhere. The ZIP is kept next to
//     the folder (my-photos.dataset.zip) to open and look at.
//
// The log is shown live, as the runner would show it.
import { cp, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runAction, ROOT, readActionInputs } from './action-runner.js';

const USAGE = `usage: npm run demo [-- --provider fal|replicate|segmind]
       npm run demo -- --dataset <folder> [--provider fal|replicate|segmind] [--input name=value ...]

Without --dataset: trains examples/dataset/ on a local stand-in for the provider (fal by default),
waits for the LoRA and downloads it.
With --dataset: a dry run of that folder's images and captions with the inputs given (each
--input is one of action.yml's inputs, as in a workflow's with: block); nothing is sent
anywhere, and the ZIP the action would upload is saved next to the folder.`;

/** The simulators, loaded only for the provider asked for (each is Node built-ins only). */
const SIMULATORS = {
  fal: {
    key: 'demo-fal-key',
    start: async () =>
      (await import('../simulator/fal-simulator.js')).startFalSimulator({ apiKey: 'demo-fal-key' }),
    about: (sim) =>
      `a local stand-in for fal (its queue, storage and history at ${sim.url}, its CDN at ${sim.cdnUrl})`,
    count: (sim) => `${sim.queue.size} request(s)`,
  },
  replicate: {
    key: 'r8_demo_token',
    start: async () =>
      (await import('../simulator/replicate-simulator.js')).startReplicateSimulator({
        apiKey: 'r8_demo_token',
      }),
    about: (sim) => `a local stand-in for Replicate (its API at ${sim.url})`,
    count: (sim) => `${sim.trainings?.size ?? 0} training(s)`,
  },
  segmind: {
    key: 'demo-key',
    start: async () =>
      (await import('../simulator/segmind-simulator.js')).startSimulator({ apiKey: 'demo-key' }),
    about: (sim) =>
      `a local stand-in for Segmind (${sim.url}; its storage host ${sim.storageUrl}). The real Segmind takes no new trainings: this shows the path its existing models take`,
    count: (sim) => `${sim.jobs.size} job(s)`,
  },
};

function parseArgs(argv) {
  const out = { provider: 'fal', inputs: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--provider') out.provider = value().toLowerCase();
    else if (arg === '--dataset') out.dataset = value();
    else if (arg === '--input') {
      const pair = value();
      const at = pair.indexOf('=');
      if (at <= 0) throw new Error(`--input takes name=value, got ${JSON.stringify(pair)}`);
      out.inputs[pair.slice(0, at)] = pair.slice(at + 1);
    } else if (arg === '--help' || arg === '-h') out.help = true;
    else throw new Error(`unknown argument ${JSON.stringify(arg)}`);
  }
  if (!(out.provider in SIMULATORS)) {
    throw new Error(
      `--provider is ${JSON.stringify(out.provider)}: expected fal, replicate or segmind`,
    );
  }
  return out;
}

/** The runner's view of one log line: debug hidden, annotations as their titles, secrets as ***. */
function asRunnerShows(line, secrets) {
  if (line.startsWith('::debug::') || line.startsWith('::endgroup::')) return undefined;
  if (line.startsWith('::add-mask::')) {
    const value = unescapeData(line.slice('::add-mask::'.length));
    if (value) secrets.add(value);
    return undefined;
  }
  let shown = line;
  const command = /^::(warning|error|notice|group)(?: [^:]*)?::(.*)$/.exec(line);
  if (command) {
    const title = { warning: 'Warning: ', error: 'Error: ', notice: 'Notice: ', group: '' };
    shown = `${title[command[1]]}${unescapeData(command[2])}`;
  }
  // Longest first, so a secret that contains another is masked whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    shown = shown.split(secret).join('***');
  }
  return shown;
}

function unescapeData(text) {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

/** Runs the bundle with `inputs` in `workspace`, showing its log live as the runner would. */
async function runShown(workspace, inputs) {
  const secrets = new Set();
  let pending = '';
  const show = (line) => {
    const shown = asRunnerShows(line, secrets);
    if (shown !== undefined) console.log(`  ${shown}`);
  };
  console.log('--- action log (live, as the runner shows it) ---');
  const result = await runAction({
    workspace,
    inputs,
    onSpawn: (child) => {
      child.stdout.on('data', (chunk) => {
        const lines = (pending + chunk).split('\n');
        pending = lines.pop();
        for (const line of lines) show(line);
      });
    },
  });
  if (pending) show(pending);
  if (result.stderr.trim()) console.log(result.stderr.trimEnd());
  return { result, secrets };
}

function showOutputsAndSummary(result) {
  console.log('\n--- outputs (what later steps read as steps.<id>.outputs.<name>) ---');
  for (const [name, value] of Object.entries(result.outputs)) {
    console.log(
      `${name}: ${name === 'details' ? JSON.stringify(JSON.parse(value), null, 2) : value}`,
    );
  }
  console.log('\n--- job summary (Markdown, shown on the run page) ---');
  console.log(result.summary.trimEnd());
}

/** A dry run of the user's own folder: nothing sent, the ZIP kept next to the folder. */
async function dryRunOf(folder, provider, inputs) {
  const absolute = path.resolve(folder);
  const info = await stat(absolute).catch(() => undefined);
  if (!info?.isDirectory()) throw new Error(`--dataset ${folder}: no such folder`);
  const known = await readActionInputs();
  for (const name of Object.keys(inputs)) {
    if (!(name in known)) throw new Error(`--input ${name}: action.yml has no input of that name`);
  }
  const workspace = path.dirname(absolute);
  const name = path.basename(absolute);
  const zip = `${name}.dataset.zip`;
  console.log(
    [
      `Dry run of ${absolute} for provider ${provider}: the checks, fitting, cost and ZIP the`,
      'action would produce in a workflow. Nothing is sent anywhere; no key is needed.',
      '',
    ].join('\n'),
  );
  const { result } = await runShown(workspace, {
    provider,
    dataset: `${name}/**`,
    'dry-run': 'true',
    'save-zip': zip,
    ...inputs,
  });
  showOutputsAndSummary(result);
  if (result.outputs['zip-path']) {
    console.log(
      `\nThe ZIP the action would upload is at ${path.join(workspace, result.outputs['zip-path'])}: open it to see what fitting did to each image.`,
    );
  }
  return result.code === 0 && result.tempLeft.length === 0;
}

/** The sample dataset trained on the provider's simulator, the LoRA downloaded. */
async function trainSample(provider, inputs) {
  const spec = SIMULATORS[provider];
  const sim = await spec.start();
  // A copy of the sample in a folder of its own: the downloaded LoRA lands there, not in the repo.
  const workspace = await mkdtemp(path.join(tmpdir(), 'flux-demo-'));
  try {
    await cp(path.join(ROOT, 'examples', 'dataset'), path.join(workspace, 'dataset'), {
      recursive: true,
    });
    console.log(
      [
        `Demo: the action trains the sample dataset (examples/dataset/: six mug photos, four`,
        `captions) on ${spec.about(sim)}, waits until the LoRA is ready and downloads it.`,
        '',
      ].join('\n'),
    );
    const { result, secrets } = await runShown(workspace, {
      provider,
      'api-key': spec.key,
      'api-url': sim.url,
      dataset: 'dataset/**',
      'trigger-word': 'MUGTOK',
      'wait-for': 'AVAILABLE',
      'poll-interval-seconds': '1',
      'download-model': 'models/mug-lora.safetensors',
      ...inputs,
    });
    console.log(
      `\n(${secrets.size} values were registered as secrets with ::add-mask::, such as the API key and the upload's signed URL: the runner prints *** wherever they would appear.)`,
    );
    showOutputsAndSummary(result);
    if (result.outputs['model-path']) {
      const file = path.join(workspace, result.outputs['model-path']);
      const { size } = await stat(file);
      console.log(
        `\nThe LoRA landed at ${result.outputs['model-path']} in the workspace: ${size} bytes, sha256 ${result.outputs['model-sha256']}.`,
      );
    }
    console.log(
      `\nThe action exited with ${result.code}; the simulator saw ${sim.requests.length} requests and holds ${spec.count(sim)}.`,
    );
    if (result.tempLeft.length > 0)
      console.error(`RUNNER_TEMP still holds ${result.tempLeft.join(', ')}`);
    return result.code === 0 && result.tempLeft.length === 0;
  } finally {
    await sim.close();
    await rm(workspace, { recursive: true, force: true });
  }
}

let options;
try {
  options = parseArgs(process.argv.slice(2));
} catch (error) {
  console.error(`${error.message}\n\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
} else {
  const ok = options.dataset
    ? await dryRunOf(options.dataset, options.provider, options.inputs).catch((error) => {
        console.error(`${error.message}\n\n${USAGE}`);
        return false;
      })
    : await trainSample(options.provider, options.inputs);
  if (!ok) process.exitCode = 1;
}
