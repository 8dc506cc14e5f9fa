/**
 * The one way untrusted text (file names, caption excerpts, Segmind's and the storage host's
 * messages, input values, the failure) enters the job summary and the pull-request comment.
 *
 * The choice: untrusted text is always put in a code span (or, for the multi-line failure, a
 * fenced code block), never in escaped prose. Backslash escapes stop Markdown, but not what GitHub
 * does after rendering: @mentions, `#123` and `owner/repo#123` references, commit SHAs, `GH-1`,
 * `:emoji:` shortcodes and autolinked URLs and e-mail addresses are found in the rendered text of
 * every element except `code`, `pre` and `a`. Inside a code span none of those apply, no HTML is
 * parsed and no Markdown construct opens, so the only things left to get right are the span's own
 * delimiters (a backtick run longer than any inside), line ends (none: every control character is
 * shown as a picture, see inert.ts), and, in a table, the `|` that would end the cell.
 */
import { shorten, visible, visibleLines } from '../shared/inert.js';
import { redact } from '../shared/secrets.js';

/** A value longer than this is shortened in the middle (a path keeps both ends). */
const MAX_CODE_CHARS = 200;

/**
 * `text` as an inline code span: redacted, control characters shown, at most `max` characters,
 * delimited by a backtick run longer than any inside it. Safe anywhere a Markdown inline is, and
 * in a table cell once the row goes through `tableRow` (which escapes the pipes).
 */
export function code(text: string, max = MAX_CODE_CHARS): string {
  const content = shorten(visible(redact(text)), max);
  if (content === '') return '(empty)';
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  // One space each side is stripped by the parser when both are there: pad when the content
  // starts or ends with a backtick (it would join the delimiter) or a space (it would be eaten).
  const pad = /^[` ]|[` ]$/.test(content) ? ' ' : '';
  return `${ticks}${pad}${content}${pad}${ticks}`;
}

/**
 * A status word as Segmind spells it (`TRAINING_COMPLETED`) as plain bold-able text, anything else
 * as a code span: a server may answer whatever it likes in that field.
 */
export function word(text: string): string {
  return /^[A-Z][A-Z0-9_]{0,39}$/.test(text) ? text.replace(/_/g, '\\_') : code(text);
}

/**
 * A GFM table. Cells are Markdown we built (code spans, our words); a `|` in a cell, which only a
 * code span can hold, is escaped so that it cannot end the cell (GFM splits rows before it parses
 * code spans). A backslash right before it gets a zero-width space, so that `\` + `\|` is not read
 * as an escaped backslash followed by a live pipe.
 */
export function table(header: string[], rows: string[][]): string[] {
  const cell = (text: string) => text.replace(/\\(?=\|)/g, '\\\u200b').replace(/\|/g, '\\|');
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
}

/**
 * A fenced code block holding `text`: redacted, CRLF made LF, a lone CR and every other control
 * character shown (the runner reads a CR as a line end), and fenced by a backtick run longer than
 * any in the text, so no line inside can close it.
 */
export function fence(text: string): string[] {
  const content = visibleLines(redact(text));
  const longest = Math.max(2, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  return [`${ticks}text`, content, ticks];
}

/**
 * Cuts Markdown built of whole lines to at most `max` characters at a line end, so that no code
 * span or table row is cut open, and says so with `note`. Lines inside a fence stay inside it.
 */
export function cutAtLine(markdown: string, max: number, note: string): string {
  if (markdown.length <= max) return markdown;
  let end = markdown.lastIndexOf('\n', max - note.length);
  for (;;) {
    const head = markdown.slice(0, Math.max(0, end));
    // A cut inside a fenced block (see `fence`) closes it: nothing inside can be that fence.
    let open = '';
    for (const line of head.split('\n')) {
      if (!open) open = /^(`{3,})text$/.exec(line)?.[1] ?? '';
      else if (line === open) open = '';
    }
    const cut = `${head}${open ? `\n${open}` : ''}${note}`;
    if (cut.length <= max || end <= 0) return cut;
    end = markdown.lastIndexOf('\n', end - 1);
  }
}
