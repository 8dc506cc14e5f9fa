/**
 * Untrusted text made visible and bounded: the one place that decides how a control character
 * or an over-long value looks, shared by the log (log.ts) and the Markdown reports (markdown.ts).
 */
import { redact } from './secrets.js';

/**
 * Characters that move the cursor, end a line, or change how the text around them reads, and so
 * are never printed as they are: C0 and C1 controls (CR, LF, ESC of ANSI sequences, U+0085 NEL),
 * the Unicode line and paragraph separators, bidirectional overrides and isolates (which reorder
 * what a reader sees), zero-width and invisible characters, the BOM, interlinear annotation
 * characters, and lone surrogates.
 */
const HIDDEN =
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  /[\u0000-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A control character as something a reader sees: C0 controls as their Unicode control pictures
 * (CR as `␍`, LF as `␊`, ESC as `␛`, DEL as `␡`), anything else as `⟨U+2028⟩`.
 */
function picture(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return `⟨U+${code.toString(16).toUpperCase().padStart(4, '0')}⟩`;
}

/** `text` on one line with every control character shown, never acted on. */
export function visible(text: string): string {
  return text.replace(HIDDEN, picture);
}

/**
 * Like `visible`, but keeps line feeds (CRLF counts as one): for multi-line text we wrote
 * ourselves that quotes untrusted text, such as a failure in a fenced block. A lone CR is shown,
 * since the runner reads it as a line end.
 */
export function visibleLines(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => line.replace(/\t/g, '    ').replace(HIDDEN, picture))
    .join('\n');
}

/**
 * `text` cut to at most `max` characters (UTF-16 units, surrogate pairs never split) by removing
 * its middle: a long path keeps its first folders and its file name.
 */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const keep = Math.max(2, max - 1);
  let head = Math.ceil(keep / 2);
  let tail = keep - head;
  if (/[\ud800-\udbff]/.test(text[head - 1] ?? '')) head--;
  if (/[\udc00-\udfff]/.test(text[text.length - tail] ?? '')) tail--;
  return `${text.slice(0, head)}…${text.slice(text.length - tail)}`;
}

/** Server text, a name or an input value quoted in our own words: redacted, one line, capped. */
export function inert(value: unknown, max = 300): string {
  return shorten(visible(redact(String(value))), max);
}

/**
 * A list of values, each `inert`, the first `first` of them joined, the rest counted:
 * `a, b, c and 12 more`.
 */
export function firstOf(values: readonly unknown[], first = 10, max = 150): string {
  const shown = values.slice(0, first).map((v) => inert(v, max));
  const rest = values.length - shown.length;
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ');
}
