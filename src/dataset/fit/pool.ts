import { Worker } from 'node:worker_threads';
import type { Size } from './plan.js';
import { codecWorkerSetup, noteCodecStarted } from './codec.js';

/**
 * A few codec threads (codec-worker.mjs), each with its own WebAssembly codec, fitting one image
 * at a time: images are independent, so the runner's cores (two to four) fit them side by side.
 * Every image is bounded here, whatever it is:
 * - in time: a thread that has not answered within `timeLimitMs` is terminated, which stops
 *   WebAssembly mid-call (a JavaScript timer alone could not);
 * - in memory: each thread's codec memory is capped at `memoryBytes / lanes` (sharp's by its
 *   maximum, libheif's as it grows; sharp may still grow after a HEIC, so a thread that decoded
 *   one holds at most twice its share, docs/images.md); an image that needs more than its share
 *   is tried again alone, with all of it, once the other threads are done;
 * - by cancellation: the abort signal terminates every thread at once.
 * A thread that ends by itself (the codec aborts, out of memory) fails its image, not the step.
 */
export interface CodecJob {
  file: string;
  /** HEIC/HEIF: decoded with libheif, encoded as JPEG; its size comes out of the decoder. */
  heif: boolean;
  /** The decoders' own pixel limit (sharp's limitInputPixels, libheif's image size limit). */
  maxPixels: number;
  /** HEIF only: the longer side to fit to. */
  maxSide: number;
  /** JPEG, PNG, WebP: the size to resize to, after turning upright; none keeps the size. */
  resize?: Size;
  keep: 'icc' | 'all';
  encoder: { format: 'jpg' | 'png' | 'webp'; lossless: boolean; quality: number };
}

export interface CodecResult {
  bytes: Buffer;
  width: number;
  height: number;
  /** HEIF only: the decoded size, turned as a viewer shows it. */
  from?: Size;
  /** The codec thread's WebAssembly memory once done (it only grows): what the image cost. */
  memoryBytes: number;
}

/** Why the codec did not fit an image: what the step's error says about it. */
export class CodecError extends Error {
  constructor(
    message: string,
    readonly reason: 'time' | 'memory' | 'decode',
  ) {
    super(message);
    this.name = 'CodecError';
  }
}

export interface PoolOptions {
  lanes: number;
  /** The codec memory of all threads together. */
  memoryBytes: number;
  timeLimitMs: number;
  signal: AbortSignal;
  /** A line the codec printed, with the file it was working on. */
  onOutput: (line: string, file: string) => void;
  /** The thread's file, when not the codec's own (tests). */
  workerFile?: string;
}

interface Lane {
  worker: Worker;
  /** The job it runs, if any. */
  current?: { id: number; file: string; settle: (result: Answer | Error) => void };
  /** This thread's share of the memory. */
  memoryBytes: number;
}

interface Answer {
  ok: boolean;
  data?: Uint8Array;
  width?: number;
  height?: number;
  from?: Size;
  message?: string;
  memoryBytes?: number;
}

export class CodecPool {
  private readonly idle: Lane[] = [];
  private readonly waiting: (() => void)[] = [];
  private running = 0;
  private started = 0;
  private ids = 0;
  /** While an image runs alone with all the memory, nothing else starts. */
  private alone = false;
  private closed = false;
  private readonly lanes: Set<Lane> = new Set();
  private readonly onAbort = (): void => {
    void this.close();
  };

