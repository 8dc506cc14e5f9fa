import { describe, expect, it } from 'vitest';
import type { Problem } from '../src/shared/errors.js';
import type { TrainingSettings } from '../src/inputs.js';
import { Report } from '../src/report/report.js';
import { commentMarker } from '../src/report/pr-comment.js';
import { MAX_LISTED, readiness, renderReport } from '../src/report/summary.js';
import { DEFAULT_SETTINGS } from './helpers/settings.js';
import { segmindJob } from '../src/providers/segmind/provider.js';

const SETTINGS: TrainingSettings = {
  ...DEFAULT_SETTINGS,
  instancePrompt: 'photo of MUGTOK',
  triggerWord: 'MUGTOK',
  theme: 'PRODUCT',
};

/** A report as a dry run of a good dataset leaves it; fields set directly (no workflow commands). */
function dryRun(overrides: Partial<Report> = {}): Report {
  return Object.assign(new Report(), {
    provider: 'Segmind',
    command: 'train',
    dryRun: true,
    readyToTrain: true,
    settings: SETTINGS,
    datasetSource: 'dataset/**',
    jobName: 'flux-models-0123456789ab',
    dataset: {
      images: 6,
      captions: 4,
      zipBytes: 1_234_567,
      sha256: 'ab'.repeat(32),
      smallest: { file: 'dataset/mug-5.png', width: 512, height: 512 },
      median: { file: 'dataset/mug-2.png', width: 768, height: 768 },
      largest: { file: 'dataset/mug-1.png', width: 1024, height: 1024 },
    },
    ...overrides,
  });
}

const warning = (message: string, file?: string): Problem => ({
  severity: 'warning',
  message,
  file,
});

