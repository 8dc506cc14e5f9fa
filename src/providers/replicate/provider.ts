import { ActionError } from '../../shared/errors.js';
import type { RetryPolicy } from '../../http/retry.js';
import type { TrainingSettings } from '../../inputs.js';
import type { Provider } from '../provider.js';

export interface ReplicateOptions {
  apiUrl: string;
  apiKey: string;
  retry: RetryPolicy;
  settings: TrainingSettings;
  repository: string;
}

/** Replicate behind the provider seam: not built yet. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class ReplicateProvider {
  constructor(_options: ReplicateOptions) {
    throw new ActionError('`provider: replicate` is not available yet.', 'Use `provider: fal`.');
  }
}
export type { Provider };
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface ReplicateProvider extends Provider {}
