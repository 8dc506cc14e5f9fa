import * as log from '../shared/log.js';
import type { IncomingHttpHeaders } from 'node:http';
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { unlinkSync, write } from 'node:fs';
import { lstat, mkdir, open, realpath, rename, rm, rmdir, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { cancelSignal, CancelledError } from '../shared/cancellation.js';
import { ActionError } from '../shared/errors.js';
import { hostOf, HttpError } from '../http/send.js';
import { receive, type Receiving } from '../http/receive.js';
import { requestTimeoutMs, withRetry, type RetryPolicy } from '../http/retry.js';
import { maskUrlSignature, registerSecret } from '../shared/secrets.js';
import { isHttpsOrLoopback } from '../shared/urls.js';
import { storageError, withFreshLinkOn403 } from './storage.js';
import { formatMb } from '../shared/format.js';
import { progressLines } from './progress.js';
import type { TarModel } from './tar-model.js';

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
  /**
   * The file's size in bytes, when the provider says it before the download (with `tar`: the
   * size of the model inside). The download is then capped at exactly that, and a body that
   * ends with the connection, without a length, is complete when it has that many bytes.
   */
  size?: number;
  /** The body is a tar archive holding exactly one `.safetensors`: that file is the model. */
  tar?: boolean;
}

/**
 * The most a download may bring when the provider gives no size: far above any LoRA (tens to
 * hundreds of MB) and a full FLUX checkpoint (about 24 GB), far below what a storage host that
 * sends without end would fill a runner's disk with. docs/security.md says why.
 */
const DEFAULT_MAX_BYTES = 50_000_000_000;

// ---------------------------------------------------------------------------------------------
// The target: inside the workspace, whatever links lie on the way
// ---------------------------------------------------------------------------------------------

const INPUT_HINT =
  'Set `download-model` to a file path inside the workspace, such as `models/model.safetensors`.';

function targetError(relative: string, problem: string, input: string): ActionError {
  return new ActionError(
    `Input \`${input}\` is "${relative}": ${problem}.`,
    input === 'download-model'
      ? INPUT_HINT
      : `Set \`${input}\` to a file path inside the workspace, such as \`build/dataset.zip\`.`,
  );
}

function isInside(root: string, candidate: string): boolean {
  return (
    candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep)
  );
}

/** Folders no download may land in, whatever links lead there: Git's own and the workflows'. */
const GUARDED = new Set(['.git', '.github']);

/** The guarded folder `real` (inside `root`) lies in, if any. */
function guardedPart(root: string, real: string): string | undefined {
  return path
    .relative(root, real)
    .split(path.sep)
    .find((part) => GUARDED.has(part.toLowerCase()));
}

/** Longest name a file system takes for one path component (ext4, NTFS, APFS: 255). */
const MAX_NAME_BYTES = 255;
/** Longest absolute path Linux takes. */
const MAX_PATH_BYTES = 4095;

/**
 * Checks on disk what the input check cannot: the deepest folder of the target that exists must
 * really lie in the workspace (a folder that is a symbolic link leading out is refused, as a pull
 * request could add one) and outside `.git` and `.github` (a link such as `models -> .git/hooks`
 * would otherwise put the file among Git's hooks), must be a folder, and the target must not be a
 * folder. A target that is itself a symbolic link is fine: the download replaces the link, it
 * never writes through it. Returns the absolute target.
 */
