// `npm run demo`: the real bundled action (dist/index.js, or ACTION_ENTRY), run as the GitHub
// runner runs it, against the built-in Segmind simulator, training the sample dataset in
// examples/dataset/ and waiting until the model is AVAILABLE. Needs Node alone: nothing to
// install first. The log is shown live, as the runner would show it.
import { runAction, ROOT } from './action-runner.js';
import { startSimulator } from '../simulator/segmind-simulator.js';

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

const sim = await startSimulator({ apiKey: 'demo-key' });
try {
  console.log(
    [
      'Demo: the action trains the sample dataset (examples/dataset/, six mug photos and four',
      `captions) on a local stand-in for Segmind (${sim.url}; its storage host ${sim.storageUrl})`,
      'and waits until the model is AVAILABLE. The simulator moves one status a second.',
      '',
      '--- action log (live, as the runner shows it) ---',
    ].join('\n'),
  );
  const secrets = new Set();
  let pending = '';
  const show = (line) => {
    const shown = asRunnerShows(line, secrets);
    if (shown !== undefined) console.log(`  ${shown}`);
  };
  const result = await runAction({
    workspace: ROOT,
    inputs: {
      'api-key': 'demo-key',
      'api-url': sim.url,
      dataset: 'examples/dataset/**',
      'trigger-word': 'MUGTOK',
      theme: 'product',
      'wait-for': 'AVAILABLE',
      'poll-interval-seconds': '1',
    },
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
  console.log(
    `\n(${secrets.size} values were registered as secrets with ::add-mask::, such as the API key and the upload's pre-signed URL: the runner prints *** wherever they would appear.)`,
  );

  console.log('\n--- outputs (what later steps read as steps.<id>.outputs.<name>) ---');
  for (const [name, value] of Object.entries(result.outputs)) {
    console.log(
      `${name}: ${name === 'details' ? JSON.stringify(JSON.parse(value), null, 2) : value}`,
    );
  }
  console.log('\n--- job summary (Markdown, shown on the run page) ---');
  console.log(result.summary.trimEnd());
  console.log(
    `\nThe action exited with ${result.code}; the simulator saw ${sim.requests.length} requests and holds ${sim.jobs.size} job(s).`,
  );
  if (result.code !== 0) process.exitCode = 1;
  if (result.tempLeft.length > 0) {
    console.error(`RUNNER_TEMP still holds ${result.tempLeft.join(', ')}`);
    process.exitCode = 1;
  }
} finally {
  await sim.close();
}
