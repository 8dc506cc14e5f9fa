// Untrusted text in the summary and the comment, read the way GitHub reads it: a real GFM renderer
// over a corpus of hostile file names and server messages, fixed cases and a seeded random mix.
import { afterAll, describe, expect, it } from 'vitest';
import type { Problem } from '../src/shared/errors.js';
import { code, cutAtLine, fence, table } from '../src/report/markdown.js';
import { commentBody, commentMarker, MAX_COMMENT_CHARS } from '../src/report/pr-comment.js';
import { Report } from '../src/report/report.js';
import { forgetSecretsForTests, maskUrlSignature, registerSecret } from '../src/shared/secrets.js';
import { MAX_SUMMARY_CHARS, renderReport } from '../src/report/summary.js';
import { liveParts, renderGfm } from './helpers/inert-markdown.js';
import { readerWith } from './helpers/inputs.js';
import { readConfig } from '../src/inputs.js';
import { DEFAULT_SETTINGS } from './helpers/settings.js';
import { segmindJob } from '../src/providers/segmind/provider.js';
import { seededRandom } from './helpers/random.js';

afterAll(() => forgetSecretsForTests());

/** Hostile names and messages: those of the issue, and every trick GFM and GitHub offer. */
export const HOSTILE = [
  'dataset/a\r<a href="https://attacker.example/approve"><img src="https://attacker.example/APPROVED.png"></a>\r.jpg',
  'dataset/b\r@octocat please review and merge other-org/other-repo#1\r.jpg',
  'dataset/w\n\n## Approved: safe to merge\n\n.txt',
  '[x](javascript:alert(1)).jpg',
  '![img](https://attacker.example/p.png).jpg',
  '<details open><summary>click</summary>',
  '<!-- hidden --> and <!-- open',
  '</td></tr></table><h1>owned</h1>',
  '`` ``` ```` a `b` c ``',
  '`',
  'a | b || c |',
  'a\\|b\\\\|c\\',
  'x\ry\r\nz\n',
  'line\u2028separator\u2029para\u0085nel',
  '@octocat @github/security-team',
  '#1 GH-2 org/repo#3 org/repo@0123abc 0123456789abcdef0123456789abcdef01234567',
  'https://attacker.example/x?y=1 and http://a.example',
  'www.attacker.example and WWW.Attacker.Example',
  'mail me: evil@attacker.example',
  '::warning title=INJECTED::x',
  '##[error]INJECTED',
  '\u001b[31mred\u001b[0m \u001b]8;;https://attacker.example\u0007link\u001b]8;;\u0007',
  ':+1: :shipit: :rocket:',
  '*emph* _emph_ **bold** ~~strike~~ <b>b</b> &lt;&amp;&#x3C;',
  '    indented code\n> quote\n- item\n1. item\n---\n===',
  '[ref]: https://attacker.example\n[ref]',
  '\\',
  '\u202eevil\u202c \u200b zero \ufeff bom \u0000 nul',
  '\ud800 lone surrogate',
  'a'.repeat(5_000) + '<img src=x>' + 'b'.repeat(5_000),
  'dataset/' + 'deep-folder-name/'.repeat(230) + 'x.jpg',
];

function hostileReport(values: string[], command = 'train'): Report {
  const at = (i: number) => values[i % values.length]!;
  const problems: Problem[] = values.map((v, i) => ({
    severity: (['error', 'warning', 'notice'] as const)[i % 3]!,
    message: `${v} is no readable JPEG, PNG or WebP image (${at(i + 1)}).`,
    file: v,
  }));
  const t0 = new Date('2026-01-01T00:00:00Z');
  return Object.assign(new Report(), {
    command,
    dryRun: false,
    datasetSource: at(0),
    jobName: at(1),
    finetuneId: at(2),
    status: at(3),
    modelUrl: at(4),
    slug: at(5),
    datasetUrl: at(6),
    reused: false,
    settings: {
      ...DEFAULT_SETTINGS,
      triggerWord: at(7),
      instancePrompt: at(8),
      baseModel: at(9),
    },
    dataset: {
      images: values.length,
      captions: 1,
      zipBytes: 1000,
      sha256: at(10),
      smallest: { file: at(11), width: 1, height: 2 },
      median: { file: at(12), width: 3, height: 4 },
      largest: { file: at(13), width: 5, height: 6 },
    },
    skipped: values,
    problems,
    statuses: values.map((v, i) => ({ status: v, at: new Date(t0.getTime() + i * 1000) })),
    finetunes: values.map((v, i) =>
      segmindJob({
        name: v,
        finetune_id: at(i + 1),
        status: at(i + 2),
        error_message: at(i + 3),
      }),
    ),
    failure: values.join('\n'),
  });
}

