// A fake of the slice of the GitHub REST API that the sticky pull-request comment uses.
//
// Why a fake and not a mock of Octokit: the end-to-end tests run the bundled action as a child
// process, so the only seam is the network. Pointing GITHUB_API_URL at this server exercises the
// real @actions/github client (URL templates, auth header, JSON parsing, Link-header pagination,
// RequestError on 4xx) exactly as it runs on a GitHub runner.
//
// Node built-ins only, so it runs from the test process and from scripts without a build step.

import http from 'node:http';

/** GitHub's maximum `per_page` for list endpoints; larger values are silently clamped. */
const GITHUB_MAX_PER_PAGE = 100;
/** GitHub's `per_page` when the client does not send one. */
const GITHUB_DEFAULT_PER_PAGE = 30;
/** GitHub rejects comment bodies longer than this with 422, so the action must not exceed it. */
const MAX_COMMENT_BODY = 65536;
/** Request bodies above this are refused outright; no legitimate call here comes near it. */
const MAX_REQUEST_BYTES = 5 * 1024 * 1024;
/** The `documentation_url` GitHub attaches to generic errors. */
const DOCS_URL = 'https://docs.github.com/rest';

/**
 * The identity the real GITHUB_TOKEN has: a bot that can write to the repository. Used when the
 * caller passes no `tokens`, so the common case needs no setup.
 * @type {Record<string, { login: string; type?: 'Bot' | 'User'; canWrite?: boolean }>}
 */
const DEFAULT_TOKENS = {
  'gh-token': { login: 'github-actions[bot]', type: 'Bot', canWrite: true },
};

/** Who seeded comments belong to when the test does not say: a human, not the action's bot. */
const DEFAULT_SEED_USER = { login: 'octocat', type: /** @type {const} */ ('User') };

/**
 * Formats a time the way GitHub does (ISO 8601, whole seconds, `Z`), so code that parses or
 * compares timestamps sees the same shape as in production.
 * @param {number} ms
 */
