import type { HttpClient } from '@actions/http-client';
import type { RequestOptions } from '@actions/http-client/lib/interfaces';

export const USER_AGENT = 'segmind-flux-finetune-action';

let module: Promise<typeof import('@actions/http-client')> | undefined;

/**
 * Starts loading the toolkit's HTTP client without waiting for it. It brings undici, about 85 ms
 * of start-up: a dry run never pays it, and a train run starts it while the ZIP is written so the
 * first request does not wait for it. (@actions/core's own copy is replaced by a stand-in, see
 * shims/core-http-client, for the same reason.)
 */
export function preloadHttpClient(): Promise<typeof import('@actions/http-client')> {
  module ??= import('@actions/http-client');
  return module;
}

export async function createHttpClient(options: RequestOptions): Promise<HttpClient> {
  const { HttpClient } = await preloadHttpClient();
  // No redirects: one to another host would take the x-api-key along (the client strips only
  // Authorization), a public ZIP must answer HEAD with 200 itself, and an upload stream cannot be
  // sent twice. A 3xx is reported like any other unexpected status.
  return new HttpClient(USER_AGENT, [], { ...options, allowRedirects: false });
}
