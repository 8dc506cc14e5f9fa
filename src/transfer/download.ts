import * as log from '../shared/log.js';
import type { IncomingHttpHeaders } from 'node:http';
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { lstat, mkdir, open, realpath, rename, rm, rmdir, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { cancelSignal, CancelledError } from '../shared/cancellation.js';
import { ActionError } from '../shared/errors.js';
import { hostOf, HttpError, sendStreaming, type StreamingAnswer } from '../http/send.js';
import { requestTimeoutMs, withRetry, type RetryPolicy } from '../http/retry.js';
import { maskUrlSignature } from '../shared/secrets.js';
import { storageError, withFreshLinkOn403 } from './storage.js';
import { formatMb } from '../shared/format.js';

/** What `model-path`, `model-sha256` and `model-bytes` say. */
export interface DownloadedModel {
  /** The path as given in `download-model`, relative to the workspace. */
  path: string;
  bytes: number;
  sha256: string;
}

/**
 * Where a provider's trained weights are fetched from. The download itself (streamed, resumed,
 * checked, renamed into place, masked) is the same for every provider; what differs is said here.
 */
export interface ModelSource {
  /** The provider, as messages name it: "Segmind", "fal", "Replicate". */
  provider: string;
  /**
   * A link to GET, and headers to send with it. The headers (a credential, for Replicate) go to
   * that link's origin only, never to a host a redirect or a later link points at.
   */
  link(): Promise<{ url: string; headers?: Record<string, string> }>;
  /**
   * Whether `link()` hands out a new signed link each time (Segmind's pre-signed URLs): then a
   * 403 from the storage host is worth one fresh link.
   */
  refreshable: boolean;
  /** The file's size in bytes, when the provider says it before the download. */
  size?: number;
  /** The body is a tar archive holding exactly one `.safetensors`: that file is the model. */
  tar?: boolean;
}

// ---------------------------------------------------------------------------------------------
// The target: inside the workspace, whatever links lie on the way
// ---------------------------------------------------------------------------------------------

const INPUT_HINT =
  'Set `download-model` to a file path inside the workspace, such as `models/model.safetensors`.';

function targetError(relative: string, problem: string): ActionError {
  return new ActionError(`Input \`download-model\` is "${relative}": ${problem}.`, INPUT_HINT);
}

function isInside(root: string, candidate: string): boolean {
  return (
    candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep)
  );
}

/**
 * Checks on disk what the input check cannot: the deepest folder of the target that exists must
 * really lie in the workspace (a folder that is a symbolic link leading out is refused, as a pull
 * request could add one), must be a folder, and the target must not be a folder. A target that is
 * itself a symbolic link is fine: the download replaces the link, it never writes through it.
 * Returns the absolute target.
 */
