import type { Problem } from './dataset.js';
import type { Report } from './report.js';
import { formatMb } from './zip.js';

/**
 * The hidden marker that finds a pull request's comment again; `key` names the dataset (the `name`
 * input, else the `dataset` patterns or `dataset-url`). The key is escaped so that it can neither
 * end the HTML comment early (`--`, `>`) nor span lines, and stays injective: two different keys
 * never give the same marker (`%` is escaped first, so the escapes themselves are unambiguous).
 */
export function commentMarker(key: string): string {
  const safe = key
    .replace(/%/g, '%25')
    .replace(/</g, '%3C')
    .replace(/>/g, '%3E')
    .replace(/\r/g, '%0D')
    .replace(/\n/g, '%0A')
    .replace(/--/g, '-%2D');
  return `<!-- segmind-flux-finetune: ${safe} -->`;
}

const ICON: Record<string, string> = { error: '❌', warning: '⚠️', notice: 'ℹ️' };
const SEVERITY_ORDER: Record<string, number> = { error: 0, warning: 1, notice: 2 };

/**
 * At most this many problems and skipped files are listed one by one; the rest are counted. A
 * dataset of 2,000 mis-named images would otherwise exceed GitHub's 65,536-character comment limit,
 * and every one of them is an annotation on its file anyway.
 */
export const MAX_LISTED = 50;
/** The failure is quoted up to this length (a failure can list thousands of files). */
export const MAX_FAILURE_CHARS = 8_000;

/**
 * The report as Markdown: the job summary and the pull-request comment show the same thing.
 * Nothing secret is in a Report, so nothing secret can reach this text; `redact` is a second
 * guard applied to the text before it leaves the runner.
 */
