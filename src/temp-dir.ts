import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/**
 * The run's own folder under RUNNER_TEMP, made on first use and removed when the step ends,
 * whatever happened: the runner does not clean RUNNER_TEMP on self-hosted machines.
 */
export class TempDir {
  private created: Promise<string> | undefined;

  constructor(private readonly parent: string = process.env.RUNNER_TEMP || tmpdir()) {}

  path(): Promise<string> {
    this.created ??= mkdtemp(path.join(this.parent, 'segmind-finetune-'));
    return this.created;
  }

  async remove(): Promise<void> {
    if (!this.created) return;
    const dir = await this.created.catch(() => undefined);
    this.created = undefined;
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
