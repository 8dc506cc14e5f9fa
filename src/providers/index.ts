/**
 * The provider a run talks to, made from the inputs. Each provider's client is loaded only when
 * a request is to be made: a dry run loads none, and a run loads only its own.
 */
import type { Config } from '../inputs.js';
import type { RetryPolicy } from '../http/retry.js';
import type { Provider } from './provider.js';

export interface ProviderContext {
  config: Config;
  retry: RetryPolicy;
  /** The repository's name (Replicate's default destination model is named after it). */
  repository: string;
}

export async function createProvider({
  config,
  retry,
  repository,
}: ProviderContext): Promise<Provider> {
  switch (config.provider) {
    case 'segmind': {
      const [{ SegmindClient }, { SegmindProvider }] = await Promise.all([
        import('./segmind/client.js'),
        import('./segmind/provider.js'),
      ]);
      return new SegmindProvider(new SegmindClient(config.apiUrl, config.apiKey, retry), retry);
    }
    case 'fal': {
      const { FalProvider } = await import('./fal/provider.js');
      return new FalProvider({
        apiUrl: config.apiUrl,
        apiKey: config.apiKey,
        retry,
        settings: config.settings,
      });
    }
    case 'replicate': {
      const { ReplicateProvider } = await import('./replicate/provider.js');
      return new ReplicateProvider({
        apiUrl: config.apiUrl,
        apiKey: config.apiKey,
        retry,
        settings: config.settings,
        repository,
      });
    }
  }
}