export function renderReport(report: Report): string {
  const lines: string[] = [];
  lines.push(`### ${headline(report)}`, '');

  const verdict = readiness(report);
  if (verdict) lines.push(verdict, '');

  if (report.failure) {
    const failure =
      report.failure.length > MAX_FAILURE_CHARS
        ? `${report.failure.slice(0, MAX_FAILURE_CHARS)}\n… (cut here; the log has the whole text)`
        : report.failure;
    lines.push('**The step failed:**', '', ...fence(failure), '');
  }

  if (report.command === 'list' && report.finetunes) {
    lines.push(...listTable(report));
    return lines.join('\n');
  }

  const job: [string, string][] = [];
  // A dry run that passed names its job in the readiness line already.
  if (report.jobName && !(report.dryRun && report.readyToTrain))
    job.push([report.dryRun ? 'Job (when trained)' : 'Job', code(report.jobName)]);
  if (report.finetuneId) job.push(['Fine-tune id', code(report.finetuneId)]);
  if (report.status) job.push(['Status', `**${escape(report.status)}**`]);
  if (report.reused !== undefined)
    job.push([
      'Reused',
      report.reused
        ? 'yes: an existing job with this name was adopted, nothing was uploaded or paid for'
        : 'no: a new job was submitted',
    ]);
  if (report.modelUrl) job.push(['Model URL', report.modelUrl]);
  if (report.slug) job.push(['Slug', code(report.slug)]);
  if (report.datasetUrl) job.push(['Dataset URL', report.datasetUrl]);
  if (report.model) {
    job.push(['Model file', code(report.model.path)]);
    job.push(['Model size', `${formatMb(report.model.bytes)} (${report.model.bytes} bytes)`]);
    job.push(['Model sha256', code(report.model.sha256)]);
  }
  if (job.length > 0) lines.push(...table(['', ''], job), '');

  if (report.statuses.length > 0) {
    const first = report.statuses[0]!.at.getTime();
    lines.push('**Statuses seen**', '');
    lines.push(
      ...table(
        ['Status', 'Seen at (UTC)', 'After'],
        report.statuses.map((s) => [
          escape(s.status),
          s.at
            .toISOString()
            .replace('T', ' ')
            .replace(/\.\d{3}Z$/, ''),
          duration(s.at.getTime() - first),
        ]),
      ),
      '',
    );
  }

  const dataset = report.dataset;
  if (dataset) {
    const rows: [string, string][] = [
      ['Images', String(dataset.images)],
      ['Captions', String(dataset.captions)],
    ];
    if (dataset.zipBytes !== undefined)
      rows.push(['ZIP size', `${formatMb(dataset.zipBytes)} (${dataset.zipBytes} bytes)`]);
    if (dataset.sha256) rows.push(['ZIP sha256', code(dataset.sha256)]);
    if (dataset.smallest) rows.push(['Smallest image', imageCell(dataset.smallest)]);
    if (dataset.median) rows.push(['Median image', imageCell(dataset.median)]);
    if (dataset.largest) rows.push(['Largest image', imageCell(dataset.largest)]);
    if (report.datasetSource) rows.push(['Source', code(report.datasetSource)]);
    lines.push('**Dataset**', '', ...table(['', ''], rows), '');
  } else if (report.datasetSource) {
    lines.push(`**Dataset:** ${code(report.datasetSource)}`, '');
  }

  if (report.settings) {
    const s = report.settings;
    lines.push('<details><summary>Settings</summary>', '');
    lines.push(
      ...table(
        ['', ''],
        [
          ['Trigger word', code(s.triggerWord)],
          ['Instance prompt', code(s.instancePrompt)],
          ['Base model', code(s.baseModel)],
          ['Theme', s.theme],
          ['Type', `${s.finetuneType}, LoRA rank ${s.loraRank}`],
          ['Iterations', String(s.iterations)],
          ['Learning rate', String(s.learningRate)],
          ['Priority', s.priority],
          ['Captioning', s.captioning ? 'on' : 'off'],
          ['Public', s.isPublic ? 'yes' : 'no'],
        ],
      ),
      '',
      '</details>',
      '',
    );
  }

  if (report.problems.length > 0) {
    lines.push(`**Problems found** (${countBySeverity(report.problems)})`, '');
    // Errors first, then warnings, then notices; within each, in the order found.
    const sorted = report.problems
      .map((p, i) => ({ p, i }))
      .sort(
        (a, b) =>
          (SEVERITY_ORDER[a.p.severity] ?? 3) - (SEVERITY_ORDER[b.p.severity] ?? 3) || a.i - b.i,
      )
      .map(({ p }) => p);
    for (const p of sorted.slice(0, MAX_LISTED))
      lines.push(`- ${ICON[p.severity] ?? ''} ${escape(p.message)}`);
    if (sorted.length > MAX_LISTED)
      lines.push(
        `- … and ${sorted.length - MAX_LISTED} more, each annotated on its file in the workflow run.`,
      );
    lines.push('');
  }
  if (report.skipped.length > 0) {
    lines.push(
      `<details><summary>${report.skipped.length} file(s) skipped (not an image or caption)</summary>`,
      '',
    );
    for (const f of report.skipped.slice(0, MAX_LISTED)) lines.push(`- ${code(f)}`);
    if (report.skipped.length > MAX_LISTED)
      lines.push(`- … and ${report.skipped.length - MAX_LISTED} more (listed in the log)`);
    lines.push('', '</details>', '');
  }
  return lines.join('\n');
}

function headline(report: Report): string {
  if (report.cancelled) {
    return report.finetuneId
      ? 'Segmind fine-tune: cancelled (the job goes on at Segmind)'
      : 'Segmind fine-tune: cancelled';
  }
  if (report.failure && report.command === 'train' && report.dryRun)
    return 'Segmind fine-tune: dry run, the dataset is not ready to train';
  if (report.failure) return 'Segmind fine-tune: failed';
  switch (report.command) {
    case 'list':
      return `Segmind fine-tunes: ${report.finetunes?.length ?? 0}`;
    case 'set-access':
      return `Segmind fine-tune: access updated`;
    case 'status':
      return `Segmind fine-tune: ${report.status ?? 'status'}`;
    case 'download':
      return 'Segmind fine-tune: model downloaded';
  }
  if (report.dryRun) return 'Segmind fine-tune: dry run, the dataset is ready to train';
  if (report.reused)
    return `Segmind fine-tune: reused existing job (${report.status ?? 'unknown status'})`;
  return `Segmind fine-tune: ${report.status ?? 'submitted'}`;
}