describe('renderReport', () => {
  it('says the job goes on at Segmind after a cancel only when there is a job', () => {
    const cancelled = (finetuneId?: string) =>
      renderReport(
        Object.assign(
          dryRun({ dryRun: false, cancelled: true, failure: 'The run was cancelled (SIGINT).' }),
          { finetuneId },
        ),
      ).split('\n')[0];
    expect(cancelled('ft-1')).toBe('### Segmind fine-tune: cancelled (the job goes on at Segmind)');
    expect(cancelled(undefined)).toBe('### Segmind fine-tune: cancelled');
  });

  it('shows the whole sha256 of the ZIP', () => {
    expect(renderReport(dryRun())).toContain(`| ZIP sha256 | \`${'ab'.repeat(32)}\` |`);
  });

  it('shows the dataset, the settings and a clear ready-to-train line for a dry run', () => {
    const md = renderReport(dryRun());
    expect(md).toMatch(/^### Segmind fine-tune: dry run, the dataset is ready to train\n/);
    expect(md).toContain(
      '✅ **Ready to train.** 6 images, 4 captions, 1.23 MB. A run without `dry-run` would train it as job `flux-models-0123456789ab`; this dry run sent nothing to Segmind.',
    );
    // The job is named in the readiness line; no table just for it.
    expect(md).not.toContain('| Job');
    expect(md).toContain('| ZIP size | 1.23 MB (1234567 bytes) |');
    expect(md).toContain(`| ZIP sha256 | \`${'ab'.repeat(32)}\` |`);
    expect(md).toContain('| Smallest image | 512×512 (`dataset/mug-5.png`) |');
    expect(md).toContain('| Median image | 768×768 (`dataset/mug-2.png`) |');
    expect(md).toContain('| Largest image | 1024×1024 (`dataset/mug-1.png`) |');
    expect(md).toContain('| Theme | PRODUCT |');
    expect(md).toContain('| Trigger word | `MUGTOK` |');
    expect(md).not.toContain('Problems found');
  });

  it('says how many warnings deserve a look, and lists every problem errors first', () => {
    const report = dryRun({
      problems: [
        { severity: 'notice', message: 'dataset/x.txt is skipped: no image beside it.' },
        warning('Only 3 images: add more.'),
        warning('dataset/a.jpg is small. Use a bigger one.', 'dataset/a.jpg'),
      ],
    });
    const md = renderReport(report);
    expect(readiness(report)).toMatch(/2 warnings below are worth a look/);
    expect(md).toContain('**Problems found** (2 warnings, 1 notice)');
    const listed = md.split('\n').filter((l) => l.startsWith('- '));
    expect(listed).toEqual([
      '- ⚠️ `Only 3 images: add more.`',
      '- ⚠️ `dataset/a.jpg is small. Use a bigger one.`',
      '- ℹ️ `dataset/x.txt is skipped: no image beside it.`',
    ]);
  });

  it('says a dataset that failed is not ready, with the reasons and what to do', () => {
    const report = dryRun({
      readyToTrain: undefined,
      jobName: undefined,
      dataset: undefined,
      failure:
        '1 dataset file has an image extension but is no readable JPEG, PNG or WebP:\n- dataset/x.png (not an image)\nRe-export them as JPEG, PNG or WebP, or remove them from the dataset.',
      problems: [
        warning('dataset/y.jpg is a PNG image named .jpg: rename it to .png.', 'dataset/y.jpg'),
        {
          severity: 'error',
          message: 'dataset/x.png is no readable JPEG, PNG or WebP image (not an image).',
          file: 'dataset/x.png',
        },
      ],
    });
    const md = renderReport(report);
    expect(md).toMatch(/^### Segmind fine-tune: dry run, the dataset is not ready to train\n/);
    expect(md).toContain(
      '❌ **Not ready to train.** 1 error in the dataset, listed below with the failure. Fix it and push again.',
    );
    expect(md).toContain('```text\n1 dataset file has an image extension');
    expect(md).toContain('Re-export them as JPEG, PNG or WebP');
    // The error comes before the warning.
    expect(md.indexOf('❌ `dataset/x.png')).toBeLessThan(md.indexOf('⚠️ `dataset/y.jpg'));
    expect(md).toContain('**Dataset:** `dataset/**`');
  });

  it('says nothing about readiness when a real run failed after the dataset, or inputs were bad', () => {
    const afterDataset = dryRun({ dryRun: false, readyToTrain: undefined, failure: 'HTTP 500' });
    expect(readiness(afterDataset)).toBeUndefined();
    expect(renderReport(afterDataset)).toMatch(/^### Segmind fine-tune: failed\n/);
    const onDataset = dryRun({ dryRun: false, jobName: undefined, failure: 'No images found' });
    expect(readiness(onDataset)).toMatch(/Not ready to train/);
    const badInputs = Object.assign(new Report(), {
      provider: 'Segmind',
      failure: '`theme` is "x"',
    });
    expect(readiness(badInputs)).toBeUndefined();
    expect(readiness(dryRun({ cancelled: true, failure: 'cancelled' }))).toBeUndefined();
  });

  it('shows the job, whether it was reused, the model URL and the statuses seen with their times', () => {
    const t0 = new Date('2025-03-01T10:00:00Z');
    const report = dryRun({
      dryRun: false,
      readyToTrain: undefined,
      finetuneId: 'ft-123',
      status: 'AVAILABLE',
      reused: false,
      modelUrl: 'https://storage.example/model.safetensors',
      slug: 'acme/mug',
      statuses: [
        { status: 'REQUESTED', at: t0 },
        { status: 'TRAINING_INITIATED', at: new Date(t0.getTime() + 95_000) },
        { status: 'AVAILABLE', at: new Date(t0.getTime() + 3_725_000) },
      ],
    });
    const md = renderReport(report);
    expect(md).toMatch(/^### Segmind fine-tune: AVAILABLE\n/);
    expect(readiness(report)).toBeUndefined();
    expect(md).toContain('| Job | `flux-models-0123456789ab` |');
    expect(md).toContain('| Fine-tune id | `ft-123` |');
    expect(md).toContain('| Status | **AVAILABLE** |');
    expect(md).toContain('| Reused | no: a new job was submitted |');
    // Server text is shown, not linked.
    expect(md).toContain('| Model URL | `https://storage.example/model.safetensors` |');
    expect(md).toContain('| Status | Seen at (UTC) | After |');
    expect(md).toContain('| REQUESTED | 2025-03-01 10:00:00 | 0 s |');
    expect(md).toContain('| TRAINING\\_INITIATED | 2025-03-01 10:01:35 | 1 min 35 s |');
    expect(md).toContain('| AVAILABLE | 2025-03-01 11:02:05 | 1 h 2 min |');
    const reused = renderReport(dryRun({ dryRun: false, reused: true, status: 'AVAILABLE' }));
    expect(reused).toMatch(/^### Segmind fine-tune: reused existing job \(AVAILABLE\)/);
    expect(reused).toContain('| Reused | yes: an existing job with this name was adopted');
  });

  it('lists at most MAX_LISTED problems and skipped files, and counts the rest', () => {
    const many = Array.from({ length: MAX_LISTED + 7 }, (_, i) =>
      warning(`dataset/${i}.jpg is small.`, `dataset/${i}.jpg`),
    );
    const md = renderReport(
      dryRun({
        problems: many,
        skipped: Array.from({ length: MAX_LISTED + 2 }, (_, i) => `dataset/${i}.psd`),
      }),
    );
    expect(md.split('\n').filter((l) => l.startsWith('- ⚠️'))).toHaveLength(MAX_LISTED);
    expect(md).toContain(
      '- … and 7 more, listed in the log and annotated by kind in the workflow run.',
    );
    expect(md).toContain('52 file(s) skipped');
    expect(md).toContain('- … and 2 more');
  });

  it('makes text from the pull request inert: no HTML, no links, no mentions, no fence breaking', () => {
    const md = renderReport(
      dryRun({
        problems: [
          warning('dataset/[click](https://evil.test)<img src=x>@octo-org/admins.jpg is small.'),
        ],
        failure: 'a ``` fence and ```` a longer one',
      }),
    );
    expect(md).toContain(
      '⚠️ `dataset/[click](https://evil.test)<img src=x>@octo-org/admins.jpg is small.`',
    );
    expect(md).toContain('`````text\na ``` fence and ```` a longer one\n`````');
    const table = renderReport(dryRun({ dryRun: false, jobName: 'a|b`c' }));
    expect(table).toContain('| Job | ``a\\|b`c`` |');
  });

  it('renders the list command as a table', () => {
    const report = Object.assign(new Report(), {
      provider: 'Segmind',
      command: 'list',
      finetunes: [
        { name: 'mug', finetune_id: 'ft-1', status: 'AVAILABLE' },
        { name: 'cat', id: 'ft-2', status: 'FAILED', error_message: 'bad <zip>' },
      ].map((record) => segmindJob(record)),
    });
    const md = renderReport(report);
    expect(md).toMatch(/^### Segmind fine-tunes: 2\n/);
    expect(md).toContain('| `mug` | `ft-1` | AVAILABLE |  |');
    expect(md).toContain('| `cat` | `ft-2` | FAILED | `bad <zip>` |');
    expect(
      renderReport(
        Object.assign(new Report(), {
          provider: 'Segmind',
          command: 'list',
          finetunes: [],
        }),
      ),
    ).toContain('No fine-tunes on this account yet.');
  });
});

describe('commentMarker', () => {
  it('is one line of HTML comment that nothing in the key can end early', () => {
    expect(commentMarker('dataset/**')).toBe('<!-- segmind-flux-finetune: dataset/** -->');
    expect(commentMarker('a/**\n!a/raw/**')).toBe(
      '<!-- segmind-flux-finetune: a/**%0A!a/raw/** -->',
    );
  });
});
