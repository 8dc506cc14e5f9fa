// Reads the report's Markdown the way GitHub does (GFM, raw HTML allowed, as in comments and job
// summaries) and says what in it is live: elements, links, images, headings, mentions, issue
// references, autolinks, workflow commands. Shared by the unit and end-to-end tests.
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';

/** The only elements our template writes. */
export const TEMPLATE_TAGS = new Set([
  'h3',
  'p',
  'strong',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'ul',
  'li',
  'code',
  'pre',
  'details',
  'summary',
  'blockquote',
]);

export function renderGfm(markdown: string): string {
  return micromark(markdown, {
    allowDangerousHtml: true,
    extensions: [gfm()],
    htmlExtensions: [gfmHtml()],
  });
}

function decode(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/**
 * Everything live in `markdown`, as a list of findings (empty when the text is inert). `comments`
 * is how many HTML comments the template itself writes (the comment's marker: 1).
 */
export function liveParts(markdown: string, comments = 0): string[] {
  const found: string[] = [];
  // The runner reads the summary line by line and ends a line at CR; GitHub's renderer at
  // U+2028 in some views. Only LF may end a line, and no other control character may be there.
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  const control = /[\r\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/.exec(markdown);
  if (control) found.push(`control character U+${control[0].charCodeAt(0).toString(16)}`);

  const html = renderGfm(markdown);
  const tags = [...html.matchAll(/<(\/?)([A-Za-z][\w-]*)/g)].map((m) => m[2]!.toLowerCase());
  for (const tag of new Set(tags)) if (!TEMPLATE_TAGS.has(tag)) found.push(`element <${tag}>`);
  const h3 = tags.filter((t) => t === 'h3').length;
  if (h3 !== 2) found.push(`${h3 / 2} headings, not 1`);
  const details = tags.filter((t) => t === 'details').length;
  if (details > 4) found.push(`${details / 2} <details>, more than the template's 2`);
  const commentCount = (html.match(/<!--/g) ?? []).length;
  if (commentCount !== comments) found.push(`${commentCount} HTML comments, not ${comments}`);
  if (/<[^>]*\s(on\w+|href|src|style)\s*=/i.test(html)) found.push('an attribute from the data');

  // The text GitHub scans for mentions, references and autolinks: everything but code.
  const outside = decode(
    html
      .replace(/<pre>[\s\S]*?<\/pre>/g, ' ')
      .replace(/<code>[\s\S]*?<\/code>/g, ' ')
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(/<[^>]+>/g, ' '),
  );
  const rules: [RegExp, string][] = [
    [/(^|[^\w`])@[A-Za-z0-9]/, 'a mention'],
    [/(^|[^\w&])#\d/, 'an issue reference'],
    [/\bGH-\d/i, 'a GH- reference'],
    [/[\w.-]+\/[\w.-]+#\d/, 'a cross-repository reference'],
    [/[a-z][a-z0-9+.-]*:\/\//i, 'a URL'],
    [/\bwww\./i, 'a www. autolink'],
    [/[\w.+-]+@[\w-]+\.[\w.-]+/, 'an e-mail autolink'],
    [/:[a-z0-9_+-]*[a-z][a-z0-9_+-]*:/, 'an emoji shortcode'],
    [/[<>]/, 'markup shown as text outside code'],
    [/`/, 'a backtick outside code (a code span cut open)'],
    [/\|/, 'a pipe outside code (a table cell cut open)'],
    [/javascript:/i, 'a javascript: link'],
    [/[\u2400-\u2421\u241b]/, 'a control character picture outside code'],
    [/\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{7,40}\b/, 'a commit SHA'],
  ];
  for (const [rule, what] of rules) {
    const m = rule.exec(outside);
    if (m)
      found.push(
        `${what} outside code: ${JSON.stringify(outside.slice(Math.max(0, m.index - 30), m.index + 40))}`,
      );
  }
  return found;
}