/**
 * The one line a reviewer reads first: may this dataset be trained? Said for every dry run, and
 * for any train run that failed before the job had a name, which is to say on the dataset itself
 * (collecting, checking, zipping, or the `dataset-url` check). Undefined when there is nothing to
 * say (a real run that got past the dataset, the other commands, a cancelled run).
 */
export function readiness(report: Report): string | undefined {
  if (report.command !== 'train' || report.cancelled) return undefined;
  const errors = report.problems.filter((p) => p.severity === 'error').length;
  const warnings = report.problems.filter((p) => p.severity === 'warning').length;
  if (report.failure) {
    // No settings means the inputs were rejected before the dataset was looked at.
    if (!report.settings) return undefined;
    if (report.jobName && !report.dryRun) return undefined;
    const reasons =
      errors > 0
        ? ` ${errors} error${errors === 1 ? '' : 's'} in the dataset, listed below with the failure.`
        : ' See the failure below for what went wrong and what to do.';
    return `❌ **Not ready to train.**${reasons} Fix ${errors > 1 ? 'them' : 'it'} and push again.`;
  }
  if (!report.dryRun || !report.readyToTrain) return undefined;
  const d = report.dataset;
  const figures = d
    ? ` ${d.images} image${d.images === 1 ? '' : 's'}, ${d.captions} caption${d.captions === 1 ? '' : 's'}${d.zipBytes !== undefined ? `, ${formatMb(d.zipBytes)}` : ''}.`
    : '';
  const caveat =
    warnings > 0
      ? ` ${warnings} warning${warnings === 1 ? '' : 's'} below ${warnings === 1 ? 'is' : 'are'} worth a look before paying for training.`
      : '';
  const job = report.jobName ? ` as job ${code(report.jobName)}` : '';
  return `✅ **Ready to train.**${figures}${caveat} A run without \`dry-run\` would train it${job}; this dry run sent nothing to Segmind.`;
}

function countBySeverity(problems: Problem[]): string {
  const parts: string[] = [];
  for (const [severity, noun] of [
    ['error', 'error'],
    ['warning', 'warning'],
    ['notice', 'notice'],
  ] as const) {
    const n = problems.filter((p) => p.severity === severity).length;
    if (n > 0) parts.push(`${n} ${noun}${n === 1 ? '' : 's'}`);
  }
  return parts.join(', ');
}

function imageCell(image: { file: string; width: number; height: number }): string {
  return `${image.width}×${image.height} (${code(image.file)})`;
}

function listTable(report: Report): string[] {
  const rows = (report.finetunes ?? []).map((f): string[] => [
    code(String(f.name ?? '')),
    code(String(f.finetune_id ?? f.id ?? '')),
    escape(String(f.status ?? '')),
    typeof f.error_message === 'string' && f.error_message ? escape(f.error_message) : '',
  ]);
  if (rows.length === 0) return ['No fine-tunes on this account yet.', ''];
  return [...table(['Name', 'Id', 'Status', 'Error'], rows), ''];
}

function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map(
      (row) =>
        `| ${row.map((cell) => cell.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')).join(' | ')} |`,
    ),
  ];
}

/** A fenced block that no backtick run inside the text can close early. */
function fence(text: string): string[] {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  return [`${ticks}text`, text, ticks];
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\r?\n/g, ' ')}\``;
}

/**
 * Free text (problem messages, Segmind's errors) as inert Markdown. File names come from whoever
 * opened the pull request, and the comment is posted by the repository's bot: no raw HTML, no
 * links (`[text](url)`), and no @mentions that would notify people. Backticks are kept, so the
 * input names the messages quote still render as code.
 */
function escape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\[/g, '\\[')
    .replace(/\]/g, '\\]')
    .replace(/@(?=\w)/g, '@\u200b');
}

export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
