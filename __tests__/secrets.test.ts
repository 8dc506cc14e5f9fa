import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { identityOf, unsignedUrl } from '../src/dataset/dataset-url.js';
import { maskUrlSignature, redact } from '../src/shared/secrets.js';
import { excerpt, oneLine } from '../src/http/send.js';

describe('maskUrlSignature', () => {
  let written: string[];
  let spy: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    written = [];
    spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  });
  afterEach(() => spy.mockRestore());
  // The values as the runner reads them: workflow commands escape % as %25.
  const masked = () =>
    written
      .filter((l) => l.startsWith('::add-mask::'))
      .map((l) => l.slice(12).trim().replace(/%25/g, '%'));

  it('masks each signature value as the URL spells it, decoded and re-encoded', () => {
    maskUrlSignature(
      'https://b.s3.test/d.zip?X-Amz-Credential=AKIA%2F2026%2Fus&X-Amz-Signature=abc123&X-Amz-Security-Token=t%2Bo%3D&X-Amz-Expires=3600',
    );
    expect(masked()).toEqual(
      expect.arrayContaining(['AKIA%2F2026%2Fus', 'AKIA/2026/us', 'abc123', 't%2Bo%3D', 't+o=']),
    );
    // Only the signature parameters, in their spellings; never the rest of the query.
    expect(masked().filter((m) => m.includes('3600'))).toEqual([]);
    expect(masked()).toContain('AKIA\\/2026\\/us'); // as JSON may escape it
  });

  it('knows Google Cloud Storage and Azure signatures, and masks a whole pre-signed URL when asked', () => {
    maskUrlSignature('https://storage.test/o?X-Goog-Signature=g00g&X-Goog-Credential=svc%40p');
    maskUrlSignature('https://acct.blob.test/c/d.zip?sv=2024&sig=AzUr%2Be', false);
    maskUrlSignature('https://up.test/u?X-Amz-Signature=s1', true);
    expect(masked()).toEqual(
      expect.arrayContaining([
        'g00g',
        'svc%40p',
        'svc@p',
        'AzUr%2Be',
        'AzUr+e',
        'https://up.test/u?X-Amz-Signature=s1',
        's1',
      ]),
    );
    expect(masked()).not.toContain('2024');
  });
});

describe('redact', () => {
  it('removes the given secrets and the signature values of S3, GCS and Azure links', () => {
    const text =
      'key sk-abcdef, token ghs_123456, https://s3.test/x.zip?X-Amz-Credential=AKIA%2F1&X-Amz-Signature=deadbeef&X-Amz-Security-Token=tok| ' +
      'https://gcs.test/o?X-Goog-Signature=ff00 https://az.test/c?sv=1&sig=AzUr%2Be&se=2030';
    expect(redact(text, ['sk-abcdef', 'ghs_123456', '', undefined])).toBe(
      'key ***, token ***, https://s3.test/x.zip?X-Amz-Credential=***&X-Amz-Signature=***&X-Amz-Security-Token=***| ' +
        'https://gcs.test/o?X-Goog-Signature=*** https://az.test/c?sv=1&sig=***&se=2030',
    );
  });

  it('is applied before server text is cut, so no head of a key is left beside the ellipsis', () => {
    const key = 'r8_cutHereCutHereCutHereCutHere0123456';
    redact('', [key]);
    // The server quotes the key across the 300-character cut of a one-line message.
    const line = oneLine(`${'x'.repeat(290)} ${key} trailing`, 300);
    expect(line).not.toContain(key.slice(0, 8));
    expect(line).toContain('***');
    expect(excerpt(Buffer.from(`${'y'.repeat(190)} ${key}`), 200)).not.toContain(key.slice(0, 8));
  });
});

describe('identityOf (what names a dataset-url ZIP in the fingerprint)', () => {
  const headers = { etag: '"e1"', 'last-modified': 'Tue, 24 Nov 2026 10:00:00 GMT' };

  it('ignores the signing parameters, so a freshly signed link to the same file is the same dataset', () => {
    const a = identityOf(
      'https://b.test/d.zip?X-Amz-Signature=1&X-Amz-Date=20261124&v=2',
      10,
      headers,
    );
    const b = identityOf(
      'https://b.test/d.zip?X-Amz-Signature=2&X-Amz-Date=20261125&v=2',
      10,
      headers,
    );
    expect(a).toBe(b);
    expect(a).toContain('https://b.test/d.zip?v=2');
  });

  it('keeps the parameters of a link that is not signed: `sr` or `sp` alone may name the file', () => {
    expect(unsignedUrl('https://data.test/get?sr=set-a')).not.toBe(
      unsignedUrl('https://data.test/get?sr=set-b'),
    );
    expect(unsignedUrl('https://acct.blob.test/c/d.zip?sv=1&sr=b&sig=AAA&se=2030#x')).toBe(
      unsignedUrl('https://acct.blob.test/c/d.zip?sv=2&sr=b&sig=BBB&se=2031'),
    );
    expect(unsignedUrl('not a url')).toBe('not a url');
  });

  it('changes when the host reports another ETag, date or size: a new ZIP at the same URL', () => {
    const base = identityOf('https://b.test/d.zip', 10, headers);
    expect(identityOf('https://b.test/d.zip', 10, { ...headers, etag: '"e2"' })).not.toBe(base);
    expect(identityOf('https://b.test/d.zip', 10, { ...headers, 'last-modified': 'Wed' })).not.toBe(
      base,
    );
    expect(identityOf('https://b.test/d.zip', 11, headers)).not.toBe(base);
    expect(identityOf('https://b.test/other.zip', 10, headers)).not.toBe(base);
  });
});
