// @actions/core imports HttpClient for getIDToken alone. This action never asks for an OIDC
// token; if it ever does, this says so instead of failing obscurely.
export class HttpClient {
  constructor() {
    throw new Error(
      'core.getIDToken is not available in this action: @actions/core gets a stand-in HTTP client (see shims/core-http-client).',
    );
  }
}
