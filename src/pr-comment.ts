import type { Config } from './inputs.js';
import type { Report } from './report.js';

/** Placeholder until the sticky comment lands. */
export async function upsertPullRequestComment(_config: Config, _report: Report): Promise<void> {}
