import * as core from '@actions/core';

/**
 * Query parameters that carry a signed URL's credentials: S3 (SigV4), Google Cloud Storage (V4)
 * and Azure (SAS `sig`). The rest of such a URL is not secret and stays readable.
 */
const SIGNATURE_PARAMETER =
  /^(?:X-(?:Amz|Goog)-(?:Signature|Credential|Security-Token)|sig|signature)$/i;

/**
 * Masks the signature parts of a signed URL in the log, in every form they can be printed in: as
 * the URL spells them (percent-encoded), decoded, and encoded again. `whole` masks the URL too,
 * for a URL that is a credential as a whole (a pre-signed upload URL).
 */
export function maskUrlSignature(url: string, whole = false): void {
  if (whole) core.setSecret(url);
  const query = url.split('#')[0]!.split('?')[1] ?? '';
  for (const pair of query.split('&')) {
    const at = pair.indexOf('=');
    if (at < 0 || !SIGNATURE_PARAMETER.test(pair.slice(0, at))) continue;
    const raw = pair.slice(at + 1);
    if (!raw) continue;
    let decoded = raw;
    try {
      decoded = decodeURIComponent(raw.replace(/\+/g, ' '));
    } catch {
      // not valid percent-encoding: the raw form is masked below all the same
    }
    for (const form of new Set([raw, decoded, encodeURIComponent(decoded)])) core.setSecret(form);
  }
}

/**
 * `text` with the given secrets and every signed URL's signature values replaced by `***`, for
 * the places the runner does not mask: the job summary and the pull-request comment.
 */
export function redact(text: string, secrets: (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('***');
  }
  return out.replace(
    /([?&](?:X-(?:Amz|Goog)-(?:Signature|Credential|Security-Token)|sig|signature)=)[^&#\s)"'`|]*/gi,
    '$1***',
  );
}