async function configWith(): Promise<ReturnType<typeof readConfig>> {
  return readConfig(await readerWith({ 'dry-run': 'true', dataset: 'dataset/**' }));
}

describe('untrusted text in the summary and the comment, rendered as GitHub renders it', () => {
  it('the renderer in this test does see live Markdown (the check can fail)', () => {
    expect(liveParts('### a\n\n<img src=x> @octocat #1 www.a.example')).toEqual(
      expect.arrayContaining([
        'element <img>',
        expect.stringMatching(/^a mention/),
        expect.stringMatching(/^an issue reference/),
        expect.stringMatching(/^a www\. autolink/),
      ]),
    );
    // The old formatting: a lone CR inside a code span in a table row ends the row.
    expect(liveParts('### a\n\n| a | b |\n| --- | --- |\n| x | `a\r<img src=x>` |')).not.toEqual(
      [],
    );
  });

  it('every hostile value, in every field, stays text: summary, comment and list table', async () => {
    const config = await configWith();
    for (const command of ['train', 'list', 'status']) {
      const report = hostileReport(HOSTILE, command);
      const summary = renderReport(report);
      expect(liveParts(summary), `${command} summary`).toEqual([]);
      const comment = commentBody(config, report);
      expect(comment.startsWith(`${commentMarker('dataset/**')}\n### `)).toBe(true);
      expect(liveParts(comment, 1), `${command} comment`).toEqual([]);
    }
    // A dry run that passed names the job in its readiness line.
    const ready = Object.assign(hostileReport(HOSTILE), { dryRun: true, readyToTrain: true });
    delete ready.failure;
    expect(renderReport(ready)).toMatch(/Ready to train\.\*\*.*as job `/);
    expect(liveParts(renderReport(ready))).toEqual([]);
    // Each value alone too, so that no neighbour hides what it does.
    for (const value of HOSTILE) {
      expect(liveParts(renderReport(hostileReport([value]))), JSON.stringify(value)).toEqual([]);
    }
  });

  it('shows control characters instead of acting on them, and keeps table rows whole', () => {
    const report = hostileReport([HOSTILE[0]!, HOSTILE[1]!]);
    const md = renderReport(report);
    expect(md).toContain(
      '| Smallest image | 1×2 (`dataset/b␍@octocat please review and merge other-org/other-repo#1␍.jpg`) |',
    );
    const html = renderGfm(md);
    expect(html).toContain(
      '<td>1×2 (<code>dataset/b␍@octocat please review and merge other-org/other-repo#1␍.jpg</code>)</td>',
    );
    expect(html).toContain('<code>dataset/a␍&lt;a href=&quot;https://attacker.example/approve');
    // The heading from a file name is a line of a code span, not an <h2>.
    expect(renderReport(hostileReport([HOSTILE[2]!]))).toContain(
      '`dataset/w␊␊## Approved: safe to merge␊␊.txt`',
    );
  });

  it('code spans: longer delimiters than any backtick run, pipes escaped in tables only', () => {
    expect(code('a`b')).toBe('``a`b``');
    expect(code('`x`')).toBe('`` `x` ``');
    expect(code('')).toBe('(empty)');
    expect(code('x'.repeat(500)).length).toBeLessThan(210);
    expect(table(['', ''], [['a', code('x|y\\')]])).toEqual([
      '|  |  |',
      '| --- | --- |',
      '| a | `x\\|y\\` |',
    ]);
    expect(table([''], [[code('a\\|b')]])[2]).toBe('| `a\\\u200b\\|b` |');
    expect(fence('a\r\nb\rc ``` d')).toEqual(['````text', 'a\nb␍c ``` d', '````']);
  });

  it('cuts long Markdown at a line end, closing a fence it cut into', () => {
    const md = [
      '# x',
      ...fence(Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n')),
    ].join('\n');
    const cut = cutAtLine(md, 200, '\ncut\n');
    expect(cut.length).toBeLessThanOrEqual(200);
    expect(cut).toMatch(/\nline \d+\n```\ncut\n$/);
  });

  it('stays bounded whatever the dataset: summary well under 1 MiB, comment under 65,536', async () => {
    const long = Array.from({ length: 5_000 }, (_, i) => `dataset/${'x'.repeat(3_900)}-${i}.jpg`);
    const report = hostileReport(long, 'train');
    const summary = renderReport(report);
    expect(summary.length).toBeLessThanOrEqual(MAX_SUMMARY_CHARS);
    expect(Buffer.byteLength(summary)).toBeLessThan(1024 * 1024);
    expect(summary).toMatch(/… and 4950 more/);
    const list = renderReport(hostileReport(long, 'list'));
    expect(list.length).toBeLessThanOrEqual(MAX_SUMMARY_CHARS);
    expect(list).toMatch(/and 4900 more: the `finetunes` output has them all/);
    const comment = commentBody(await configWith(), report);
    expect(comment.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(liveParts(comment, 1)).toEqual([]);
    console.log(`bounded report: summary ${summary.length} chars, comment ${comment.length}`);
  });

  it('redacts every registered secret and signed-URL part in every spelling', () => {
    registerSecret('sk-hostile-key-0123');
    const url =
      'https://s3.example/up/x.zip?X-Amz-Algorithm=AWS4&X-Amz-Credential=AKIAHOSTILE%2F2026%2Fus&X-Amz-Signature=5ee5ee5ee5&X-Amz-Security-Token=TOKEN%2Bvalue';
    maskUrlSignature(url, true);
    const spellings = [
      url,
      url.replace(/&/g, '&amp;'),
      encodeURIComponent(url),
      'X-Amz-Signature=5ee5ee5ee5',
      '&amp;X-Amz-Signature=5ee5ee5ee5&amp;',
      'AKIAHOSTILE/2026/us',
      'TOKEN+value',
      'sk-hostile-key-0123',
      encodeURIComponent('sk-hostile-key-0123'),
      // Not registered anywhere: the parameter names give them away.
      'https://other.example/x?sig=AzureSig123&se=1 X-Goog-Signature%3Dgooglesig &amp;X-Amz-Signature=unregistered1',
    ];
    const md = renderReport(hostileReport(spellings));
    for (const secret of [
      '5ee5ee5ee5',
      'AKIAHOSTILE',
      'TOKEN',
      'sk-hostile',
      'AzureSig123',
      'googlesig',
      'unregistered1',
    ]) {
      expect(md).not.toContain(secret);
    }
    expect(liveParts(md)).toEqual([]);
  });

  const seed = Number(process.env.MARKDOWN_FUZZ_SEED ?? 20261129);
  it(`a seeded random mix of the corpus stays inert (seed ${seed}; MARKDOWN_FUZZ_SEED replays another)`, () => {
    console.log(`markdown fuzz seed: ${seed} (set MARKDOWN_FUZZ_SEED to replay another)`);
    const next = seededRandom(seed);
    const pick = () => HOSTILE[Math.floor(next() * HOSTILE.length)]!;
    for (let round = 0; round < 150; round++) {
      const values = Array.from({ length: 1 + Math.floor(next() * 6) }, () => {
        // Splice pieces of several hostile values, cut at random places.
        let value = '';
        for (let k = 0; k < 1 + Math.floor(next() * 3); k++) {
          const piece = pick();
          const from = Math.floor(next() * piece.length);
          value += piece.slice(from, from + 1 + Math.floor(next() * 200));
        }
        return value;
      });
      const command = ['train', 'list', 'status'][Math.floor(next() * 3)]!;
      const md = renderReport(hostileReport(values, command));
      expect(liveParts(md), `seed ${seed}, round ${round}: ${JSON.stringify(values)}`).toEqual([]);
    }
  });
});
