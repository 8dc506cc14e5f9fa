/** What a server says in an error answer, whatever shape it says it in. */
import { INVALID_JSON, oneLine, parseJson, withoutQueries } from './send.js';
import { isObject } from '../shared/json.js';

/**
 * The server's message from an error body, on one line and at most 300 characters: JSON
 * `message`, `error`, `detail` (a validation list of `{loc, msg}` too, as fal and FastAPI send),
 * `msg` or `error_message`; a JSON string; an HTML error page's title or text (a gateway or proxy
 * in between); else the text. Segmind, fal and Replicate (`detail`, `title`) all answer so.
 */
export function answerMessage(answer: string | Buffer): string {
  const raw = Buffer.isBuffer(answer) ? answer : Buffer.from(answer, 'utf8');
  const trimmed = raw.toString('utf8').trim();
  const parsed = parseJson(raw);
  const body = parsed === INVALID_JSON ? undefined : parsed;
  let message: string | undefined;
  if (isObject(body)) {
    for (const key of ['message', 'error', 'detail', 'msg', 'error_message']) {
      message = messageOf(body[key]);
      if (message) break;
    }
    message ??= trimmed;
  } else if (typeof body === 'string') {
    message = body;
  } else if (/^<(!doctype html|html)\b/i.test(trimmed) || /<\/(html|body)>/i.test(trimmed)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim();
    message =
      title || trimmed.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ');
  } else {
    message = trimmed;
  }
  // One line whatever the server sent (a lone CR, U+2028), and no URL's query.
  return oneLine(withoutQueries(message), 300);
}

function messageOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    const parts = value
      .map((item) => {
        if (isObject(item) && typeof item.msg === 'string') {
          return Array.isArray(item.loc) ? `${item.loc.join('.')}: ${item.msg}` : item.msg;
        }
        return typeof item === 'string' ? item : JSON.stringify(item);
      })
      .filter(Boolean);
    return parts.length > 0 ? parts.join('; ') : undefined;
  }
  if (isObject(value)) return messageOf(value.message) ?? JSON.stringify(value);
  return undefined;
}
