/**
 * The model out of a tar (Replicate hands its trained weights out as a tar archive): the body is
 * read through tar-stream's extractor as it arrives, and the one `.safetensors` member, not the
 * archive, goes to the part file; the archive itself is never stored. Resuming needs nothing
 * special: the extractor keeps its place, and the bytes of the resumed answer carry on from the
 * archive's offset. docs/download.md says why tar-stream.
 */
import { extract, type Extract, type ExtractEvents, type Header } from 'tar-stream';

type Entry = ExtractEvents['entry'][1];
import { ActionError } from '../shared/errors.js';
import type { PartFile } from './download.js';

/** Names kept for the message of an archive without exactly one model. */
const NAMES_SHOWN = 12;

const KINDS: Record<string, string> = {
  file: 'file',
  'contiguous-file': 'file',
  directory: 'folder',
  symlink: 'symbolic link',
  link: 'hard link',
  'block-device': 'device',
  'character-device': 'device',
  fifo: 'named pipe',
};

export class TarModel {
  /** Called when the extractor takes pieces again after `take` returned false. */
  onRoom: () => void = () => undefined;
  /** Rejects with the ActionError that ends the download (a bad archive); never resolves. */
  readonly failed: Promise<never>;
  private rejectFailed: (error: unknown) => void = () => undefined;
  private extractor!: Extract;
  private finished!: Promise<void>;
  private found: string[] = [];
  private entries = 0;
  private model: string | undefined;
  private error: ActionError | undefined;

  /** `cap`: the most the model file may have (the provider's size, or the download's bound). */
  constructor(
    private readonly part: PartFile,
    private readonly cap: number,
    private readonly provider: string,
    private readonly exact = false,
  ) {
    this.failed = new Promise<never>((_resolve, reject) => {
      this.rejectFailed = reject;
    });
    this.failed.catch(() => undefined);
    this.start();
  }

  /** Takes a piece of the archive (copied: the caller's buffer is reused); false: wait for onRoom. */
  take(piece: Buffer): boolean {
    if (this.error) return false;
    return this.extractor.write(Buffer.from(piece));
  }

  /** The archive's bytes are all here: waits for the model to be taken whole. */
  async end(): Promise<void> {
    // streamx types want an argument; none ends the stream as Node's end() does.
    this.extractor.end(undefined);
    await Promise.race([this.failed, this.finished]);
    if (!this.model) {
      this.fail(`holds no .safetensors file (${this.describeFound()})`);
      await this.failed;
    }
  }

  /** Starts reading the archive from its first byte again (the part file is emptied apart). */
  restart(): void {
    this.extractor.destroy();
    this.start();
  }

  private start(): void {
    const extractor = extract();
    this.extractor = extractor;
    this.found = [];
    this.entries = 0;
    this.model = undefined;
    extractor.on('entry', (header, stream, next) => this.entry(header, stream, next));
    extractor.on('drain', () => this.onRoom());
    // Never rejects: an error of the extractor is said by `failed`.
    this.finished = new Promise<void>((resolve) => {
      extractor.once('finish', resolve);
      // `on`, not `once`: a stream that ends in error may say so more than once.
      extractor.on('error', (error: Error) => {
        if (this.extractor === extractor)
          this.fail(`is not a readable tar archive (${error.message})`);
      });
    });
  }

  private entry(header: Header, stream: Entry, next: () => void): void {
    const name = header.name;
    const kind = KINDS[header.type] ?? header.type;
    this.entries++;
    if (this.found.length < NAMES_SHOWN) this.found.push(`${name} (${kind})`);
    stream.on('end', () => next());
    // An entry cut off with the archive errors too; the extractor's error says what happened.
    stream.on('error', () => undefined);
    if (!/\.safetensors$/i.test(name.replace(/\/+$/, ''))) {
      stream.resume();
      return;
    }
    if (kind !== 'file') {
      this.fail(`has ${name} as a ${kind}, where the model must be a file`);
      return;
    }
    if (this.model) {
      this.fail(
        `holds more than one .safetensors file (${this.model} and ${name}), so which is the model is not clear`,
      );
      return;
    }
    if (header.size > this.cap || (this.exact && header.size !== this.cap)) {
      this.fail(
        `has ${name} of ${header.size} bytes, where ${this.exact ? `${this.provider} said the model has ${this.cap}` : `a download may have at most ${this.cap}`}`,
      );
      return;
    }
    this.model = name;
    stream.on('data', (chunk) => {
      if (!this.part.take(chunk as Buffer)) {
        stream.pause();
        this.part.onRoom = () => stream.resume();
      }
    });
  }

  private describeFound(): string {
    if (this.entries === 0) return 'it is empty';
    const more = this.entries - this.found.length;
    return `it has ${this.found.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
  }

  private fail(problem: string, hint?: string): void {
    if (this.error) return;
    this.error = new ActionError(
      `The model archive from ${this.provider} ${problem}.`,
      hint ??
        `Nothing was written. Re-run the job; if it persists, contact ${this.provider} support with this message.`,
    );
    this.rejectFailed(this.error);
    this.extractor.destroy();
  }
}
