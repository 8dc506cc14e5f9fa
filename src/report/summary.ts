import type { Problem } from '../shared/errors.js';
import { describeFitting } from '../dataset/fit/record.js';
import { code, cutAtLine, fence, table, word } from './markdown.js';
import { UNNAMED, type Report } from './report.js';
import type { Stage } from '../providers/provider.js';
import type { Cell } from '../providers/offer.js';
import { dollars } from '../providers/prices.js';
import { offerOf } from '../providers/offers.js';
import { duration, formatMb } from '../shared/format.js';

const ICON: Record<string, string> = { error: '❌', warning: '⚠️', notice: 'ℹ️' };
const SEVERITY_ORDER: Record<string, number> = { error: 0, warning: 1, notice: 2 };

/**
 * At most this many problems and skipped files are listed one by one; the rest are counted. A
 * dataset of 2,000 mis-named images would otherwise exceed GitHub's 65,536-character comment limit,
 * and every one of them is an annotation on its file anyway.
 */
export const MAX_LISTED = 50;
/** The failure is quoted up to this length (a failure can list thousands of files). */
const MAX_FAILURE_CHARS = 8_000;
/** A problem message is quoted up to this length (it may name a very long path). */
const MAX_MESSAGE_CHARS = 500;
/** At most this many status changes and listed fine-tunes are shown one by one. */
const MAX_ROWS = 100;
/**
 * The report is cut (at a line end) past this many characters. The runner drops a step summary
 * over 1 MiB, and the bounds above keep any report far below this anyway: 50 problems of 500
 * characters, 50 skipped files and 100 rows of at most a few hundred, and the failure's 8,000.
 */
export const MAX_SUMMARY_CHARS = 200_000;

/**
 * The report as Markdown: the job summary and the pull-request comment show the same thing.
 * Every value that came from outside (file names, server answers, inputs) goes through
 * markdown.ts, which redacts it and makes it inert; every list is bounded, and the whole is cut
 * at a line end past MAX_SUMMARY_CHARS.
 */
export function renderReport(report: Report): string {
  return cutAtLine(
    renderLines(report).join('\n'),
    MAX_SUMMARY_CHARS,
    '\n\n… cut here to stay within the size GitHub shows; the log has the rest.\n',
  );
}

