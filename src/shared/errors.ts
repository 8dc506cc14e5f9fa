export type Severity = 'error' | 'warning' | 'notice';

/** Something found in the dataset, shown in the log, the summary and as an annotation. */
export interface Problem {
  severity: Severity;
  message: string;
  /** Path relative to the workspace, for the annotation. */
  file?: string;
}

/**
 * An error the user can act on. The message says what went wrong, the hint what to do; both are
 * printed as the step's failure, so neither may ever carry a secret.
 */
export class ActionError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    /** Dataset problems found on the way (one per bad file), for the annotations and summary. */
    readonly problems: Problem[] = [],
  ) {
    super(message);
    this.name = 'ActionError';
  }

  /** The one text the step fails with. */
  override toString(): string {
    return this.hint ? `${this.message}\n${this.hint}` : this.message;
  }
}

/** The failure text of anything thrown: our own errors as written, anything else by its message. */
export function describeError(error: unknown): string {
  if (error instanceof ActionError) return error.toString();
  if (error instanceof Error) return error.message;
  return String(error);
}
