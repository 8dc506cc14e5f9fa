export const id = 914;
export const ids = [914];
export const modules = {

/***/ 1914:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   upsertPullRequestComment: () => (/* binding */ upsertPullRequestComment)
/* harmony export */ });
/* unused harmony exports MAX_COMMENT_CHARS, commentMarker, commentKey, hasMarker, findOwnComment, commentBody */
/* harmony import */ var _shared_cancellation_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1010);
/* harmony import */ var _shared_inert_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4105);
/* harmony import */ var _shared_log_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1827);
/* harmony import */ var _markdown_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4285);
/* harmony import */ var _shared_secrets_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3260);
/* harmony import */ var _summary_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(7994);






/** GitHub refuses comment bodies longer than this (422). */
const MAX_COMMENT_CHARS = 65_536;
/** The whole comment step (identity, listing every page, writing) gets this long. */
const TIME_BUDGET_MS = 30_000;
/**
 * What it gets after a cancel: the process exits 4 s after the first signal (cancellation.ts),
 * well before the runner's kill 7.5 s after it, and the summary must be written by then too.
 */
const CANCELLED_BUDGET_MS = 2_500;
/** The login of the default `GITHUB_TOKEN`, preferred when the token cannot say who it is. */
const ACTIONS_BOT = 'github-actions[bot]';
/**
 * The hidden marker that finds a pull request's comment again; `key` names the dataset (the `name`
 * input, else the `dataset` patterns or `dataset-url`). The key is escaped so that it can neither
 * end the HTML comment early (`--`, `>`) nor span lines, and stays injective: two different keys
 * never give the same marker (`%` is escaped first, so the escapes themselves are unambiguous).
 */
function commentMarker(key) {
    const safe = key
        .replace(/%/g, '%25')
        .replace(/</g, '%3C')
        .replace(/>/g, '%3E')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A')
        .replace(/--/g, '-%2D');
    return `<!-- segmind-flux-finetune: ${safe} -->`;
}
/**
 * What the marker names: the `name` input when given, else the `dataset`
 * patterns or `dataset-url`. Not the derived job name: that changes with every changed image,
 * and a push to the pull request must update the same comment, not add one. A matrix over
 * dataset folders has a key, and so a comment, per folder. The other commands name their job.
 */
function commentKey(config) {
    switch (config.command) {
        case 'train':
            return config.name || urlWithoutQuery(config.datasetUrl) || config.datasetPatterns.join('\n');
        case 'list':
            return 'command:list';
        default:
            return `command:${config.command}:${config.finetuneId}`;
    }
}
/**
 * A dataset URL as a key: without its query, which for a signed link holds the signature (never
 * to be shown) and changes each time the link is signed again, while the dataset does not.
 */
function urlWithoutQuery(url) {
    if (!url)
        return '';
    try {
        const parsed = new URL(url);
        parsed.search = '';
        parsed.hash = '';
        return parsed.href;
    }
    catch {
        return url;
    }
}
/**
 * True when the body carries this marker exactly: as its first line (what we write), or as a
 * whole line of its own. Never as part of a line: a comment that quotes text ending with the
 * marker (a pull request title, say) is not ours.
 */
function hasMarker(body, marker) {
    if (typeof body !== 'string')
        return false;
    return body.split(/\r\n|\n|\r/).some((line) => line.trim() === marker);
}
/**
 * The comment to edit among a pull request's comments, oldest first, or undefined to create one.
 * Only the token's own comments qualify: a user or another bot can carry the marker (pasted, or
 * quoted from attacker-chosen text), and the action must never edit someone else's words.
 * `login` is the token's identity (see `ownLogin`); when GitHub would not say, only
 * `github-actions[bot]`'s comments qualify, the identity of the default GITHUB_TOKEN.
 * The oldest match wins, so the comment stays where the conversation first saw it.
 */
