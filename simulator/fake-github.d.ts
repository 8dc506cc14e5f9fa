/** An issue or pull-request comment as the fake stores and returns it. */
export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: 'Bot' | 'User' };
  /** ISO 8601 with whole seconds, e.g. `2024-05-01T12:00:00Z`, as GitHub formats it. */
  created_at: string;
  /** Strictly later than `created_at` after an edit (the fake's clock never repeats a second). */
  updated_at: string;
  html_url: string;
}

export interface FakeGitHubOptions {
  /**
   * Token -> identity. `type` defaults to `'User'`, `canWrite` to `true`.
   * Default: `{ 'gh-token': { login: 'github-actions[bot]', type: 'Bot', canWrite: true } }`.
   */
  tokens?: Record<string, { login: string; type?: 'Bot' | 'User'; canWrite?: boolean }>;
  /**
   * Whether `POST /graphql` answers `{ viewer { login } }` with the token's login, as GitHub does
   * for every kind of token (default `true`); `false` answers with a GraphQL error instead.
   */
  graphqlViewer?: boolean;
  /** Largest `per_page` honoured (default and maximum 100), to force pagination in tests. */
  pageSize?: number;
}

export interface RecordedRequest {
  method: string;
  /** The request target as received, including the query string. */
  path: string;
  /** Lower-cased header names, as Node reports them. */
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON; the raw text if it was not JSON; `undefined` when empty. */
  body: unknown;
}

export interface FakeGitHub {
  /** Base URL (`http://127.0.0.1:PORT`), for `GITHUB_API_URL` or Octokit's `baseUrl`. */
  url: string;
  /** Every request received, in arrival order, including refused ones. */
  requests: RecordedRequest[];
  /** Copies of the current comments of an issue/PR, oldest (lowest id) first. */
  comments(owner: string, repo: string, issue: number): FakeComment[];
  /** Seeds a comment; `user` defaults to `{ login: 'octocat', type: 'User' }`. */
  addComment(
    owner: string,
    repo: string,
    issue: number,
    body: string,
    user?: { login: string; type?: 'Bot' | 'User' },
  ): FakeComment;
  /** Stops listening and destroys open (keep-alive) connections. */
  close(): Promise<void>;
}

export function startFakeGitHub(options?: FakeGitHubOptions): Promise<FakeGitHub>;
