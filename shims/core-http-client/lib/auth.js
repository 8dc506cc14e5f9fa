// Imported by @actions/core's oidc-utils next to HttpClient; unused for the same reason.
export class BearerCredentialHandler {
  constructor(token) {
    this.token = token;
  }
}
