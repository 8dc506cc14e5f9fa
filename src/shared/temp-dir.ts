import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/**
 * The run's own folder under RUNNER_TEMP, made on first use and removed when the step ends,
 * whatever happened: the runner does not clean RUNNER_TEMP on self-hosted machines.
 */
export class TempDir {
  private created: Promise<string> | undefined;
  /** The folder, once made. */
  private made: string | undefined;

  constructor(private readonly parent: string = process.env.RUNNER_TEMP || tmpdir()) {}

  path(): Promise<string> {
    this.created ??= mkdtemp(path.join(this.parent, 'segmind-finetune-')).then((dir) => {
      this.made = dir;
      return dir;
    });
    return this.created;
  }

  /**
   * Removes the folder. One still being made gets `waitMs` to appear: a run that ends because
   * something never settled must still end.
   */
  async remove(waitMs = 5000): Promise<void> {
    if (!this.created) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(resolve, waitMs, undefined);
    });
    const dir = this.made ?? (await Promise.race([this.created.catch(() => undefined), late]));
    clearTimeout(timer);
    this.created = undefined;
    this.made = undefined;
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
