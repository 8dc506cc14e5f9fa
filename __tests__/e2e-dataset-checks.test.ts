import { describe, expect, it } from 'vitest';
import { run, workspace } from './helpers/e2e.js';
import { jpeg, png } from './helpers/images.js';

/** Annotations the runner would show: `::warning file=...::message` lines. */
function annotations(
  stdout: string,
  kind: 'warning' | 'notice' | 'error',
): { file?: string; message: string }[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith(`::${kind}`))
    .map((l) => {
      const [, props = '', message = ''] = /^::\w+ ?([^:]*)::(.*)$/.exec(l) ?? [];
      return { file: /file=([^,]+)/.exec(props)?.[1], message: message.replace(/%0A/g, '\n') };
    });
}

describe('dataset quality checks, end to end (dry run)', () => {
  it('annotates small images, duplicates, captions without the trigger word, and few images', async () => {
    const dup = jpeg(900, 900);
    const ws = await workspace({
      'dataset/tiny.png': png(300, 200),
      'dataset/a.jpg': dup,
      'dataset/a-copy.jpg': dup,
      'dataset/a.txt': 'a red mug on a table',
      'dataset/orphan.txt': 'TOK with no image',
    });
    const result = await run(undefined, ws, { 'dry-run': 'true' });
    expect(result.code, result.stdout).toBe(0);
    const warnings = annotations(result.stdout, 'warning');
    expect(warnings).toEqual(
      expect.arrayContaining([
        {
          file: 'dataset/tiny.png',
          message: expect.stringMatching(/300×200; its short side is under 512 px/),
        },
        {
          file: 'dataset/a.txt',
          message: expect.stringMatching(/does not mention the trigger word "TOK"/),
        },
        {
          file: 'dataset/a.jpg',
          message: expect.stringMatching(/byte-identical: dataset\/a-copy\.jpg, dataset\/a\.jpg/),
        },
        { file: undefined, message: expect.stringMatching(/Only 3 images/) },
      ]),
    );
    expect(warnings).toHaveLength(4);
    expect(annotations(result.stdout, 'notice')).toEqual([
      {
        file: 'dataset/orphan.txt',
        message: expect.stringMatching(/no image with the same base name/),
      },
    ]);
    // Every problem is in the summary too.
    expect(result.summary).toMatch(/300×200/);
    expect(result.summary).toMatch(/byte-identical/);
  });

  it('with captioning off, warns about every image without a caption', async () => {
    const ws = await workspace({
      'dataset/1.jpg': jpeg(1024, 1024),
      'dataset/1.txt': 'TOK',
      'dataset/2.jpg': jpeg(1024, 1024),
      'dataset/3.jpg': jpeg(1024, 1024),
      'dataset/4.jpg': jpeg(1024, 1024),
      'dataset/5.jpg': jpeg(1024, 1024),
    });
    const result = await run(undefined, ws, { 'dry-run': 'true', captioning: 'false' });
    expect(result.code, result.stdout).toBe(0);
    // One annotation for the kind, on its first file, naming them all.
    const [warning, ...more] = annotations(result.stdout, 'warning');
    expect(more).toEqual([]);
    expect(warning!.file).toBe('dataset/2.jpg');
    expect(warning!.message).toMatch(
      /^4 files have this problem.*\nFiles: dataset\/2\.jpg, dataset\/3\.jpg, dataset\/4\.jpg, dataset\/5\.jpg\.$/s,
    );
  });
});
