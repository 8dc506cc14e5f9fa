// The one way the action prints: what the runner reads from each line it writes.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { firstOf, inert, shorten, visible } from '../src/shared/inert.js';
import * as log from '../src/shared/log.js';
import { Report } from '../src/report/report.js';
import { forgetSecretsForTests, maskUrlSignature, registerSecret } from '../src/shared/secrets.js';

let written: string[];
let spy: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  written = [];
  spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  spy.mockRestore();
  forgetSecretsForTests();
});

/** The output as the runner splits it: CR, LF and CRLF end lines. */
const lines = () =>
  written
    .join('')
    .split(/\r\n|\r|\n/)
    .filter((l) => l !== '' && !l.startsWith('::add-mask::'));

const HOSTILE = [
  'a\n::warning title=X::injected',
  'b\r::error::injected',
  '  ::notice::indented',
  '\u2028::warning::ls',
  '\u0085::warning::nel',
  'x ##[error]legacy ##[set-env name=A;]b',
  '\u001b[2J\u001b[31mansi',
  '::add-mask::oops',
];

describe('log', () => {
  it('no line it prints starts a workflow command or holds a legacy one, whatever the text', () => {
    for (const text of HOSTILE) {
      log.info(`value: ${text}`);
      log.info(text);
      log.debug(text);
    }
    for (const line of lines()) {
      if (line.startsWith('::debug::')) continue; // core's own command, its data escaped
      expect(line, JSON.stringify(line)).not.toMatch(/^\s*::/);
    }
    for (const line of lines()) expect(line).not.toContain('##[');
    expect(written.join('')).not.toContain('\u001b');
    expect(written.join('')).not.toMatch(/[\u2028\u0085]/);
    // Still readable: the same characters, a zero-width space between the colons.
    expect(lines()).toContain(':\u200b:add-mask::oops');
  });

  it('annotations stay on their command line, with the text shown', () => {
    log.warning('name a\r\n::error::b\u2028c', { file: 'dataset/x.jpg', title: 'Dataset' });
    log.error('##[error]x');
    log.notice('multi\nline');
    expect(lines()).toEqual([
      '::warning title=Dataset,file=dataset/x.jpg::name a␍%0A:\u200b:error::b⟨U+2028⟩c',
      '::error::##\u200b[error]x',
      '::notice::multi%0Aline',
    ]);
  });

  it('redacts registered secrets and signed-URL parts in every line', () => {
    registerSecret('sk-live-123456');
    maskUrlSignature(
      'https://s3.test/u?X-Amz-Signature=abcdef123456&X-Amz-Credential=AK%2Fx',
      true,
    );
    log.info('key sk-live-123456, sig abcdef123456, &amp;X-Amz-Signature=unregisteredvalue');
    log.warning(`encoded ${encodeURIComponent('sk-live-123456')} AK/x`);
    const text = lines().join('\n');
    expect(text).not.toMatch(/sk-live|abcdef123456|unregisteredvalue|AK\/x/);
    expect(text).toContain('&amp;X-Amz-Signature=***');
  });

  it('bounds every line', () => {
    log.info(`long ${'x'.repeat(50_000)} end`);
    log.warning('y'.repeat(50_000));
    for (const line of lines())
      expect(line.length).toBeLessThanOrEqual(log.MAX_ANNOTATION_CHARS + 20);
    expect(lines()[0]).toMatch(/^long x+…x+ end$/);
  });
});

describe('inert text helpers', () => {
  it('shows control characters, never acts on them', () => {
    expect(visible('a\rb\nc\td\u0000e\u001bf\u007fg\u0085h\u2028i\u202ej\ud800k')).toBe(
      'a␍b␊c␉d␀e␛f␡g⟨U+0085⟩h⟨U+2028⟩i⟨U+202E⟩j⟨U+D800⟩k',
    );
    expect(visible('emoji 😀 and ünïcode stay')).toBe('emoji 😀 and ünïcode stay');
  });

  it('shortens in the middle without splitting a surrogate pair', () => {
    expect(shorten('abcdefghij', 5)).toBe('ab…ij');
    expect(shorten('abc', 5)).toBe('abc');
    const cut = shorten(`${'😀'.repeat(10)}`, 7);
    expect(cut.length).toBeLessThanOrEqual(7);
    expect(visible(cut)).toBe(cut);
    expect(inert('a\nb'.repeat(1_000), 50).length).toBeLessThanOrEqual(50);
    expect(firstOf(['a', 'b', 'c'], 2)).toBe('a, b and 1 more');
  });
});

describe('Report annotations', () => {
  const annotations = () => lines().filter((l) => /^::(error|warning|notice)/.test(l));

  it('annotates a few problems one by one, on their files', () => {
    const report = new Report();
    report.addProblem({
      severity: 'warning',
      message: 'dataset/a.jpg is small.',
      file: 'dataset/a.jpg',
    });
    report.addProblem({
      severity: 'error',
      message: 'dataset/b.png is broken.',
      file: 'dataset/b.png',
    });
    report.flushAnnotations();
    expect(annotations()).toEqual([
      '::warning title=Dataset,file=dataset/a.jpg::dataset/a.jpg is small.',
      '::error title=Dataset,file=dataset/b.png::dataset/b.png is broken.',
    ]);
  });

  it('groups many problems of a kind into one annotation naming the first files', () => {
    const report = new Report();
    for (let i = 0; i < 500; i++)
      report.addProblem({
        severity: 'warning',
        message: `dataset/${i}.jpg is ${i}×${i}, too small.`,
        file: `dataset/${i}.jpg`,
      });
    report.flushAnnotations();
    expect(annotations()).toHaveLength(1);
    expect(annotations()[0]).toMatch(
      /^::warning title=Dataset,file=dataset\/0\.jpg::500 files have this problem; the first: dataset\/0\.jpg is 0×0, too small\.%0AFiles: dataset\/0\.jpg, .*dataset\/9\.jpg and 490 more\.$/,
    );
    // The problems are also in the log, one a line, up to a bound.
    expect(lines().filter((l) => l.startsWith('warning: ')).length).toBe(200);
  });

  it('gives no severity more than 10 annotations, the last counting the rest', () => {
    const report = new Report();
    for (let i = 0; i < 40; i++)
      report.addProblem({
        severity: 'notice',
        message: `kind ${'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN'[i]} here`,
      });
    report.flushAnnotations();
    for (let i = 0; i < 5; i++) report.addProblem({ severity: 'notice', message: `late ${i}` });
    report.flushAnnotations();
    const notices = annotations();
    expect(notices).toHaveLength(10);
    expect(notices[9]).toMatch(/31 more problem\(s\) of 31 other kind\(s\)/);
  });

  it('leaves out the file of a path that would not print as itself', () => {
    const report = new Report();
    report.addProblem({ severity: 'error', message: 'bad name', file: 'dataset/a\u001b[31m.jpg' });
    report.addProblem({ severity: 'error', message: 'bad name', file: 'dataset/##[x].jpg' });
    report.addProblem({
      severity: 'error',
      message: 'long',
      file: `dataset/${'x'.repeat(2_000)}.jpg`,
    });
    report.flushAnnotations();
    for (const line of annotations()) expect(line).not.toContain('file=');
  });

  it('flushes by itself once the current batch is added', async () => {
    const report = new Report();
    report.addProblem({ severity: 'notice', message: 'one' });
    expect(annotations()).toEqual([]);
    await Promise.resolve();
    expect(annotations()).toEqual(['::notice title=Dataset::one']);
  });
});
