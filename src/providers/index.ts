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

/** Each provider's modules, chunks of the bundle loaded on first use. */
const modules = {
  segmind: () => Promise.all([import('./segmind/client.js'), import('./segmind/provider.js')]),
  fal: () => import('./fal/provider.js'),
  replicate: () => import('./replicate/provider.js'),
};

/**
 * Loads a provider's modules without making it: a command starts this beside its own module's
 * load, and `createProvider` then finds them loaded.
 */
export function loadProvider(name: Config['provider']): Promise<unknown> {
  return modules[name]();
}

export async function createProvider({
  config,
  retry,
  repository,
}: ProviderContext): Promise<Provider> {
  switch (config.provider) {
    case 'segmind': {
      const [{ SegmindClient }, { SegmindProvider }] = await modules.segmind();
      return new SegmindProvider(new SegmindClient(config.apiUrl, config.apiKey, retry), retry);
    }
    case 'fal': {
      const { FalProvider } = await modules.fal();
      return new FalProvider({
        apiUrl: config.apiUrl,
        apiKey: config.apiKey,
        retry,
        settings: config.settings,
      });
    }
    case 'replicate': {
      const { ReplicateProvider } = await modules.replicate();
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