export async function checkTarget(
  workspace: string,
  relative: string,
  /** The input that names the target, for the messages. */
  input = 'download-model',
): Promise<string> {
  const root = await realpath(workspace);
  const absolute = path.resolve(workspace, relative);
  if (Buffer.byteLength(absolute) > MAX_PATH_BYTES) {
    throw targetError(
      relative,
      `inside the workspace that path is ${Buffer.byteLength(absolute)} bytes long, more than the ${MAX_PATH_BYTES} Linux allows; use a shorter one`,
      input,
    );
  }
  let existing = path.dirname(absolute);
  for (;;) {
    try {
      const info = await lstat(existing);
      const real = await realpath(existing);
      if (!isInside(root, real)) {
        throw targetError(
          relative,
          `the folder ${path.relative(workspace, existing) || '.'} is a symbolic link leading out of the workspace, and nothing outside it is written`,
          input,
        );
      }
      const guarded = guardedPart(root, real);
      if (guarded) {
        throw targetError(
          relative,
          `the folder ${path.relative(workspace, existing) || '.'} leads into \`${guarded}\` (through a symbolic link), and nothing is written there`,
          input,
        );
      }
      if (!info.isDirectory() && !(info.isSymbolicLink() && (await lstat(real)).isDirectory())) {
        throw targetError(
          relative,
          `${path.relative(workspace, existing)} is a file, so it cannot hold ${input === 'download-model' ? 'the download' : 'the file'}`,
          input,
        );
      }
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENAMETOOLONG') {
        throw targetError(
          relative,
          'a name in that path is longer than the file system allows',
          input,
        );
      }
      if (code !== 'ENOENT') throw error;
      if (existing === path.dirname(existing)) throw error;
      existing = path.dirname(existing);
    }
  }
  try {
    if ((await lstat(absolute)).isDirectory()) {
      throw targetError(
        relative,
        'that is a folder; name the file to write, such as model.safetensors',
        input,
      );
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return absolute;
}

/**
 * The hidden part file beside `absolute`: `.<name>.<random>.part`, the name shortened when the
 * whole would pass the file system's limit on one name.
 */
export function partFileName(absolute: string): string {
  const suffix = `.${randomBytes(6).toString('hex')}.part`;
  let base = path.basename(absolute);
  while (Buffer.byteLength(`.${base}${suffix}`) > MAX_NAME_BYTES) base = base.slice(0, -1);
  return path.join(path.dirname(absolute), `.${base}${suffix}`);
}

// ---------------------------------------------------------------------------------------------
// The part file: written with back-pressure, hashed as it is taken
// ---------------------------------------------------------------------------------------------

/** Bytes are gathered into buffers of this size and written while the next one fills. */
const WRITE_BUFFER_BYTES = 1 << 20;
/** While no write is under way, this much is written without waiting for a full buffer. */
const IDLE_WRITE_BYTES = 64 * 1024;
/** How many such buffers exist: the download's memory is bounded by these, whatever its size. */
const WRITE_BUFFERS = 4;

/**
 * Where the model's bytes go: the part file and its sha256. `take` copies a piece into a write
 * buffer; a full buffer is hashed, then written by the thread pool while the network fills the
 * next (`hash` has every byte taken once `flush` resolved). When all but one buffer are being
 * written, `take` returns false (read no more) and `onRoom` is called once one is free again. A
 * failed write is kept and thrown by `flush`: a disk that refuses the file fails the download at
 * once, never retried.
 */
export class PartFile {
  /** Bytes taken: every one is in the file and the hash once `flush` resolves. */
  bytes = 0;
  hash: Hash = createHash('sha256');
  onRoom: () => void = () => undefined;
  /** Called once when a write fails (flush throws it). */
  onError: () => void = () => undefined;
  private readonly free: Buffer[] = [];
  private current: Buffer | undefined;
  private fill = 0;
  private submitted = 0;
  private writing = 0;
  /** Resolved when no write is under way. */
  private readonly drained: (() => void)[] = [];
  private error: Error | undefined;
  private wantsRoom = false;

  constructor(private readonly file: FileHandle) {}

  take(piece: Buffer): boolean {
    this.bytes += piece.length;
    let offset = 0;
    while (offset < piece.length) {
      if (!this.current) {
        this.current = this.free.pop() ?? Buffer.allocUnsafeSlow(WRITE_BUFFER_BYTES);
        this.fill = 0;
      }
      const n = Math.min(piece.length - offset, this.current.length - this.fill);
      // TypedArray's own set, not Buffer's copy: copy's checks run as JavaScript in Node 20, four
      // more functions for the engine to optimise in a long download (docs/performance.md).
      this.current.set(n === piece.length ? piece : piece.subarray(offset, offset + n), this.fill);
      this.fill += n;
      offset += n;
      // A full buffer is written; so is a part of one while the disk has nothing to do, which
      // keeps the disk busy on a slow link instead of holding a megabyte back.
      if (
        this.fill === this.current.length ||
        (this.writing === 0 && this.fill >= IDLE_WRITE_BYTES)
      ) {
        this.submit();
      }
    }
    if (this.writing >= WRITE_BUFFERS - 1 || this.error) {
      this.wantsRoom = true;
      return false;
    }
    return true;
  }

  /** Writes what is gathered and waits for every write; throws the first failed write. */
  async flush(): Promise<void> {
    if (this.current && this.fill > 0) this.submit();
    await this.idle();
    if (this.error) throw new WriteError(this.error.message);
  }

  /**
   * Resolves once no write is under way. The writes go to the handle's descriptor, which the
   * handle's close does not wait for: the file is closed only after this, or a write still in
   * the thread pool could land in whatever file reused the descriptor's number.
   */
  async idle(): Promise<void> {
    if (this.writing > 0) await new Promise<void>((resolve) => this.drained.push(resolve));
  }

  /** Empties the file and the hash: the next bytes are the file's first. */
  async restart(): Promise<void> {
    await this.flush();
    await this.file.truncate(0);
    this.hash = createHash('sha256');
    this.bytes = 0;
    this.submitted = 0;
  }

  private submit(): void {
    const buffer = this.current!;
    const length = this.fill;
    const position = this.submitted;
    this.current = undefined;
    this.fill = 0;
    this.submitted += length;
    this.writing++;
    // Hashed here, a buffer at a time, rather than a TLS record (16 KiB) at a time as pieces
    // come: a 300 MB download took 0.93x the time (docs/performance.md).
    this.hash.update(length === buffer.length ? buffer : buffer.subarray(0, length));
    // fs.write with a callback, not the handle's promise: that made about 3 KB of garbage per
    // write, whose collections grew the peak RSS of a long download (docs/performance.md).
    let done = 0;
    const written = (error: Error | null, bytesWritten = 0): void => {
      if (!error) {
        done += bytesWritten;
        if (done < length) {
          next();
          return;
        }
      } else if (!this.error) {
        this.error = error;
        this.onError();
      }
      this.writing--;
      // Every buffer is kept for the next piece, one made while all were busy included: dropping
      // those made the peak RSS grow with the file (1 MiB of garbage per pause, collected late).
      // Reading pauses once all but one are busy, so there are never more than a few.
      this.free.push(buffer);
      if (this.wantsRoom && this.writing < WRITE_BUFFERS - 1) {
        this.wantsRoom = false;
        this.onRoom();
      }
      if (this.writing === 0) for (const resolve of this.drained.splice(0)) resolve();
    };
    const next = (): void => {
      try {
        write(this.file.fd, buffer, done, length - done, position + done, written);
      } catch (error) {
        // A handle closed under the write (its descriptor is then -1, which fs.write refuses at
        // once): the write fails like any other, and flush() reports it.
        written(error as Error);
      }
    };
    next();
  }
}

class WriteError extends Error {}

// ---------------------------------------------------------------------------------------------
// The download
// ---------------------------------------------------------------------------------------------

/** What was received of the storage host's file, across attempts. */
interface Transfer {
  part: PartFile;
  /** The model out of a tar (`source.tar`), else undefined: the body is the model. */
  tar?: TarModel;
  /** Bytes of the body (the file, or the tar) received and taken. */
  received: number;
  /** The body's size as the first answer said it, when it did. */
  total?: number;
  /** The first answer's validators: a resume must come from the same file. */
  etag?: string;
  lastModified?: string;
  /** Most bytes the body may have. */
  cap: number;
  source: ModelSource;
  report: (done: number) => void;
}

/**
 * Asks the provider for a link to its weights (`source`) and streams the file to a part file beside
 * the target, hashing as it writes: flat memory whatever the size. Network errors and 5xx are
 * retried, resuming with `Range` where the storage host allows it and the answer is the same file
 * (size, ETag, Last-Modified); anything else starts over. A 403 (an expired link) gets one fresh
 * URL when the provider hands out fresh ones. Only a complete file is renamed into place, so an
 * existing target is replaced only then. On any failure or cancellation the part file (and any
 * folder made for it) goes. With `source.tar` the body is a tar and its one `.safetensors` is the
 * model (tar-model.ts). `maxBytes` bounds a download whose size the provider does not give
 * (default DEFAULT_MAX_BYTES).
 */
export async function downloadFile(options: {
  source: ModelSource;
  workspace: string;
  relative: string;
  retry: RetryPolicy;
  maxBytes?: number;
}): Promise<DownloadedModel> {
  const { workspace, relative, source } = options;
  const absolute = await checkTarget(workspace, relative);
  const folder = path.dirname(absolute);
  const made = await mkdir(folder, { recursive: true });
  const part = partFileName(absolute);
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
  let partFile: PartFile | undefined;
  let done = false;
  try {
    // Made just now, after the check: what exists must still be inside the workspace.
    await checkTarget(workspace, relative);
    // 'wx': never opens what is already there (a planted link included).
    file = await open(part, 'wx', 0o644);
    const bound = options.maxBytes ?? DEFAULT_MAX_BYTES;
    const known = source.size !== undefined && source.size >= 0 ? source.size : undefined;
    partFile = new PartFile(file);
    const transfer: Transfer = {
      part: partFile,
      received: 0,
      cap: source.tar ? bound : (known ?? bound),
      source,
      report: () => undefined,
    };
    if (source.tar) {
      // tar-stream loads only for a model that comes as a tar (Replicate's weights).
      const { TarModel } = await import('./tar-model.js');
      transfer.tar = new TarModel(
        transfer.part,
        known ?? bound,
        source.provider,
        known !== undefined,
      );
    }
    await fetchWithFreshUrl(source, transfer, options.retry);
    const bytes = transfer.part.bytes;
    if (!source.tar && known !== undefined && bytes !== known) {
      throw new ActionError(
        `The model file from ${source.provider} has ${bytes} bytes, where ${source.provider} said ${known}.`,
        'Re-run the job; if it persists, contact the provider’s support.',
      );
    }
    await file.close();
    file = undefined;
    await rename(part, absolute);
    done = true;
    const sha256 = transfer.part.hash.digest('hex');
    log.info(
      `Downloaded the model to ${relative}: ${formatMb(bytes)} (${bytes} bytes), sha256 ${sha256}.`,
    );
    return { path: relative, bytes, sha256 };
  } finally {
    process.off('exit', onExit);
    if (!done) {
      // Every failure of the body settles the part file before it throws; this is the last
      // guard, for one that would not (see PartFile.idle).
      await partFile?.idle();
      await file?.close().catch(() => undefined);
      await rm(part, { force: true }).catch(() => undefined);
      if (made) await removeEmptyFolders(folder, made);
    }
  }
}

/**
 * Removes `folder` and its parents up to `top`, as long as they are empty: `top` is what
 * `mkdir(folder, { recursive: true })` answered, the first folder it made, so none of them was
 * there before.
 */
export async function removeEmptyFolders(folder: string, top: string): Promise<void> {
  for (let dir = folder; isInside(top, dir); dir = path.dirname(dir)) {
    try {
      await rmdir(dir);
    } catch {
      return;
    }
    if (dir === top) return;
  }
}

type Link = { url: string; headers?: Record<string, string> };

async function fetchWithFreshUrl(
  source: ModelSource,
  transfer: Transfer,
  retry: RetryPolicy,
): Promise<void> {
  const use = ({ url, headers }: Link) =>
    fetchResuming(url, hostOf(url), headers ?? {}, transfer, retry);
  if (!source.refreshable) {
    await use(await checkedLink(source));
    return;
  }
  let link: Link | undefined;
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
async function checkedLink(source: ModelSource): Promise<Link> {
  const link = await source.link();
  const url = link.url.trim();
  // A link handed out fresh each time is a signed credential (anyone holding it can fetch the
  // model until it expires): masked whole. A provider's fixed file URL is the `model-url` output
  // itself, and stays readable; any signature in its query is masked still.
  if (url) maskUrlSignature(url, source.refreshable);
  // The headers carry a credential too (Replicate's token): never shown either.
  for (const value of Object.values(link.headers ?? {})) registerSecret(value.trim());
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !isHttpsOrLoopback(url)) {
    // Not shown: it may be the link itself, in a form the masking does not know.
    throw new ActionError(
      `${source.provider} gave ${parsed ? `a ${parsed.protocol} URL` : 'no URL'} for the model file, where an https download link was expected.`,
      'Re-run the job; if it persists, please open an issue (the link is not shown here, as a download link can be a credential).',
    );
  }
  return { url, headers: link.headers };
}

/**
 * GETs the rest of the file, retrying transient failures. A failure after bytes arrived does not
 * spend the budget: the next attempt resumes and gets a budget of its own, up to MAX_RENEWALS
 * times (a host that always breaks off after a few bytes must end too).
 */
async function fetchResuming(
  url: string,
  host: string,
  extraHeaders: Record<string, string>,
  transfer: Transfer,
  retry: RetryPolicy,
): Promise<void> {
  // One attempt of a large file on a slow link can take minutes by itself.
  const policy: RetryPolicy = { ...retry, maxTotalMs: Math.max(retry.maxTotalMs, 15 * 60_000) };
  for (let renewals = 0; ; renewals++) {
    const before = transfer.received;
    try {
      await withRetry(
        `Download from ${host}`,
        policy,
        () => fetchOnce(url, host, extraHeaders, transfer, requestTimeoutMs(120_000, retry)),
        (error) => ({
          retryable: error instanceof HttpError && error.transient,
          retryAfterMs: error instanceof HttpError ? error.retryAfterMs : undefined,
          error,
        }),
      );
      return;
    } catch (error) {
      const advanced = transfer.received > before;
      if (!(advanced && error instanceof HttpError && error.transient) || renewals >= MAX_RENEWALS)
        throw error;
      log.info(`Download from ${host} failed (${error.message.split('\n')[0]}); resuming.`);
    }
  }
}

const MAX_RENEWALS = 20;

const RETRY_HINT =
  'The storage host did not serve the file as asked. Re-run the job; if it persists, contact the provider’s support.';

/** A failure of the storage host that another attempt will not mend: the download ends. */
function refusal(what: string, problem: string, hint = RETRY_HINT): HttpError {
  return new HttpError({ what, transient: false, serverMessage: problem, hint });
}

/** A transient failure of the storage host that is not a status or a network error. */
function restartError(what: string, problem: string, startingOver = true): HttpError {
  return new HttpError({
    what,
    transient: true,
    serverMessage: `${problem}${startingOver ? '; starting over' : ''}`,
    hint: RETRY_HINT,
  });
}

/** Whether what was received can be resumed: only a file whose size the first answer said. */
function resumable(transfer: Transfer): boolean {
  return transfer.received > 0 && transfer.total !== undefined;
}

async function fetchOnce(
  url: string,
  host: string,
  extraHeaders: Record<string, string>,
  transfer: Transfer,
  timeoutMs: number,
): Promise<void> {
  const what = `Download of the model from ${host}`;
  if (transfer.received > 0 && !resumable(transfer)) {
    // Without a size to check the rest against, a resumed body could be spliced to another file.
    log.info(`${host} did not say the file's size, so the download cannot resume; starting over.`);
    await restart(transfer);
  }
  const headers: Record<string, string> = { ...extraHeaders };
  const resuming = transfer.received > 0;
  if (resuming) {
    headers.Range = `bytes=${transfer.received}-`;
    // A file that changed since the first bytes is answered in full (200), not spliced.
    const strong = transfer.etag && !transfer.etag.startsWith('W/') ? transfer.etag : undefined;
    const validator = strong ?? transfer.lastModified;
    if (validator) headers['If-Range'] = validator;
  }
  const answer = await receive({ what, url, headers, timeoutMs, peer: 'the storage host' });
  try {
    await readAnswer(answer, what, url, transfer, resuming);
  } finally {
    answer.close();
  }
}

async function readAnswer(
  answer: Receiving,
  what: string,
  url: string,
  transfer: Transfer,
  resuming: boolean,
): Promise<void> {
  const { status } = answer;
  const etag = headerOf(answer.headers, 'etag');
  const lastModified = headerOf(answer.headers, 'last-modified');
  let expected: number | undefined;
  if (status === 206 && resuming) {
    const range = parseContentRange(headerOf(answer.headers, 'content-range'));
    const problem = !range
      ? 'a range it did not say'
      : range.start !== transfer.received
        ? `bytes from ${range.start} where ${transfer.received} were asked for`
        : range.total !== transfer.total
          ? `a file of ${range.total ?? 'unknown'} bytes where the first answer had ${transfer.total}`
          : transfer.etag && etag && etag !== transfer.etag
            ? 'another version of the file (its ETag changed)'
            : transfer.lastModified && lastModified && lastModified !== transfer.lastModified
              ? 'another version of the file (its Last-Modified changed)'
              : undefined;
    if (problem) {
      await restart(transfer);
      throw restartError(what, `asked to resume, it answered with ${problem}`);
    }
    expected = range!.end - range!.start;
    log.info(
      `Resuming the download at ${formatMb(transfer.received)} of ${formatMb(transfer.total!)}.`,
    );
  } else if (status === 200) {
    if (resuming) {
      log.info(
        `${hostOf(url)} does not resume downloads (it answered the whole file); starting over.`,
      );
      await restart(transfer);
    }
    const length = headerOf(answer.headers, 'content-length');
    expected = length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
    if (expected !== undefined && expected > transfer.cap) {
      throw refusal(what, tooBig(transfer, expected));
    }
    transfer.total = expected;
    transfer.etag = etag;
    transfer.lastModified = lastModified;
    transfer.report = progressLines('Downloading', expected ?? 0, { rate: true });
  } else if (status === 416 && resuming) {
    const total = parseContentRange(headerOf(answer.headers, 'content-range'))?.total;
    if (total !== undefined && total === transfer.total && total === transfer.received) {
      // All of it was here already: the answer that brought the last bytes broke off at its end.
      await finishBody(transfer);
      return;
    }
    await restart(transfer);
    throw restartError(what, 'it answered HTTP 416 to a resume');
  } else {
    const text = await answer.text(4096);
    throw statusError(what, status, answer.headers, text, url, transfer.source.provider);
  }

  let received = 0;
  let failure: unknown;
  const onPiece = (piece: Buffer): boolean => {
    if (failure !== undefined) return false;
    received += piece.length;
    transfer.received += piece.length;
    if (transfer.received > transfer.cap) {
      failure = refusal(what, tooBig(transfer));
      answer.close();
      return false;
    }
    const room = transfer.tar ? transfer.tar.take(piece) : transfer.part.take(piece);
    transfer.report(transfer.received);
    return room;
  };
  const sink = transfer.tar ?? transfer.part;
  sink.onRoom = () => answer.resume();
  // A disk that refuses the file ends the answer at once; settle() then says why.
  transfer.part.onError = () => answer.close();
  const failed = transfer.tar?.failed;
  let framed: boolean;
  try {
    ({ framed } = await (failed
      ? Promise.race([answer.read(onPiece), failed])
      : answer.read(onPiece)));
  } catch (error) {
    await settle(transfer);
    if (error instanceof CancelledError || cancelSignal.aborted) throw cancelSignal.reason ?? error;
    // The HTTP layer's error: a reset, a cut-off body or an idle timeout, said as such.
    throw error;
  }
  if (failure !== undefined) {
    await settle(transfer);
    throw failure;
  }
  if (expected !== undefined && received !== expected) {
    await settle(transfer);
    throw restartError(what, `it sent ${received} of the ${expected} bytes it announced`, false);
  }
  if (transfer.total !== undefined && transfer.received !== transfer.total) {
    await settle(transfer);
    throw restartError(
      what,
      `it ended at ${transfer.received} of the file's ${transfer.total} bytes`,
      false,
    );
  }
  if (!framed) {
    // A connection's close ends a body without a length, and so does a cut: only the size the
    // provider gave can tell them apart.
    const size = transfer.source.tar ? undefined : transfer.source.size;
    if (size === undefined || transfer.received !== size) {
      await settle(transfer);
      throw restartError(
        what,
        `it sent ${transfer.received} bytes without saying how many were due, then closed the connection, which a cut-off transfer does too`,
        false,
      );
    }
  }
  await finishBody(transfer);
}

/** Why a body is refused for its size: `announced` bytes, or more than the cap as they came. */
function tooBig(transfer: Transfer, announced?: number): string {
  const { source, cap } = transfer;
  const limit =
    source.size !== undefined && !source.tar
      ? `the ${cap} bytes ${source.provider} said the model has`
      : `the ${cap} bytes a download may have when the provider does not say the size`;
  return announced !== undefined
    ? `it announced ${announced} bytes, more than ${limit}`
    : `it sent more than ${limit}`;
}

/** The body ended whole: everything is written, and a tar has given its model. */
async function finishBody(transfer: Transfer): Promise<void> {
  if (transfer.tar) await transfer.tar.end();
  await settle(transfer);
}

/** Waits until every byte taken is written (a resume starts after them); a write error wins. */
async function settle(transfer: Transfer): Promise<void> {
  await transfer.part.flush().catch((error: unknown) => {
    if (error instanceof WriteError) throw writeFailure(error);
  });
}

function writeFailure(error: WriteError): ActionError {
  return new ActionError(
    `Could not write the model file: ${error.message}`,
    'Check that the runner has room for the model (LoRA files are hundreds of MB) and may write to the folder of `download-model`.',
  );
}

/** Empties the part file, the hash and what was learnt of the file: the next bytes are its first. */
async function restart(transfer: Transfer): Promise<void> {
  try {
    await transfer.part.restart();
  } catch (error) {
    if (error instanceof WriteError) throw writeFailure(error);
    throw error;
  }
  transfer.tar?.restart();
  transfer.received = 0;
  transfer.total = undefined;
  transfer.etag = undefined;
  transfer.lastModified = undefined;
  transfer.report = () => undefined;
}

function statusError(
  what: string,
  status: number,
  headers: IncomingHttpHeaders,
  text: string,
  url: string,
  provider: string,
): HttpError {
  const hint =
    status === 403
      ? 'The download link was refused (expired, or not matching the request). Re-run the job; if it persists, check that the runner clock is right and that no proxy rewrites the request.'
      : status === 404
        ? 'The storage host has no file there: the model may have been deleted at the provider. Check the job with `command: status`.'
        : status >= 300 && status < 400
          ? `The storage host answered with a redirect, which is not followed (it could lead anywhere, and the link's headers must reach its own host only). If it persists, contact ${provider} support.`
          : status >= 500 || status === 429
            ? 'The storage host had a problem. Re-run the job later; if it persists, contact the provider’s support.'
            : 'Re-run the job; if it persists, contact the provider’s support.';
  return storageError(what, { status, headers }, text, url, hint);
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
