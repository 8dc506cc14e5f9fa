import * as core from '@actions/core';

/**
 * Query parameters that carry a signed URL's credentials: S3 (SigV4 and V2), Google Cloud
 * Storage (V4) and Azure (SAS `sig`). The rest of such a URL is not secret and stays readable.
 */
const SIGNATURE_PARAMETER =
  /^(?:X-(?:Amz|Goog)-(?:Signature|Credential|Security-Token)|sig|signature)$/i;

/**
 * Those parameters wherever they are quoted: after `?`, `&`, `&amp;` (an XML error body that
 * quotes the URL), `%26` or nothing at all, with `=` spelled raw, percent-encoded once or twice,
 * or as a JSON `\u003d`. The value runs to the next separator of any of those spellings.
 */
const SIGNATURE_IN_TEXT =
  /(X-(?:Amz|Goog)-(?:Signature|Credential|Security-Token)|(?:(?<![A-Za-z0-9_-])|(?<=%26|%3F))(?:sig|signature))(=|%3D|%253D|\\u003d)[^&\s#"'<>`|;,)\]}\\]*/gi;

/** Secrets learnt so far, each in every spelling it may be printed in. */
const known = new Set<string>();
/** `known`, longest first, so a URL is replaced whole before any of its parts. */
let ordered: string[] = [];

/** The spellings a secret may take in a log, an error body, JSON or XML. */
function spellings(secret: string): string[] {
  const forms = new Set([secret]);
  try {
    forms.add(decodeURIComponent(secret.replace(/\+/g, ' ')));
  } catch {
    // not valid percent-encoding: the raw form is enough
  }
  for (const form of [...forms]) {
    forms.add(encodeURIComponent(form));
    const xml = form
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;');
    forms.add(xml);
    forms.add(xml.replace(/&apos;/g, '&#39;').replace(/&quot;/g, '&#34;'));
    forms.add(form.replace(/&/g, '&#38;'));
    forms.add(form.replace(/\//g, '\\/'));
    forms.add(
      form
        .replace(/\//g, '\\/')
        .replace(/&/g, '\\u0026')
        .replace(/</g, '\\u003c')
        .replace(/>/g, '\\u003e'),
    );
  }
  return [...forms];
}

/**
 * Registers a secret as soon as it is known: the runner masks it in the log from then on, and
 * `redact` removes it from every other sink (summary, comment, outputs, annotations) without the
 * caller passing lists around. Values shorter than 4 characters are ignored: masking them would
 * blank out ordinary words.
 */
export function registerSecret(secret: string | undefined, minLength = 4): void {
  if (!secret || secret.length < minLength) return;
  let added = false;
  for (const form of spellings(secret)) {
    if (form.length < minLength || known.has(form)) continue;
    known.add(form);
    core.setSecret(form);
    added = true;
  }
  if (added) ordered = [...known].sort((a, b) => b.length - a.length);
}

/**
 * Masks the signature parts of a signed URL in every sink, in every form they can be printed in:
 * as the URL spells them (percent-encoded), decoded, encoded again, XML- and JSON-escaped.
 * `whole` masks the URL too, for a URL that is a credential as a whole (a pre-signed upload URL).
 */
export function maskUrlSignature(url: string, whole = false): void {
  if (whole) registerSecret(url);
  const query = url.split('#')[0]!.split('?')[1] ?? '';
  for (const pair of query.split('&')) {
    const at = pair.indexOf('=');
    if (at < 0 || !SIGNATURE_PARAMETER.test(pair.slice(0, at))) continue;
    // Any length: a signature value is never an ordinary word.
    registerSecret(pair.slice(at + 1), 1);
  }
}

/**
 * `text` with every registered secret (and any given in `secrets`) replaced by `***`, and every
 * signed URL's signature, credential and token values too, whether registered or not. Every
 * sink calls it: log.ts, the summary and comment (markdown.ts), outputs (report.ts).
 */
export function redact(text: string, secrets: (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) registerSecret(secret);
  for (const secret of ordered) {
    if (out.includes(secret)) out = out.split(secret).join('***');
  }
  return out.replace(SIGNATURE_IN_TEXT, '$1$2***');
}

/** Forgets every registered secret; for tests only. */
export function forgetSecretsForTests(): void {
  known.clear();
  ordered = [];
}
