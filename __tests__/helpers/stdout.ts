import { vi } from 'vitest';

/**
 * Runs `work` with the process's standard output held back and kept (the action's log, its
 * annotations and workflow commands): what the run printed, beside what it returned or threw.
 */
export async function withStdout<T>(
  work: () => Promise<T>,
): Promise<{ value?: T; error?: unknown; stdout: string }> {
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  try {
    return { value: await work(), stdout: written.join('') };
  } catch (error) {
    return { error, stdout: written.join('') };
  } finally {
    spy.mockRestore();
  }
}