function findOwnComment(comments, marker, login) {
    const own = login ?? ACTIONS_BOT;
    return comments.find((c) => c.user?.login === own && hasMarker(c.body, marker));
}
/** The comment's body: the marker, then the very Markdown of the job summary. */
function commentBody(config, report) {
    const marker = commentMarker(commentKey(config));
    const body = (0,_shared_secrets_js__WEBPACK_IMPORTED_MODULE_4__/* .redact */ .E$)(`${marker}\n${targetNote()}${(0,_summary_js__WEBPACK_IMPORTED_MODULE_5__/* .renderReport */ .B1)(report)}`, [
        config.apiKey,
        config.githubToken,
    ]);
    // Cut at a line end: every line of the report is whole Markdown, so no code span is cut open.
    return (0,_markdown_js__WEBPACK_IMPORTED_MODULE_3__/* .cutAtLine */ .qE)(body, MAX_COMMENT_CHARS, "\n\n\u2026 cut to fit GitHub's comment limit; the job summary of the run has it all.\n");
}
/**
 * On `pull_request_target` the workspace holds whatever the workflow checked out, by default the
 * base branch: the report may not describe this pull request's files at all, and checking them
 * out there would run them with secrets and a write token (docs/security.md). Say so.
 */
function targetNote() {
    if (process.env.GITHUB_EVENT_NAME !== 'pull_request_target')
        return '';
    return ('> **Note:** this ran on `pull_request_target`, which checks the files in the workspace: by default the base branch, ' +
        "not this pull request's. Validate pull requests with `dry-run: true` on `pull_request` instead.\n\n");
}
/** Line endings aside (GitHub may store CRLF), is the comment already saying this? */
function sameBody(a, b) {
    return typeof a === 'string' && a.replace(/\r\n/g, '\n').trimEnd() === b.trimEnd();
}
function httpStatus(error) {
    const status = error?.status;
    return typeof status === 'number' ? status : undefined;
}
/** GitHub's message, quoted: one line, capped, redacted. */
function httpMessage(error) {
    const data = error?.response?.data;
    if (typeof data?.message === 'string')
        return (0,_shared_inert_js__WEBPACK_IMPORTED_MODULE_1__/* .inert */ .tJ)(data.message, 300);
    return (0,_shared_inert_js__WEBPACK_IMPORTED_MODULE_1__/* .inert */ .tJ)(error instanceof Error ? error.message : String(error), 300);
}
/** The one warning for a token that may not comment; says why that happens and what to do. */
function cannotComment(pr, why) {
    _shared_log_js__WEBPACK_IMPORTED_MODULE_2__/* .warning */ .$e(`Could not comment on pull request #${pr}: ${why}. ` +
        'Pull requests from forks get a read-only token that cannot comment, so this is expected there; ' +
        "this run's job summary has the same report. " +
        'For pull requests from branches of this repository, give the job `permissions: pull-requests: write` ' +
        '(and keep `github-token` at its default, `${{ github.token }}`), or set `pr-comment: false` to stop trying.');
}
/**
 * Posts the report as the pull request's one sticky comment, or edits the one posted before.
 * Only for pull_request and pull_request_target events (main.ts checks the event). Never fails
 * the step: a token that may not comment gives one warning; any other error is thrown for
 * main.ts to turn into a warning.
 */