function githubTime(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Repository names are case-insensitive on GitHub; keying state by the lower-cased pair means
 * `Owner/Repo` and `owner/repo` address the same comments, as they do for real.
 * @param {string} owner
 * @param {string} repo
 */
function repoKey(owner, repo) {
  return `${owner.toLowerCase()}/${repo.toLowerCase()}`;
}

/**
 * Reads the `token X` / `bearer X` credential. Octokit sends `token X` for classic tokens and
 * `bearer X` for JWT-shaped ones; both must be accepted, case-insensitively, as GitHub does.
 * @param {string | undefined} header
 * @returns {string | undefined}
 */
function parseToken(header) {
  if (!header) return undefined;
  const match = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : undefined;
}

/**
 * Parses a positive integer query or path value; anything else yields `undefined` so callers can
 * fall back to GitHub's defaults rather than erroring, which is what GitHub does with junk values.
 * @param {string | null | undefined} value
 */
function positiveInt(value) {
  if (value == null || !/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n > 0 && Number.isSafeInteger(n) ? n : undefined;
}

/**
 * Starts the fake on an ephemeral loopback port. Loopback keeps it unreachable from outside and
 * lets @actions/http-client bypass any configured proxy; port 0 lets tests run in parallel.
 *
 * @param {import('./fake-github.js').FakeGitHubOptions} [options]
 * @returns {Promise<import('./fake-github.js').FakeGitHub>}
 */
export async function startFakeGitHub(options = {}) {
  const tokens = options.tokens ?? DEFAULT_TOKENS;
  const graphqlViewer = options.graphqlViewer ?? true;
  const pageCap = Math.min(
    Math.max(1, Math.floor(options.pageSize ?? GITHUB_MAX_PER_PAGE)),
    GITHUB_MAX_PER_PAGE,
  );

  /** @type {import('./fake-github.js').RecordedRequest[]} */
  const requests = [];
  /**
   * Comments keyed by comment id (ids are global on GitHub, not per issue), with the location
   * kept beside each so PATCH can check the comment belongs to the repository in the URL.
   * @type {Map<number, { key: string; issue: number; comment: import('./fake-github.js').FakeComment }>}
   */
  const store = new Map();
  // Large, distinctive ids: catches code that confuses comment ids with issue numbers.
  let nextId = 1_000_001;
  // A logical clock that never repeats a second, so `updated_at` after an edit is always later
  // than `created_at` even when the test runs within one wall-clock second.
  let lastTime = Math.floor(Date.now() / 1000) * 1000 - 1000;
  const tick = () => {
    lastTime = Math.max(lastTime + 1000, Math.floor(Date.now() / 1000) * 1000);
    return githubTime(lastTime);
  };

  /** @type {string} */
  let baseUrl = '';

  /**
   * @param {string} owner
   * @param {string} repo
   * @param {number} issue
   * @param {string} body
   * @param {{ login: string; type?: 'Bot' | 'User' }} user
   */
  function insertComment(owner, repo, issue, body, user) {
    const id = nextId++;
    const now = tick();
    /** @type {import('./fake-github.js').FakeComment} */
    const comment = {
      id,
      body,
      user: { login: user.login, type: user.type ?? 'User' },
      created_at: now,
      updated_at: now,
      html_url: `https://github.com/${owner}/${repo}/issues/${issue}#issuecomment-${id}`,
    };
    store.set(id, { key: repoKey(owner, repo), issue, comment });
    return comment;
  }

  /**
   * Comments of one issue in id order, which is creation order: GitHub lists issue comments
   * oldest first, and the sticky-comment lookup depends on that order.
   * @param {string} owner
   * @param {string} repo
   * @param {number} issue
   */
  function listComments(owner, repo, issue) {
    const key = repoKey(owner, repo);
    return [...store.values()]
      .filter((entry) => entry.key === key && entry.issue === issue)
      .map((entry) => entry.comment)
      .sort((a, b) => a.id - b.id);
  }

  /**
   * Builds the RFC 5988 Link header GitHub sends on paginated lists. Octokit's paginate follows
   * only `rel="next"`, but prev/first/last are sent too so the header matches GitHub's shape.
   * The URLs are absolute and keep the client's other query parameters, as GitHub's do.
   * @param {URL} url the request URL
   * @param {number} page
   * @param {number} lastPage
   */
  function linkHeader(url, page, lastPage) {
    /** @param {number} p */
    const at = (p) => {
      const u = new URL(url.pathname + url.search, baseUrl);
      u.searchParams.set('page', String(p));
      return u.toString();
    };
    const links = [];
    if (page > 1) links.push(`<${at(Math.min(page - 1, lastPage))}>; rel="prev"`);
    if (page < lastPage) {
      links.push(`<${at(page + 1)}>; rel="next"`);
      links.push(`<${at(lastPage)}>; rel="last"`);
    }
    if (page > 1) links.push(`<${at(1)}>; rel="first"`);
    return links.length > 0 ? links.join(', ') : undefined;
  }

  /**
   * Sends JSON with the content type Octokit checks before parsing; without `application/json`
   * Octokit would hand back the body as text and error messages would be lost.
   * @param {http.ServerResponse} res
   * @param {number} status
   * @param {unknown} data
   * @param {Record<string, string>} [headers]
   */
  function send(res, status, data, headers = {}) {
    const text = JSON.stringify(data);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'x-github-media-type': 'github.v3; format=json',
      ...headers,
    });
    res.end(text);
  }

  /** @param {http.ServerResponse} res */
  const notFound = (res) => send(res, 404, { message: 'Not Found', documentation_url: DOCS_URL });

  /**
   * The 403 a GITHUB_TOKEN gets when it lacks a permission, e.g. the read-only token of a pull
   * request from a fork. The action must recognise this and degrade instead of failing the job.
   * @param {http.ServerResponse} res
   * @param {string} docs
   */
  const forbidden = (res, docs) =>
    send(res, 403, { message: 'Resource not accessible by integration', documentation_url: docs });

  /**
   * GitHub's answer to a comment body that is missing, not a string, or too long.
   * @param {http.ServerResponse} res
   * @param {unknown} body the parsed request body
   * @returns {body is { body: string }}
   */
  function validBody(res, body) {
    const text =
      body && typeof body === 'object' && 'body' in body
        ? /** @type {{ body: unknown }} */ (body).body
        : undefined;
    if (typeof text !== 'string') {
      send(res, 422, {
        message: `Invalid request.\n\nFor 'properties/body', ${text === undefined ? 'nil' : JSON.stringify(text)} is not a string.`,
        documentation_url: DOCS_URL,
      });
      return false;
    }
    if (text.length > MAX_COMMENT_BODY) {
      send(res, 422, {
        message: 'Validation Failed',
        errors: [
          {
            resource: 'IssueComment',
            code: 'custom',
            field: 'body',
            message: `body is too long (maximum is ${MAX_COMMENT_BODY} characters)`,
          },
        ],
        documentation_url: DOCS_URL,
      });
      return false;
    }
    return true;
  }

  /**
   * Routes one request. Authentication is checked before routing because GitHub answers 401 to
   * bad credentials whatever the path.
   * @param {http.IncomingMessage} req
   * @param {http.ServerResponse} res
   * @param {unknown} body
   * @param {boolean} badJson
   */
  function handle(req, res, body, badJson) {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', baseUrl);

    const token = parseToken(req.headers.authorization);
    const identity = token !== undefined ? tokens[token] : undefined;
    if (!identity) {
      send(res, 401, { message: 'Bad credentials', documentation_url: DOCS_URL });
      return;
    }
    const login = identity.login;
    const type = identity.type ?? 'User';
    const canWrite = identity.canWrite ?? true;

    if (badJson) {
      send(res, 400, { message: 'Problems parsing JSON', documentation_url: DOCS_URL });
      return;
    }

    /** @type {string[]} */
    let segments;
    try {
      segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      notFound(res);
      return;
    }

    // GET /user: the real GITHUB_TOKEN is an installation token and cannot read /user, so the
    // action cannot learn its own login this way and must not depend on it.
    if (segments.length === 1 && segments[0] === 'user' && method === 'GET') {
      if (type === 'Bot') {
        forbidden(res, 'https://docs.github.com/rest/users/users#get-the-authenticated-user');
      } else {
        send(res, 200, { login, type });
      }
      return;
    }

    // POST /graphql: the one query the action sends, `{ viewer { login } }`, which GitHub answers
    // for installation tokens too (they cannot read /user). `graphqlViewer: false` answers as a
    // server that refuses it would: 200 with a GraphQL `errors` list.
    if (segments.length === 1 && segments[0] === 'graphql' && method === 'POST') {
      const query =
        body && typeof body === 'object' && 'query' in body
          ? String(/** @type {{ query: unknown }} */ (body).query)
          : '';
      if (!/^\s*(query\s*)?\{\s*viewer\s*\{\s*login\s*\}\s*\}\s*$/.test(query)) {
        send(res, 200, {
          errors: [{ message: 'The fake GitHub answers only { viewer { login } }' }],
        });
      } else if (!graphqlViewer) {
        send(res, 200, {
          data: null,
          errors: [{ type: 'FORBIDDEN', message: 'Resource not accessible by integration' }],
        });
      } else {
        send(res, 200, { data: { viewer: { login } } });
      }
      return;
    }

    if (segments.length < 4 || segments[0] !== 'repos' || segments[3] !== 'issues') {
      notFound(res);
      return;
    }
    const owner = /** @type {string} */ (segments[1]);
    const repo = /** @type {string} */ (segments[2]);

    // /repos/{owner}/{repo}/issues/{issue_number}/comments
    if (segments.length === 6 && segments[5] === 'comments') {
      const issue = positiveInt(segments[4]);
      if (issue === undefined) {
        notFound(res);
        return;
      }
      if (method === 'GET') {
        const all = listComments(owner, repo, issue);
        const requested = positiveInt(url.searchParams.get('per_page')) ?? GITHUB_DEFAULT_PER_PAGE;
        const perPage = Math.min(requested, pageCap);
        const page = positiveInt(url.searchParams.get('page')) ?? 1;
        const lastPage = Math.max(1, Math.ceil(all.length / perPage));
        const slice = all.slice((page - 1) * perPage, page * perPage);
        const link = linkHeader(url, page, lastPage);
        send(res, 200, slice, link ? { link } : {});
        return;
      }
      if (method === 'POST') {
        if (!canWrite) {
          forbidden(res, 'https://docs.github.com/rest/issues/comments#create-an-issue-comment');
          return;
        }
        if (!validBody(res, body)) return;
        const comment = insertComment(owner, repo, issue, body.body, { login, type });
        send(res, 201, comment, {
          location: `${baseUrl}/repos/${owner}/${repo}/issues/comments/${comment.id}`,
        });
        return;
      }
      notFound(res);
      return;
    }

    // /repos/{owner}/{repo}/issues/comments/{comment_id}
    if (segments.length === 6 && segments[4] === 'comments' && method === 'PATCH') {
      // Permission is checked first: a read-only token learns nothing about which comments exist.
      if (!canWrite) {
        forbidden(res, 'https://docs.github.com/rest/issues/comments#update-an-issue-comment');
        return;
      }
      const id = positiveInt(segments[5]);
      const entry = id === undefined ? undefined : store.get(id);
      if (!entry || entry.key !== repoKey(owner, repo)) {
        notFound(res);
        return;
      }
      // Editing someone else's comment is refused, so a sticky-comment lookup that matches the
      // wrong author fails loudly in tests instead of silently overwriting a human's comment.
      if (entry.comment.user.login !== login) {
        forbidden(res, 'https://docs.github.com/rest/issues/comments#update-an-issue-comment');
        return;
      }
      if (!validBody(res, body)) return;
      entry.comment.body = body.body;
      entry.comment.updated_at = tick();
      send(res, 200, entry.comment);
      return;
    }

    notFound(res);
  }

  const server = http.createServer((req, res) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (/** @type {Buffer} */ chunk) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      /** @type {unknown} */
      let body;
      let badJson = false;
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw);
        } catch {
          body = raw;
          badJson = true;
        }
      }
      // Recorded before any check, so tests can also assert on requests that were refused.
      requests.push({
        method: (req.method ?? 'GET').toUpperCase(),
        path: req.url ?? '/',
        headers: { ...req.headers },
        body,
      });
      if (tooLarge) {
        send(res, 413, { message: 'Payload too large', documentation_url: DOCS_URL });
        return;
      }
      try {
        handle(req, res, body, badJson);
      } catch (error) {
        // A bug in the fake should surface as a 500 in the test, not hang the client.
        if (!res.headersSent) {
          send(res, 500, { message: `Fake GitHub error: ${String(error)}` });
        } else {
          res.destroy();
        }
      }
    });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(undefined);
    });
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('fake GitHub: no TCP address');
  baseUrl = `http://127.0.0.1:${address.port}`;

  return {
    url: baseUrl,
    requests,
    comments(owner, repo, issue) {
      // Copies, so a test inspecting state cannot change what the server answers next.
      return listComments(owner, repo, issue).map((c) => structuredClone(c));
    },
    addComment(owner, repo, issue, body, user = DEFAULT_SEED_USER) {
      return structuredClone(insertComment(owner, repo, issue, body, user));
    },
    close() {
      return new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // undici keeps connections alive; without this, close() would wait for them to time out.
        server.closeAllConnections();
      });
    },
  };
}