  constructor(private readonly options: PoolOptions) {
    // A run cancelled before its first image reached the codec starts no thread at all.
    if (options.signal.aborted) this.closed = true;
    else options.signal.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Fits one image; rejects with a CodecError naming what went wrong, or the cancellation. */
  async run(job: CodecJob): Promise<CodecResult> {
    try {
      return await this.attempt(job, false);
    } catch (error) {
      // Out of its share of memory: once more alone, with all of it.
      if (error instanceof CodecError && error.reason === 'memory' && this.options.lanes > 1) {
        return this.attempt(job, true);
      }
      throw error;
    }
  }

  private async attempt(job: CodecJob, alone: boolean): Promise<CodecResult> {
    const lane = await this.acquire(alone);
    try {
      const answer = await this.send(lane, job);
      if (answer instanceof Error) throw answer;
      if (!answer.ok) {
        const message = answer.message ?? 'the codec failed';
        throw new CodecError(message, OUT_OF_MEMORY.test(message) ? 'memory' : 'decode');
      }
      const data = answer.data!;
      return {
        bytes: Buffer.from(data.buffer, data.byteOffset, data.length),
        width: answer.width!,
        height: answer.height!,
        memoryBytes: answer.memoryBytes ?? 0,
        ...(answer.from ? { from: answer.from } : {}),
      };
    } finally {
      this.release(lane, alone);
    }
  }

  /** Terminates every thread; whatever runs rejects with the cancellation (or a close error). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.options.signal.removeEventListener('abort', this.onAbort);
    const reason =
      this.options.signal.reason ?? new Error('the codec threads were closed while fitting');
    const lanes = [...this.lanes];
    this.lanes.clear();
    this.idle.length = 0;
    for (const wake of this.waiting.splice(0)) wake();
    await Promise.all(
      lanes.map(async (lane) => {
        lane.current?.settle(reason instanceof Error ? reason : new Error(String(reason)));
        await lane.worker.terminate();
      }),
    );
  }

  private async acquire(alone: boolean): Promise<Lane> {
    for (;;) {
      this.throwIfClosed();
      const free = alone ? this.running === 0 : !this.alone && this.running < this.options.lanes;
      if (free) break;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.running++;
    if (alone) {
      this.alone = true;
      // A thread with all the memory: the others hold none while it runs.
      for (const lane of this.idle.splice(0)) this.retire(lane);
      return this.spawn(this.options.memoryBytes);
    }
    return this.idle.pop() ?? this.spawn(this.share());
  }

  private release(lane: Lane, alone: boolean): void {
    this.running--;
    if (alone) {
      this.alone = false;
      this.retire(lane);
    } else if (this.lanes.has(lane)) {
      this.idle.push(lane);
    }
    for (const wake of this.waiting.splice(0)) wake();
  }

  private share(): number {
    return Math.floor(this.options.memoryBytes / this.options.lanes);
  }

  private throwIfClosed(): void {
    if (this.closed) throw this.closedReason();
  }

  private closedReason(): Error {
    return closedError(this.options.signal);
  }

  private spawn(memoryBytes: number): Lane {
    noteCodecStarted();
    this.started++;
    const setup = codecWorkerSetup();
    const worker = new Worker(this.options.workerFile ?? setup.workerFile, {
      workerData: { codecWorker: { ...setup, memoryBytes } },
      // What the libraries print comes here, line by line, and goes through the log.
      stdout: true,
      stderr: true,
    });
    const lane: Lane = { worker, memoryBytes };
    this.lanes.add(lane);
    for (const stream of [worker.stdout, worker.stderr]) {
      let pending = '';
      stream.setEncoding('utf8');
      stream.on('data', (text: string) => {
        const lines = (pending + text).split('\n');
        pending = lines.pop()!;
        for (const line of lines) this.print(lane, line);
      });
      stream.on('end', () => {
        if (pending) this.print(lane, pending);
      });
    }
    worker.on('message', (answer: Answer & { id: number }) => {
      if (lane.current?.id === answer.id) lane.current.settle(answer);
    });
    const ended = (error: Error): void => {
      this.lanes.delete(lane);
      const index = this.idle.indexOf(lane);
      if (index >= 0) this.idle.splice(index, 1);
      lane.current?.settle(error);
    };
    worker.on('error', (error: Error & { code?: string }) => {
      // The codec aborts its thread when it cannot allocate: that image needed more memory. Any
      // other crash (a failed assertion, a stack overflow) is no reason to try again alone.
      const memory = error.code === 'ERR_WORKER_OUT_OF_MEMORY' || OUT_OF_MEMORY.test(error.message);
      ended(
        new CodecError(
          memory
            ? `it needs more than the ${mib(lane.memoryBytes)} of memory the codec may use for it (${error.message})`
            : `the codec failed: ${error.message}`,
          memory ? 'memory' : 'decode',
        ),
      );
    });
    worker.on('exit', (code) => {
      ended(new CodecError(`the codec's thread ended (exit code ${code})`, 'decode'));
    });
    return lane;
  }

  private print(lane: Lane, line: string): void {
    if (line.trim()) this.options.onOutput(line, lane.current?.file ?? '');
  }

  private retire(lane: Lane): void {
    this.lanes.delete(lane);
    void lane.worker.terminate();
  }

  private send(lane: Lane, job: CodecJob): Promise<Answer | Error> {
    // Closed between taking the thread and handing it the image: the thread is already being
    // terminated, and its exit must not read as this image's failure.
    if (this.closed) return Promise.resolve(this.closedReason());
    const id = ++this.ids;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        // Stopped mid-image: the thread is gone, and the next image gets a fresh one.
        this.lanes.delete(lane);
        settle(
          new CodecError(
            `it took longer than ${duration(this.options.timeLimitMs)} to decode, the limit for one image`,
            'time',
          ),
        );
        void lane.worker.terminate();
      }, this.options.timeLimitMs);
      const settle = (result: Answer | Error): void => {
        clearTimeout(timer);
        if (lane.current?.id === id) lane.current = undefined;
        resolve(result);
      };
      lane.current = { id, file: job.file, settle };
      lane.worker.postMessage({ id, ...job });
    });
  }

  /** Threads started so far (tests). */
  get threadsStarted(): number {
    return this.started;
  }

  /** Images being fitted now (tests). */
  get busy(): number {
    return this.running;
  }
}

/**
 * How the codecs say they could not allocate, and nothing else: libvips ("out of memory -- size
 * == 137MB"), libjpeg ("Insufficient memory"), libpng and libheif ("Out of memory", "Memory
 * allocation error"; codec-worker.mjs words a refused libheif allocation "out of memory"), GLib
 * ("failed to allocate"), Emscripten's abort ("Aborted(OOM)", "Cannot enlarge memory arrays"),
 * V8 ("Array buffer allocation failed", "WebAssembly.Memory(): could not allocate memory") and
 * a worker over its heap ("reaching memory limit"). A bare "Aborted(...)", a RangeError or a
 * message that merely names memory (libheif's "read_from_memory") is not one.
 */
const OUT_OF_MEMORY =
  /\bout of memory\b|insufficient memory|memory allocation (?:error|failed)|(?:cannot|could not|unable to|failed to) allocate|allocation failed|cannot enlarge memory|Aborted\(OOM\)|reaching memory limit/i;

/** Why the codec threads refuse work once closed: the run's cancellation, or their closing. */
export function closedError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error('the codec threads were closed');
}

function duration(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

function mib(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)} MiB`;
}
