import type { Report } from './report.js';
import { formatMb } from './zip.js';

/** The hidden marker that finds a pull request's comment again; `key` names the dataset. */
export function commentMarker(key: string): string {
  return `<!-- segmind-flux-finetune: ${key.replace(/--+/g, '-').replace(/[<>]/g, '')} -->`;
}

const ICON: Record<string, string> = { error: '❌', warning: '⚠️', notice: 'ℹ️' };

/**
 * The report as Markdown: the job summary and the pull-request comment show the same thing.
 * Nothing secret is in a Report, so nothing secret can reach this text.
 */
export function renderReport(report: Report): string {
  const lines: string[] = [];
  lines.push(`### ${headline(report)}`, '');

  if (report.failure) {
    lines.push('**The step failed:**', '', '```text', report.failure, '```', '');
  }

  if (report.command === 'list' && report.finetunes) {
    lines.push(...listTable(report));
    return lines.join('\n');
  }

  const job: [string, string][] = [];
  if (report.jobName) job.push(['Job', code(report.jobName)]);
  if (report.finetuneId) job.push(['Fine-tune id', code(report.finetuneId)]);
  if (report.status) job.push(['Status', `**${report.status}**`]);
  if (report.reused !== undefined)
    job.push([
      'Reused',
      report.reused
        ? 'yes: an existing job with this name was adopted, nothing was uploaded or paid for'
        : 'no',
    ]);
  if (report.modelUrl) job.push(['Model URL', report.modelUrl]);
  if (report.slug) job.push(['Slug', code(report.slug)]);
  if (report.datasetUrl) job.push(['Dataset URL', report.datasetUrl]);
  if (job.length > 0) lines.push(...table(['', ''], job), '');

  if (report.statuses.length > 1) {
    const first = report.statuses[0]!.at.getTime();
    lines.push('**Statuses seen**', '');
    lines.push(
      ...table(
        ['Status', 'After'],
        report.statuses.map((s) => [s.status, duration(s.at.getTime() - first)]),
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
    if (dataset.sha256) rows.push(['ZIP sha256', code(dataset.sha256.slice(0, 12))]);
    if (dataset.smallest)
      rows.push([
        'Smallest image',
        `${dataset.smallest.width}×${dataset.smallest.height} (${code(dataset.smallest.file)})`,
      ]);
    if (dataset.largest)
      rows.push([
        'Largest image',
        `${dataset.largest.width}×${dataset.largest.height} (${code(dataset.largest.file)})`,
      ]);
    if (report.datasetSource) rows.push(['Source', code(report.datasetSource)]);
    lines.push('**Dataset**', '', ...table(['', ''], rows), '');
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
          ['Base model', s.baseModel],
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
    lines.push('**Problems found**', '');
    for (const p of report.problems) lines.push(`- ${ICON[p.severity]} ${escape(p.message)}`);
    lines.push('');
  }
  if (report.skipped.length > 0) {
    lines.push(
      `<details><summary>${report.skipped.length} file(s) skipped (not an image or caption)</summary>`,
      '',
    );
    for (const f of report.skipped) lines.push(`- ${code(f)}`);
    lines.push('', '</details>', '');
  }
  return lines.join('\n');
}

function headline(report: Report): string {
  if (report.cancelled) return 'Segmind fine-tune: cancelled (the job goes on at Segmind)';
  if (report.failure) return 'Segmind fine-tune: failed';
  switch (report.command) {
    case 'list':
      return `Segmind fine-tunes: ${report.finetunes?.length ?? 0}`;
    case 'set-access':
      return `Segmind fine-tune: access updated`;
    case 'status':
      return `Segmind fine-tune: ${report.status ?? 'status'}`;
  }
  if (report.dryRun) return 'Segmind fine-tune: dry run, the dataset is ready to train';
  if (report.reused)
    return `Segmind fine-tune: reused existing job (${report.status ?? 'unknown status'})`;
  return `Segmind fine-tune: ${report.status ?? 'submitted'}`;
}

function listTable(report: Report): string[] {
  const rows = (report.finetunes ?? []).map((f): string[] => [
    code(String(f.name ?? '')),
    code(String(f.finetune_id ?? f.id ?? '')),
    String(f.status ?? ''),
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
        `| ${row.map((cell) => cell.replace(/\|/g, '\\|').replace(/\n/g, ' ')).join(' | ')} |`,
    ),
  ];
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function escape(text: string): string {
  return text.replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