async function upsertPullRequestComment(config, report) {
    // Imported here, not at the top: @actions/github and Octokit are only loaded by runs that
    // comment, and they read GITHUB_API_URL when loaded.
    const github = await Promise.all(/* import() */[__webpack_require__.e(119), __webpack_require__.e(157)]).then(__webpack_require__.bind(__webpack_require__, 157));
    const pr = github.context.payload.pull_request?.number;
    if (typeof pr !== 'number') {
        _shared_log_js__WEBPACK_IMPORTED_MODULE_2__/* .debug */ .Yz('No pull request in the event payload: no comment.');
        return;
    }
    if (!config.githubToken) {
        cannotComment(pr, 'the `github-token` input is empty');
        return;
    }
    const { owner, repo } = github.context.repo;
    const octokit = github.getOctokit(config.githubToken);
    const signal = AbortSignal.timeout(_shared_cancellation_js__WEBPACK_IMPORTED_MODULE_0__/* .cancelSignal */ .Bj.aborted ? CANCELLED_BUDGET_MS : TIME_BUDGET_MS);
    const request = { signal };
    const body = commentBody(config, report);
    const marker = commentMarker(commentKey(config));
    const where = { owner, repo, issue_number: pr };
    let comments;
    try {
        comments = await octokit.paginate(octokit.rest.issues.listComments, {
            ...where,
            per_page: 100,
            request,
        });
    }
    catch (error) {
        if (isRefusal(error))
            return cannotComment(pr, refusal('listing its comments', error));
        throw error;
    }
    let existing;
    if (comments.some((c) => hasMarker(c.body, marker))) {
        existing = findOwnComment(comments, marker, await ownLogin(octokit, request));
    }
    try {
        if (!existing) {
            const { data } = await octokit.rest.issues.createComment({ ...where, body, request });
            _shared_log_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq(`Commented on pull request #${pr}: ${(0,_shared_inert_js__WEBPACK_IMPORTED_MODULE_1__/* .inert */ .tJ)(data.html_url)}`);
        }
        else if (sameBody(existing.body, body)) {
            _shared_log_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq(`The comment on pull request #${pr} is up to date: ${(0,_shared_inert_js__WEBPACK_IMPORTED_MODULE_1__/* .inert */ .tJ)(existing.html_url ?? '')}`);
        }
        else {
            const { data } = await octokit.rest.issues.updateComment({
                owner,
                repo,
                comment_id: existing.id,
                body,
                request,
            });
            _shared_log_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq(`Updated the comment on pull request #${pr}: ${(0,_shared_inert_js__WEBPACK_IMPORTED_MODULE_1__/* .inert */ .tJ)(data.html_url)}`);
        }
    }
    catch (error) {
        if (isRefusal(error))
            return cannotComment(pr, refusal('writing the comment', error));
        throw error;
    }
}
/** 401, 403 and 404 all mean this token may not do it (GitHub hides what a token cannot see). */
function isRefusal(error) {
    const status = httpStatus(error);
    return status === 401 || status === 403 || status === 404;
}
function refusal(what, error) {
    return `GitHub answered ${httpStatus(error)} (${httpMessage(error)}) to ${what}`;
}
/**
 * The token's login, or undefined when GitHub will not say.
 * - A personal access token (classic or fine-grained) reads `GET /user`.
 * - Installation tokens (the default GITHUB_TOKEN and GitHub App tokens) get 403 there, but the
 *   GraphQL `viewer` answers them with the bot's login: `github-actions[bot]`, or
 *   `<app-slug>[bot]` for an App. So an App token edits its own comments, not the default bot's,
 *   and the default token never edits an App's.
 * - When neither answers (a GitHub Enterprise Server without GraphQL for such tokens, a proxy),
 *   the caller assumes `github-actions[bot]`; an App token then posts its own new comment rather
 *   than edit one it cannot prove is its own.
 * Any other failure (5xx, a timeout) is thrown, so a transient error never makes the lookup guess
 * and post a second comment.
 */
async function ownLogin(octokit, request) {
    try {
        return (await octokit.rest.users.getAuthenticated({ request })).data.login;
    }
    catch (error) {
        if (!isRefusal(error))
            throw error;
    }
    try {
        const answer = await octokit.graphql('query { viewer { login } }', { request });
        const login = answer.viewer?.login;
        return typeof login === 'string' && login ? login : undefined;
    }
    catch (error) {
        // A GraphQL error answer (200 with `errors`, e.g. "Resource not accessible") is a refusal too.
        const name = error?.name;
        if (isRefusal(error) || name === 'GraphqlResponseError')
            return undefined;
        throw error;
    }
}


/***/ })

};