export async function checkTarget(workspace: string, relative: string): Promise<string> {
  const root = await realpath(workspace);
  const absolute = path.resolve(workspace, relative);
  let existing = path.dirname(absolute);
  for (;;) {
    try {
      const info = await lstat(existing);
      const real = await realpath(existing);
      if (!isInside(root, real)) {
        throw targetError(
          relative,
          `the folder ${path.relative(workspace, existing) || '.'} is a symbolic link leading out of the workspace, and nothing outside it is written`,
        );
      }
      if (!info.isDirectory() && !(info.isSymbolicLink() && (await lstat(real)).isDirectory())) {
        throw targetError(
          relative,
          `${path.relative(workspace, existing)} is a file, so it cannot hold the download`,
        );
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      if (existing === path.dirname(existing)) throw error;
      existing = path.dirname(existing);
    }
  }
  try {
    if ((await lstat(absolute)).isDirectory()) {
      throw targetError(
        relative,
        'that is a folder; name the file to write, such as model.safetensors',
      );
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return absolute;
}

// ---------------------------------------------------------------------------------------------
// The download
// ---------------------------------------------------------------------------------------------

/** The part file and what has been written to it: every byte in it is hashed, no other. */
export interface Progress {
  file: FileHandle;
  hash: Hash;
  /** Bytes in the part file. */
  bytes: number;
  /** The file's size, once an answer said it. */
  total?: number;
  etag?: string;
  /** The next quarter to log. */
  nextMark: number;
  startedAt: number;
}

/**
 * Asks the provider for a link to its weights (`source`) and streams the file to a part file beside
 * the target, hashing as it writes: flat memory whatever the size. Network errors and 5xx are
 * retried, resuming with `Range` where the storage host allows it (206 from the offset asked;
 * a 200 instead starts over); a 403 (an expired link) gets one fresh URL. Only a complete file,
 * its size as the storage host said, is renamed into place, so an existing target is replaced
 * only then. On any failure or cancellation the part file (and any folder made for it) goes.
 */
export async function downloadFile(options: {
  source: ModelSource;
  workspace: string;
  relative: string;
  retry: RetryPolicy;
}): Promise<DownloadedModel> {
  const { workspace, relative } = options;
  const absolute = await checkTarget(workspace, relative);
  const folder = path.dirname(absolute);
  const made = await mkdir(folder, { recursive: true });
  const part = path.join(
    folder,
    `.${path.basename(absolute)}.${randomBytes(6).toString('hex')}.part`,
  );
  // Last resort for an exit that skips the finally below (a second signal, the grace timer).
  const onExit = (): void => {
    try {
      unlinkSync(part);
    } catch {
      // gone already
    }
  };
  process.once('exit', onExit);
  let file: FileHandle | undefined;
  let done = false;
  try {
    // Made just now, after the check: what exists must still be inside the workspace.
    await checkTarget(workspace, relative);
    // 'wx': never opens what is already there (a planted link included).
    file = await open(part, 'wx', 0o644);
    const progress: Progress = {
      file,
      hash: createHash('sha256'),
      bytes: 0,
      nextMark: 0.25,
      startedAt: Date.now(),
    };
    await fetchWithFreshUrl(options.source, progress, options.retry);
    await file.close();
    file = undefined;
    await rename(part, absolute);
    done = true;
    const sha256 = progress.hash.digest('hex');
    log.info(
      `Downloaded the model to ${relative}: ${formatMb(progress.bytes)} (${progress.bytes} bytes), sha256 ${sha256}.`,
    );
    return { path: relative, bytes: progress.bytes, sha256 };
  } finally {
    process.off('exit', onExit);
    if (!done) {
      await file?.close().catch(() => undefined);
      await rm(part, { force: true }).catch(() => undefined);
      if (made) await removeEmptyFolders(folder, made);
    }
  }
}

/** Removes `folder` and its parents up to `top`, as long as they are empty (made for nothing). */
async function removeEmptyFolders(folder: string, top: string): Promise<void> {
  for (let dir = folder; isInside(top, dir); dir = path.dirname(dir)) {
    try {
      await rmdir(dir);
    } catch {
      return;
    }
    if (dir === top) return;
  }
}

async function fetchWithFreshUrl(
  source: ModelSource,
  progress: Progress,
  retry: RetryPolicy,
): Promise<void> {
  const use = ({ url, headers }: { url: string; headers?: Record<string, string> }) =>
    fetchResuming(url, hostOf(url), headers ?? {}, progress, retry);
  if (!source.refreshable) {
    await use(await checkedLink(source));
    return;
  }
  let link: { url: string; headers?: Record<string, string> } | undefined;
  await withFreshLinkOn403(
    async () => {
      link = await checkedLink(source);
      return link.url;
    },
    () => use(link!),
    'download link',
    `Check that the runner clock is right (signatures carry a time) and that no proxy rewrites the request; if both are fine, contact ${source.provider} support.`,
    source.provider,
  );
}

/** The provider's link, masked before anything could print it, and checked. */
async function checkedLink(
  source: ModelSource,
): Promise<{ url: string; headers?: Record<string, string> }> {
  const link = await source.link();
  const url = link.url.trim();
  // A link handed out fresh each time is a signed credential (anyone holding it can fetch the
  // model until it expires): masked whole. A provider's fixed file URL is the `model-url` output
  // itself, and stays readable; any signature in its query is masked still.
  if (url) maskUrlSignature(url, source.refreshable);
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  const loopback = /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/i.test(parsed?.hostname ?? '');
  if (!parsed || !(parsed.protocol === 'https:' || (parsed.protocol === 'http:' && loopback))) {
    // Not shown: it may be the link itself, in a form the masking does not know.
    throw new ActionError(
      `${source.provider} gave ${parsed ? `a ${parsed.protocol} URL` : 'no URL'} for the model file, where an https download link was expected.`,
      'Re-run the job; if it persists, please open an issue (the link is not shown here, as a download link can be a credential).',
    );
  }
  return { url, headers: link.headers };
}

/**
 * GETs the rest of the file into the part file, retrying transient failures. A failure after
 * bytes arrived does not spend the budget: the next attempt resumes and gets a budget of its own,
 * up to MAX_RENEWALS times (a host that always breaks off after a few bytes must end too).
 */
async function fetchResuming(
  url: string,
  host: string,
  extraHeaders: Record<string, string>,
  progress: Progress,
  retry: RetryPolicy,
): Promise<void> {
  // One attempt of a large file on a slow link can take minutes by itself.
  const policy: RetryPolicy = { ...retry, maxTotalMs: Math.max(retry.maxTotalMs, 15 * 60_000) };
  for (let renewals = 0; ; renewals++) {
    const before = progress.bytes;
    try {
      await withRetry(
        `Download from ${host}`,
        policy,
        () => fetchOnce(url, host, extraHeaders, progress, requestTimeoutMs(120_000, retry)),
        (error) => ({
          retryable: error instanceof HttpError && error.transient,
          retryAfterMs: error instanceof HttpError ? error.retryAfterMs : undefined,
          error,
        }),
      );
      return;
    } catch (error) {
      const advanced = progress.bytes > before;
      if (!(advanced && error instanceof HttpError && error.transient) || renewals >= MAX_RENEWALS)
        throw error;
      log.info(`Download from ${host} failed (${error.message.split('\n')[0]}); resuming.`);
    }
  }
}

const MAX_RENEWALS = 20;

async function fetchOnce(
  url: string,
  host: string,
  extraHeaders: Record<string, string>,
  progress: Progress,
  timeoutMs: number,
): Promise<void> {
  const headers: Record<string, string> = { Accept: '*/*', ...extraHeaders };
  const resuming = progress.bytes > 0;
  if (resuming) {
    headers.Range = `bytes=${progress.bytes}-`;
    // A file that changed since the first bytes would be answered in full, not spliced.
    if (progress.etag) headers['If-Range'] = progress.etag;
  }
  const what = `Download of the model from ${host}`;
  const answer = await sendStreaming({
    what,
    method: 'GET',
    url,
    headers,
    timeoutMs,
    peer: 'the storage host',
  });
  const { status } = answer;
  const etag = headerOf(answer.headers, 'etag');
  let expected: number | undefined;
  if (status === 206 && resuming) {
    const range = parseContentRange(headerOf(answer.headers, 'content-range'));
    if (
      !range ||
      range.start !== progress.bytes ||
      (progress.etag && etag && etag !== progress.etag)
    ) {
      answer.body.destroy();
      await restart(progress);
      throw restartError(what, `it answered another range than the one asked for`);
    }
    progress.total = range.total ?? progress.total;
    expected = range.end - range.start;
    log.info(
      `Resuming the download at ${formatMb(progress.bytes)}${progress.total ? ` of ${formatMb(progress.total)}` : ''}.`,
    );
  } else if (status === 200) {
    if (resuming) {
      log.info(`${host} does not resume downloads (it answered the whole file); starting over.`);
      await restart(progress);
    }
    const length = headerOf(answer.headers, 'content-length');
    expected = length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
    progress.total = expected;
    progress.etag = etag;
  } else if (status === 416 && resuming) {
    answer.body.destroy();
    const total = parseContentRange(headerOf(answer.headers, 'content-range'))?.total;
    if (total !== undefined && total === progress.bytes) {
      // All of it was here already: the answer that brought the last bytes broke off at its end.
      progress.total = total;
      return;
    }
    await restart(progress);
    throw restartError(what, 'it answered HTTP 416 to a resume');
  } else {
    throw await statusError(what, status, answer, url);
  }

  let received = 0;
  const writer = partWriter(progress, (n) => (received += n));
  try {
    await pipeline(answer.body, writer.stream);
  } catch (error) {
    await writer.settled();
    if (error instanceof CancelledError || cancelSignal.aborted) throw cancelSignal.reason ?? error;
    if (error instanceof WriteError) {
      throw new ActionError(
        `Could not write the model file: ${error.message}`,
        'Check that the runner has room for the model (LoRA files are hundreds of MB) and may write to the folder of `download-model`.',
      );
    }
    // The HTTP layer's error: a reset, a cut-off body or an idle timeout, said as such.
    throw error;
  }
  if (expected !== undefined && received !== expected) {
    throw restartError(what, `it sent ${received} of the ${expected} bytes it announced`, false);
  }
  if (progress.total !== undefined && progress.bytes !== progress.total) {
    throw restartError(
      what,
      `it ended at ${progress.bytes} of the file's ${progress.total} bytes`,
      false,
    );
  }
}

/** A transient failure of the storage host that is not a status or a network error. */
function restartError(what: string, problem: string, startingOver = true): HttpError {
  return new HttpError({
    what,
    transient: true,
    serverMessage: `${problem}${startingOver ? '; starting over' : ''}`,
    hint: 'The storage host did not serve the file as asked. Re-run the job; if it persists, contact the provider’s support.',
  });
}

/** Empties the part file and the hash: the next bytes are the file's first. */
async function restart(progress: Progress): Promise<void> {
  await progress.file.truncate(0);
  progress.hash = createHash('sha256');
  progress.bytes = 0;
  progress.total = undefined;
  progress.etag = undefined;
  progress.nextMark = 0.25;
}

class WriteError extends Error {}

/**
 * Writes to the part file at the current offset and hashes the same bytes meanwhile; the offset
 * moves on once both are done, and a failed write rolls the hash back, so the hash and the file
 * agree whatever breaks off (a resume carries on with both). Exported for its tests.
 */
export function partWriter(
  progress: Progress,
  counted: (n: number) => void,
): { stream: Writable; settled: () => Promise<void> } {
  const writeAll = async (chunks: Buffer[]): Promise<void> => {
    let length = 0;
    for (const chunk of chunks) length += chunk.length;
    const writing = (async () => {
      let written = 0;
      while (written < length) {
        const slice = written === 0 ? chunks : [Buffer.concat(chunks).subarray(written)];
        const { bytesWritten } = await progress.file.writev(slice, progress.bytes + written);
        written += bytesWritten;
      }
    })();
    // Hashed while the thread pool writes (the two took turns before). A failed write puts the
    // hash back as it was, so it still covers exactly the bytes in the file: a body that breaks
    // off during that write is resumed from the offset, and hashed from there, like any other.
    const before = progress.hash.copy();
    for (const chunk of chunks) progress.hash.update(chunk);
    try {
      await writing;
    } catch (error) {
      progress.hash = before;
      throw new WriteError((error as Error).message);
    }
    progress.bytes += length;
    counted(length);
    logProgress(progress);
  };
  let pending: Promise<void> = Promise.resolve();
  const stream = new Writable({
    highWaterMark: 1 << 20,
    writev(chunks, callback) {
      pending = writeAll(chunks.map((c) => c.chunk as Buffer));
      pending.then(() => callback(), callback);
    },
    // A write under way when the body breaks off is finished first: until then the file, the
    // hash and the offset would disagree, and the next attempt must start from all three.
    destroy(error, callback) {
      pending.then(
        () => callback(error),
        () => callback(error),
      );
    },
  });
  return { stream, settled: () => pending.then(undefined, () => undefined) };
}

function logProgress(progress: Progress): void {
  const total = progress.total;
  if (!total) return;
  while (progress.bytes / total >= progress.nextMark && progress.nextMark <= 1) {
    const seconds = (Date.now() - progress.startedAt) / 1000;
    const rate = seconds > 0 ? ` at ${formatMb(progress.bytes / seconds)}/s` : '';
    log.info(
      `Downloading: ${Math.round(progress.nextMark * 100)}% (${formatMb(progress.bytes)} of ${formatMb(total)}${rate})`,
    );
    progress.nextMark += 0.25;
  }
}

async function statusError(
  what: string,
  status: number,
  answer: StreamingAnswer,
  url: string,
): Promise<HttpError> {
  const text = await readSome(answer.body, 4096);
  const hint =
    status === 403
      ? 'The download link was refused (expired, or not matching the request). Re-run the job; if it persists, check that the runner clock is right and that no proxy rewrites the request.'
      : status === 404
        ? 'The storage host has no file there: the model may have been deleted at the provider. Check the job with `command: status`.'
        : status >= 500 || status === 429
          ? 'The storage host had a problem. Re-run the job later; if it persists, contact the provider’s support.'
          : 'Re-run the job; if it persists, contact the provider’s support.';
  return storageError(what, answer, text, url, hint);
}

/** Up to `max` bytes of an error body as text; the rest is not waited for. */
async function readSome(body: Readable, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= max) break;
    }
  } catch {
    // an error body cut short is still worth what arrived
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks).subarray(0, max).toString('utf8');
}

function headerOf(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `bytes start-last/total` (total may be `*`); end is exclusive. */
export function parseContentRange(
  value: string | undefined,
): { start: number; end: number; total?: number } | undefined {
  const match = /^bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)$/i.exec(value?.trim() ?? '');
  if (!match) return undefined;
  const total = match[3] === '*' ? undefined : Number(match[3]);
  if (match[1] === undefined)
    return total === undefined ? undefined : { start: total, end: total, total };
  const start = Number(match[1]);
  const end = Number(match[2]) + 1;
  if (end <= start || (total !== undefined && end > total)) return undefined;
  return { start, end, total };
}
