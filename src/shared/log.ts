/**
 * The one way the action prints: wrappers around @actions/core that keep untrusted text inert.
 *
 * The runner reads the step's output line by line (a CR, an LF or CRLF ends a line) and acts on
 * a line that starts, after leading whitespace, with `::` (a workflow command) or that holds
 * `##[` anywhere (the legacy form). So every message is:
 * - redacted (secrets.ts), in case a caller quoted something secret;
 * - shown, not acted on: a lone CR, U+0085, U+2028, U+2029, ESC (ANSI sequences) and every other
 *   control character become visible pictures (inert.ts); only the LFs of our own multi-line
 *   messages still end lines;
 * - defused line by line: a line starting with `::` gets a zero-width space between the colons,
 *   and `##[` becomes `##` + zero-width space + `[`: the text reads the same, the runner ignores it;
 * - bounded: a line longer than MAX_LINE_CHARS is shortened in the middle.
 * Annotations (error, warning, notice) go through core's own escaping too, which keeps the whole
 * message on the command's line.
 *
 * Interpolate an untrusted value with `inert(value)` (from inert.ts) to keep it on one line; even
 * where a caller forgets, no line can become a command.
 */
import * as core from '@actions/core';
import { shorten, visible } from './inert.js';
import { redact } from './secrets.js';

export { inert, firstOf } from './inert.js';

/** No line of the log is longer than this. */
const MAX_LINE_CHARS = 2_000;
/** No annotation message is longer than this (GitHub shows the first few lines of each). */
export const MAX_ANNOTATION_CHARS = 2_000;

/** Each line of `message` made inert (see above). */
function safeText(message: string, maxLine = MAX_LINE_CHARS): string {
  return redact(message)
    .split('\n')
    .map((line) => {
      let out = shorten(visible(line), maxLine).replace(/##\[/g, '##\u200b[');
      if (/^\s*::/.test(out)) out = out.replace('::', ':\u200b:');
      return out;
    })
    .join('\n');
}

export function info(message: string): void {
  core.info(safeText(message));
}

export function debug(message: string): void {
  core.debug(safeText(message));
}

function annotation(message: string): string {
  return shorten(safeText(message), MAX_ANNOTATION_CHARS);
}

export function error(message: string, properties?: core.AnnotationProperties): void {
  core.error(annotation(message), properties);
}

export function warning(message: string, properties?: core.AnnotationProperties): void {
  core.warning(annotation(message), properties);
}

export function notice(message: string, properties?: core.AnnotationProperties): void {
  core.notice(annotation(message), properties);
}

/** The step's failure: an error annotation and the exit code, made inert like the rest. */
export function setFailed(message: string): void {
  core.setFailed(annotation(message));
}
