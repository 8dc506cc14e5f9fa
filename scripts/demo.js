// `npm run demo`: the real bundled action (dist/index.js), run as the GitHub runner runs it,
// against the built-in Segmind simulator, training the sample dataset in examples/dataset/ and
// waiting until the model is AVAILABLE. Needs Node alone: nothing to install first.
import { runAction, ROOT } from './action-runner.js';
import { startSimulator } from '../simulator/segmind-simulator.js';

const sim = await startSimulator({ apiKey: 'demo-key' });
try {
  console.log(`Segmind simulator on ${sim.url} (storage on ${sim.storageUrl})\n`);
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
  });
  console.log('--- action log ---');
  // The runner hides debug lines and swallows add-mask commands; show the log as a user sees it.
  const log = result.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::debug::'))
    .map((line) => (line.startsWith('::add-mask::') ? '(a secret was masked)' : line));
  console.log(log.join('\n').trimEnd());
  if (result.stderr.trim()) console.log(result.stderr.trimEnd());
  console.log('\n--- outputs ---');
  for (const [name, value] of Object.entries(result.outputs)) {
    console.log(
      `${name}: ${name === 'details' ? JSON.stringify(JSON.parse(value), null, 2) : value}`,
    );
  }
  console.log('\n--- job summary ---');
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
