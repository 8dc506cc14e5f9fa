import type { HttpClient } from '@actions/http-client';
import type { RequestOptions } from '@actions/http-client/lib/interfaces';

export const USER_AGENT = 'segmind-flux-finetune-action';

/**
 * The toolkit's HTTP client, loaded on the first request. It brings undici, which costs about
 * 85 ms of start-up; a dry run sends nothing and so never pays it. (@actions/core's own copy is
 * replaced by a stand-in, see shims/core-http-client, for the same reason.)
 */
export async function createHttpClient(options: RequestOptions): Promise<HttpClient> {
  const { HttpClient } = await import('@actions/http-client');
  // No redirects: one to another host would take the x-api-key along (the client strips only
  // Authorization), a public ZIP must answer HEAD with 200 itself, and an upload stream cannot be
  // sent twice. A 3xx is reported like any other unexpected status.
  return new HttpClient(USER_AGENT, [], { ...options, allowRedirects: false });
}
