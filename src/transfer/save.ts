/**
 * A file of the run's (the dataset ZIP) copied to a path the user named in the workspace: checked
 * as a download's target is (inside the workspace, no link leading out or into `.git`), written
 * beside it under a hidden name and renamed into place once complete, so an existing file there
 * is replaced only then and a failure leaves nothing.
 */
import { constants } from 'node:fs';
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { ActionError } from '../shared/errors.js';

export async function saveCopy(
  source: string,
  workspace: string,
  relative: string,
  input: string,
): Promise<void> {
  // Loaded as the download loads it: one chunk of the bundle holds it, not two.
  const { checkTarget, partFileName, removeEmptyFolders } = await import('./download.js');
  const absolute = await checkTarget(workspace, relative, input);
  const folder = path.dirname(absolute);
  const made = await mkdir(folder, { recursive: true });
  const part = partFileName(absolute);
  let saved = false;
  try {
    // Made just now: what exists must still be inside the workspace.
    await checkTarget(workspace, relative, input);
    try {
      // COPYFILE_EXCL: never writes through what is already there (a planted link included).
      await copyFile(source, part, constants.COPYFILE_EXCL);
      await rename(part, absolute);
      saved = true;
    } catch (error) {
      throw new ActionError(
        `Could not save the dataset ZIP to ${relative}: ${(error as Error).message}`,
        `Check that the runner may write to the folder of \`${input}\` and has room for the ZIP.`,
      );
    }
  } finally {
    if (!saved) {
      await rm(part, { force: true }).catch(() => undefined);
      if (made) await removeEmptyFolders(folder, made);
    }
  }
}
