// Writes docs/pr-comment-example.md: what the sticky pull-request comment looks like, taken from
// real runs of the bundled action (dist/index.js, or ACTION_ENTRY) against the fake GitHub API and
// the fal simulator, on loopback. Node built-ins only:
//   node scripts/pr-comment-example.js            (after `npm run bundle`)
// It also refreshes the example between the `pr-comment-example` markers in README.md.
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { encodePng } from './png.js';
import { runAction, ROOT } from './action-runner.js';
import { startFakeGitHub } from '../simulator/fake-github.js';
import { startFalSimulator } from '../simulator/fal-simulator.js';

const OWNER = 'octo-org';
const REPO = 'flux-models';
const event = (number) => ({
  action: 'synchronize',
  number,
  pull_request: { number },
  repository: { name: REPO, full_name: `${OWNER}/${REPO}`, owner: { login: OWNER } },
});

/** A real (grey) PNG of the given size, so the action reads a true header. */
const png = (width, height) => encodePng(width, height, () => [0x80, 0x80, 0x80]);

/** A workspace with `dataset/` holding the sample images whose names match `pick`. */
async function workspaceWith(name, pick) {
  const ws = path.join(scratch, name);
  await mkdir(path.join(ws, 'dataset'), { recursive: true });
  for (const file of await readdir(path.join(ROOT, 'examples/dataset'))) {
    if (pick.test(file))
      await copyFile(path.join(ROOT, 'examples/dataset', file), path.join(ws, 'dataset', file));
  }
  return ws;
}

const gh = await startFakeGitHub();
const sim = await startFalSimulator({ apiKey: 'demo-fal-key' });
const scratch = await mkdtemp(path.join(tmpdir(), 'pr-comment-example-'));
try {
  const onPr = async (number, workspace, inputs) => {
    const result = await runAction({
      workspace,
      eventName: 'pull_request',
      event: event(number),
      env: { GITHUB_API_URL: gh.url, GITHUB_TOKEN: 'gh-token' },
      inputs: { provider: 'fal', 'trigger-word': 'MUGTOK', theme: 'product', ...inputs },
    });
    const comments = gh.comments(OWNER, REPO, number);
    if (comments.length !== 1) throw new Error(`PR #${number} has ${comments.length} comments`);
    return { result, comment: comments[0] };
  };

  // 1. A pull request that adds two photos to the sample dataset, one small and with a caption
  //    that forgets the trigger word: a dry run, no API key.
  const pr = await workspaceWith('pr-7', /./);
  await writeFile(path.join(pr, 'dataset/mug-7.png'), png(384, 480));
  await writeFile(path.join(pr, 'dataset/mug-7.txt'), 'a mug on a shelf\n');
  await writeFile(path.join(pr, 'dataset/mug-8.png'), png(1024, 1280));
  const dry = await onPr(7, pr, { 'dry-run': 'true' });

  // 2. A dataset with a broken image and a mis-named one: the dry run fails, the comment says why.
  const broken = await workspaceWith('pr-8', /^mug-[1-3]\./);
  await copyFile(
    path.join(ROOT, 'examples/dataset/mug-5.png'),
    path.join(broken, 'dataset/mug-5.jpg'),
  );
  await writeFile(path.join(broken, 'dataset/mug-4.png'), 'not really a picture\n');
  const notReady = await onPr(8, broken, { 'dry-run': 'true' });

  // 3. The same PR #7 and dataset, now trained and waited for: the first comment is edited.
  const trained = await onPr(7, pr, {
    'api-key': 'demo-fal-key',
    'api-url': sim.url,
    'wait-for': 'AVAILABLE',
    'poll-interval-seconds': '1',
  });
  if (trained.comment.id !== dry.comment.id) throw new Error('the comment was not edited');

  const section = (title, text, run) =>
    [
      `## ${title}`,
      '',
      text,
      '',
      `<sub>The action exited with ${run.result.code}; the comment as posted:</sub>`,
      '',
      '---',
      '',
      // Exactly as posted: Prettier would pad the tables.
      '<!-- prettier-ignore-start -->',
      run.comment.body.trim(),
      '<!-- prettier-ignore-end -->',
      '',
      '---',
      '',
    ].join('\n');

  const doc = [
    '# What the pull-request comment looks like',
    '',
    'Each section below is a comment exactly as the action posted it, rendered. They come from real',
    'runs of the bundled action against the fake GitHub API and the fal simulator',
    '(`node scripts/pr-comment-example.js` writes this page). The job summary of each run shows the',
    'same Markdown. The first line of every comment is a hidden marker such as',
    '`<!-- segmind-flux-finetune: examples/dataset/** -->`, by which later runs find the comment and',
    'edit it instead of adding another.',
    '',
    section(
      '1. A pull request that changes the dataset (`dry-run: true`)',
      'The PR-validation workflow (`examples/workflows/pr-validate.yml`) on a pull request that adds two photos to the sample dataset: one too small, with a caption that forgets the trigger word. No API key, nothing sent to fal; the cost is what the training would be charged.',
      dry,
    ),
    section(
      '2. A dataset that is not ready',
      "One file is no image at all and one PNG is named `.jpg`. The step fails, each file gets an annotation on the pull request's diff, and the comment lists every problem with what to do.",
      notReady,
    ),
    section(
      '3. The same comment after a run that trained',
      'The comment of example 1, edited in place by a run on the same pull request that submitted the training and waited for the LoRA (a workflow that trains on pull requests from branches of the repository; the simulator trains in a second where fal takes minutes, and its URLs are on loopback).',
      trained,
    ),
  ].join('\n');
  await mkdir(path.join(ROOT, 'docs'), { recursive: true });
  await writeFile(path.join(ROOT, 'docs/pr-comment-example.md'), doc.trimEnd() + '\n');

  // The README's comment section shows example 1.
  const workflowsDoc = path.join(ROOT, 'README.md');
  const text = await readFile(workflowsDoc, 'utf8');
  const start = '<!-- pr-comment-example:start -->';
  const end = '<!-- pr-comment-example:end -->';
  const at = text.indexOf(start);
  const to = text.indexOf(end);
  if (at < 0 || to < at) throw new Error(`README.md lacks the ${start} markers`);
  // Without the marker, quoted, so that its heading does not join the README's outline.
  const body = dry.comment.body
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => (line ? `> ${line}` : '>'))
    .join('\n');
  await writeFile(
    workflowsDoc,
    `${text.slice(0, at + start.length)}\n<!-- prettier-ignore-start -->\n${body}\n<!-- prettier-ignore-end -->\n${text.slice(to)}`,
  );
  console.log('Wrote docs/pr-comment-example.md and the example in README.md');
} finally {
  await rm(scratch, { recursive: true, force: true });
  await sim.close();
  await gh.close();
}