function renderLines(report: Report): string[] {
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
    return lines;
  }

  const job: [string, string][] = [];
  // A dry run that passed names its job in the readiness line already.
  if (report.jobName && !(report.dryRun && report.readyToTrain))
    job.push([report.dryRun ? 'Job (when trained)' : 'Job', code(report.jobName)]);
  if (report.finetuneId) job.push(['Fine-tune id', code(report.finetuneId)]);
  if (report.status)
    job.push([
      'Status',
      `**${word(report.status)}**${!report.plainStatusWords && report.stage ? ` (${plainStage(report.stage)})` : ''}`,
    ]);
  if (report.reused !== undefined)
    job.push([
      'Reused',
      report.reused
        ? 'yes: an existing job with this name was adopted, nothing was uploaded or paid for'
        : 'no: a new job was submitted',
    ]);
  // Server text: shown, not linked (a hostile answer could point anywhere).
  if (report.modelUrl) job.push(['Model URL', code(report.modelUrl, 500)]);
  if (report.slug) job.push(['Slug', code(report.slug)]);
  if (report.trainedBy) job.push(['Trained by', code(report.trainedBy)]);
  if (report.datasetUrl) job.push(['Dataset URL', code(report.datasetUrl, 500)]);
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
        report.statuses.slice(0, MAX_ROWS).map((s) => [
          word(s.status),
          s.at
            .toISOString()
            .replace('T', ' ')
            .replace(/\.\d{3}Z$/, ''),
          duration(s.at.getTime() - first),
        ]),
      ),
      '',
    );
    if (report.statuses.length > MAX_ROWS)
      lines.push(`… and ${report.statuses.length - MAX_ROWS} more changes of status.`, '');
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
    if (report.fitting)
      rows.push([
        'Made ready',
        // Our own words and figures only (no file name): nothing to make inert.
        `${describeFitting(report.fitting) || 'no image needed a change'}; ${report.fitting.reencoded} re-encoded`,
      ]);
    if (report.datasetSource) rows.push(['Source', code(report.datasetSource)]);
    lines.push('**Dataset**', '', ...table(['', ''], rows), '');
  } else if (report.datasetSource) {
    lines.push(`**Dataset:** ${code(report.datasetSource)}`, '');
  }

  if (report.price && report.command === 'train') {
    const p = report.price;
    lines.push(
      // The price's source as code: a link in a report is a link the data could have chosen.
      `**Cost:** about ${dollars(p.usd)} (${p.basis}; ${report.provider}’s price as published at ${code(p.source)}, read ${p.asOf}).`,
      '',
    );
  } else if (report.priceNote && report.command === 'train') {
    lines.push(`**Cost:** ${report.priceNote}`, '');
  }

  if (report.settings) {
    lines.push('<details><summary>Settings</summary>', '');
    lines.push(
      ...table(
        ['', ''],
        offerOf(report.settings.provider)
          .settingsRows(report.settings)
          .map(([label, value]): [string, string] => [label, cell(value)]),
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
      lines.push(`- ${ICON[p.severity] ?? ''} ${code(p.message, MAX_MESSAGE_CHARS)}`);
    if (sorted.length > MAX_LISTED)
      lines.push(
        `- … and ${sorted.length - MAX_LISTED} more, listed in the log and annotated by kind in the workflow run.`,
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
      lines.push(`- … and ${report.skipped.length - MAX_LISTED} more`);
    lines.push('', '</details>', '');
  }
  return lines;
}

function headline(report: Report): string {
  // A headline before the `provider` input was read (it was invalid) names none.
  const who = report.provider === UNNAMED ? 'Fine-tune' : `${report.provider} fine-tune`;
  if (report.cancelled) {
    return report.finetuneId && report.command !== 'cancel'
      ? `${who}: cancelled (the job goes on at ${report.provider})`
      : `${who}: cancelled`;
  }
  if (report.failure && report.command === 'train' && report.dryRun)
    return `${who}: dry run, the dataset is not ready to train`;
  if (report.failure) return `${who}: failed`;
  switch (report.command) {
    case 'list':
      return `${who}s: ${report.finetunes?.length ?? 0}`;
    case 'set-access':
      return `${who}: access updated`;
    case 'status':
      return `${who}: ${report.status ? word(report.status) : 'status'}`;
    case 'download':
      return `${who}: model downloaded`;
    case 'cancel':
      return `${who}: cancel requested (${report.status ? word(report.status) : 'status unknown'})`;
  }
  if (report.dryRun) return `${who}: dry run, the dataset is ready to train`;
  if (report.reused)
    return `${who}: reused existing job (${report.status ? word(report.status) : 'unknown status'})`;
  return `${who}: ${report.status ? word(report.status) : 'submitted'}`;
}

/** A stage in plain words, for providers whose own status words are codes. */
function plainStage(stage: Stage): string {
  switch (stage) {
    case 'queued':
      return 'queued';
    case 'preparing':
    case 'training':
      return 'training';
    case 'trained':
    case 'deploying':
      return 'trained';
    case 'ready':
      return 'ready';
    case 'failed':
      return 'failed';
    case 'cancelled':
      return 'cancelled';
    default:
      return 'unknown';
  }
}

/** A settings cell: our own text as it is, values made inert (see markdown.ts). */
function cell(value: Cell): string {
  const parts = Array.isArray(value) ? value : [value];
  return parts
    .map((part) =>
      typeof part === 'string' || typeof part === 'number'
        ? String(part)
        : 'code' in part
          ? code(part.code)
          : word(part.word),
    )
    .join('');
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
  if (report.trainingNotice) {
    const named = report.jobName ? ` (its job name: ${code(report.jobName)})` : '';
    return `⚠️ **The dataset is ready${named}, the provider is not.**${figures}${caveat} ${report.trainingNotice} This dry run sent nothing to ${report.provider}.`;
  }
  return `✅ **Ready to train.**${figures}${caveat} A run without \`dry-run\` would train it${job}; this dry run sent nothing to ${report.provider}.`;
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
  const all = report.finetunes ?? [];
  const rows = all
    .slice(0, MAX_ROWS)
    .map((f): string[] => [
      code(f.name ?? ''),
      code(f.id),
      f.status ? word(f.status) : '',
      f.error ? code(f.error, 300) : '',
    ]);
  const scope = report.listScope ? [`${report.listScope}`, ''] : [];
  if (rows.length === 0) return ['No fine-tunes on this account yet.', '', ...scope];
  const more =
    all.length > MAX_ROWS
      ? [`… and ${all.length - MAX_ROWS} more: the \`finetunes\` output has them all.`, '']
      : [];
  return [...table(['Name', 'Id', 'Status', 'Error'], rows), '', ...more, ...scope];
}
