export const id = 525;
export const ids = [525];
export const modules = {

/***/ 5525:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   upsertPullRequestComment: () => (/* binding */ upsertPullRequestComment)
/* harmony export */ });
/* unused harmony exports MAX_COMMENT_CHARS, ACTIONS_BOT, commentKey, hasMarker, findOwnComment, commentBody */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7094);
/* harmony import */ var _cancellation_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4632);
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7194);
/* harmony import */ var _summary_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8855);




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
/** True when the body is one of ours for this marker: it starts (or ends) with it. */
function hasMarker(body, marker) {
    if (typeof body !== 'string')
        return false;
    const text = body.trim();
    return text.startsWith(marker) || text.endsWith(marker);
}
/**
 * The comment to edit among a pull request's comments, oldest first, or undefined to create one.
 * Only the token's own comments qualify: a user can paste the marker into a comment of theirs,
 * and the action must never edit someone else's words. `login` is the token's identity when
 * GitHub tells it (a personal access token); the default GITHUB_TOKEN cannot ask (`GET /user` is
 * 403 for installation tokens), so then a bot's comment qualifies, `github-actions[bot]` first.
 * The oldest match wins, so the comment stays where the conversation first saw it.
 */
function findOwnComment(comments, marker, login) {
    const marked = comments.filter((c) => hasMarker(c.body, marker));
    if (login !== undefined)
        return marked.find((c) => c.user?.login === login);
    const bots = marked.filter((c) => c.user?.type === 'Bot');
    return bots.find((c) => c.user?.login === ACTIONS_BOT) ?? bots[0];
}
/** The comment's body: the marker, then the very Markdown of the job summary. */
function commentBody(config, report) {
    const marker = (0,_summary_js__WEBPACK_IMPORTED_MODULE_3__/* .commentMarker */ .Ql)(commentKey(config));
    const body = (0,_secrets_js__WEBPACK_IMPORTED_MODULE_2__/* .redact */ .E)(`${marker}\n${(0,_summary_js__WEBPACK_IMPORTED_MODULE_3__/* .renderReport */ .B1)(report)}`, [config.apiKey, config.githubToken]);
    if (body.length <= MAX_COMMENT_CHARS)
        return body;
    const note = "\n\n… cut to fit GitHub's comment limit; the job summary of the run has it all.\n";
    return body.slice(0, MAX_COMMENT_CHARS - note.length) + note;
}
/** Line endings aside (GitHub may store CRLF), is the comment already saying this? */
function sameBody(a, b) {
    return typeof a === 'string' && a.replace(/\r\n/g, '\n').trimEnd() === b.trimEnd();
}
function httpStatus(error) {
    const status = error?.status;
    return typeof status === 'number' ? status : undefined;
}
function httpMessage(error) {
    const data = error?.response?.data;
    if (typeof data?.message === 'string')
        return data.message;
    return error instanceof Error ? error.message : String(error);
}
/** The one warning for a token that may not comment; says why that happens and what to do. */
function cannotComment(pr, why) {
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`Could not comment on pull request #${pr}: ${why}. ` +
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
    const github = await Promise.all(/* import() */[__webpack_require__.e(119), __webpack_require__.e(413)]).then(__webpack_require__.bind(__webpack_require__, 2413));
    const pr = github.context.payload.pull_request?.number;
    if (typeof pr !== 'number') {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz('No pull request in the event payload: no comment.');
        return;
    }
    if (!config.githubToken) {
        cannotComment(pr, 'the `github-token` input is empty');
        return;
    }
    const { owner, repo } = github.context.repo;
    const octokit = github.getOctokit(config.githubToken);
    const signal = AbortSignal.timeout(_cancellation_js__WEBPACK_IMPORTED_MODULE_1__/* .cancelSignal */ .Bj.aborted ? CANCELLED_BUDGET_MS : TIME_BUDGET_MS);
    const request = { signal };
    const body = commentBody(config, report);
    const marker = (0,_summary_js__WEBPACK_IMPORTED_MODULE_3__/* .commentMarker */ .Ql)(commentKey(config));
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
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Commented on pull request #${pr}: ${data.html_url}`);
        }
        else if (sameBody(existing.body, body)) {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`The comment on pull request #${pr} is up to date: ${existing.html_url ?? ''}`);
        }
        else {
            const { data } = await octokit.rest.issues.updateComment({
                owner,
                repo,
                comment_id: existing.id,
                body,
                request,
            });
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Updated the comment on pull request #${pr}: ${data.html_url}`);
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
 * The token's login when GitHub will say (a personal access token), else undefined: the default
 * GITHUB_TOKEN and GitHub App tokens get 403 from `GET /user`. Any other failure is thrown, so a
 * transient error never makes the lookup guess and post a second comment.
 */
async function ownLogin(octokit, request) {
    try {
        return (await octokit.rest.users.getAuthenticated({ request })).data.login;
    }
    catch (error) {
        if (isRefusal(error))
            return undefined;
        throw error;
    }
}


/***/ })

};
