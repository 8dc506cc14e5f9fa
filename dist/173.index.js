export const id = 173;
export const ids = [173];
export const modules = {

/***/ 9308:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Q: () => (/* binding */ malformed),
/* harmony export */   p: () => (/* binding */ callApi)
/* harmony export */ });
/* harmony import */ var _send_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5616);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8902);
/**
 * One call to a provider's JSON API with its retries: the shape every provider client shares.
 * The client says how to read a 2xx answer and what any other status means; this runs the
 * attempts (src/http/retry.ts) over the one HTTP layer (src/http/send.ts).
 */


/**
 * Sends `call`, retrying transient failures (network, and whatever `errorFor` calls transient)
 * unless `retry` is false: a submit is sent once, and its lost answer settled by the caller.
 * `read` turns an answer into the result or throws (a malformed answer: `malformed()`); it gets
 * the 2xx answers, and those others that `accepts` says are answers rather than errors (a
 * trainer's failure when a result is asked for). `errorFor` turns the rest into an HttpError.
 */
function callApi(call, policy, read, errorFor, options = {}) {
    const accepts = options.accepts ?? (() => false);
    return (0,_retry_js__WEBPACK_IMPORTED_MODULE_1__/* .withRetry */ .bD)(call.what, options.retry === false ? { ...policy, attempts: 1 } : policy, async () => {
        const headers = { Accept: 'application/json', ...call.headers };
        let body = call.body;
        if (call.json !== undefined) {
            body = JSON.stringify(call.json);
            headers['Content-Type'] = 'application/json';
        }
        const answer = await (0,_send_js__WEBPACK_IMPORTED_MODULE_0__/* .send */ .tN)({
            what: call.what,
            method: call.method,
            url: call.url,
            headers,
            body,
            timeoutMs: (0,_retry_js__WEBPACK_IMPORTED_MODULE_1__/* .requestTimeoutMs */ .Hl)(60_000, policy),
            maxBodyBytes: call.maxBodyBytes,
            peer: call.peer,
        });
        if ((answer.status >= 200 && answer.status < 300) || accepts(answer))
            return read(answer);
        throw errorFor(answer);
    }, (error) => ({
        retryable: error instanceof _send_js__WEBPACK_IMPORTED_MODULE_0__/* .HttpError */ .j$ && error.transient,
        retryAfterMs: error instanceof _send_js__WEBPACK_IMPORTED_MODULE_0__/* .HttpError */ .j$ ? error.retryAfterMs : undefined,
        error,
    }));
}
/**
 * A 2xx answer that is not what the endpoint documents: transient, so retried like a 5xx (a
 * gateway answering in the server's place is the usual cause) and, on a submit, a lost answer.
 */
function malformed(what, answer, problem, quote = true) {
    return (0,_send_js__WEBPACK_IMPORTED_MODULE_0__/* .malformedAnswer */ .eA)(what, answer.status, problem, answer.body, { quote });
}


/***/ }),

/***/ 2551:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   M: () => (/* binding */ answerMessage)
/* harmony export */ });
/* harmony import */ var _send_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5616);
/* harmony import */ var _shared_json_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8451);
/** What a server says in an error answer, whatever shape it says it in. */


/**
 * The server's message from an error body, on one line and at most 300 characters: JSON
 * `message`, `error`, `detail` (a validation list of `{loc, msg}` too, as fal and FastAPI send),
 * `msg` or `error_message`; a JSON string; an HTML error page's title or text (a gateway or proxy
 * in between); else the text. Segmind, fal and Replicate (`detail`, `title`) all answer so.
 */
function answerMessage(answer) {
    const raw = Buffer.isBuffer(answer) ? answer : Buffer.from(answer, 'utf8');
    const trimmed = raw.toString('utf8').trim();
    const parsed = (0,_send_js__WEBPACK_IMPORTED_MODULE_0__/* .parseJson */ .qF)(raw);
    const body = parsed === _send_js__WEBPACK_IMPORTED_MODULE_0__/* .INVALID_JSON */ .V7 ? undefined : parsed;
    let message;
    if ((0,_shared_json_js__WEBPACK_IMPORTED_MODULE_1__/* .isObject */ .G)(body)) {
        for (const key of ['message', 'error', 'detail', 'msg', 'error_message']) {
            message = messageOf(body[key]);
            if (message)
                break;
        }
        message ??= trimmed;
    }
    else if (typeof body === 'string') {
        message = body;
    }
    else if (/^<(!doctype html|html)\b/i.test(trimmed) || /<\/(html|body)>/i.test(trimmed)) {
        const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim();
        message =
            title || trimmed.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ');
    }
    else {
        message = trimmed;
    }
    // One line whatever the server sent (a lone CR, U+2028), and no URL's query.
    return (0,_send_js__WEBPACK_IMPORTED_MODULE_0__/* .oneLine */ .TN)((0,_send_js__WEBPACK_IMPORTED_MODULE_0__/* .withoutQueries */ .Bs)(message), 300);
}
function messageOf(value) {
    if (typeof value === 'string')
        return value.trim() || undefined;
    if (typeof value === 'number')
        return String(value);
    if (Array.isArray(value)) {
        const parts = value
            .map((item) => {
            if ((0,_shared_json_js__WEBPACK_IMPORTED_MODULE_1__/* .isObject */ .G)(item) && typeof item.msg === 'string') {
                return Array.isArray(item.loc) ? `${item.loc.join('.')}: ${item.msg}` : item.msg;
            }
            return typeof item === 'string' ? item : JSON.stringify(item);
        })
            .filter(Boolean);
        return parts.length > 0 ? parts.join('; ') : undefined;
    }
    if ((0,_shared_json_js__WEBPACK_IMPORTED_MODULE_1__/* .isObject */ .G)(value))
        return messageOf(value.message) ?? JSON.stringify(value);
    return undefined;
}


/***/ }),

/***/ 7879:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Lc: () => (/* binding */ nothingToDownload),
/* harmony export */   di: () => (/* binding */ adopt),
/* harmony export */   ej: () => (/* binding */ checkJob)
/* harmony export */ });
/* harmony import */ var _shared_log_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1827);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8382);
/** What a job says about itself, for every provider: whether it failed, and adopting it. */


/** Throws when the job failed or was cancelled, with the provider's message. */
function checkJob(label, job) {
    if (job.stage !== 'failed' && job.stage !== 'cancelled' && !job.error)
        return;
    const status = job.status || 'unknown';
    if (job.stage === 'cancelled') {
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`Fine-tune ${job.id} was cancelled at ${label} (status ${status})${job.error ? `: ${job.error}` : ''}.`, 'It was stopped (with `command: cancel`, or on the provider\u2019s site) before its weights existed. A new run with the same dataset and settings trains it anew.');
    }
    throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`Fine-tune ${job.id} failed at ${label} (status ${status}): ${job.error ?? 'no error message given'}`, 'Check the dataset and settings against the message; a new run with a fixed dataset or changed settings trains a new job.');
}
/**
 * The error for a job with nothing to download. `what` names it with what is missing ("fal request
 * x has no LoRA file"); `whenReady` is the hint for a finished job whose output names no file.
 */
function nothingToDownload(what, job, whenReady) {
    const status = `${job.status || 'unknown'}${job.error ? `: ${job.error}` : ''}`;
    return new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`${what} to download (status ${status}).`, job.stage === 'queued' || job.stage === 'training'
        ? 'It is still training. Wait for it in the same step with `wait-for: TRAINING_COMPLETED` (or AVAILABLE), or run `command: download` later.'
        : job.stage === 'ready'
            ? whenReady
            : 'A training that failed or was cancelled has no weights; a new run with the same dataset and settings trains it anew.');
}
/** A job is adopted instead of training again: its outputs are this run's. */
function adopt(report, job, name) {
    report.setFinetuneId(job.id);
    report.setReused(true);
    report.setJob(job);
    _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Reusing fine-tune ${job.id} (${job.name ?? name}, ${job.status || 'unknown status'}): the same dataset and settings were already submitted. Nothing was uploaded or submitted.`);
}


/***/ }),

/***/ 9055:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BP: () => (/* binding */ newest),
/* harmony export */   Hi: () => (/* binding */ timeIn),
/* harmony export */   IO: () => (/* binding */ madeAfterChange),
/* harmony export */   O9: () => (/* binding */ madeSince),
/* harmony export */   ly: () => (/* binding */ sameInput),
/* harmony export */   n4: () => (/* binding */ readPages)
/* harmony export */ });
/* harmony import */ var _shared_json_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8451);
/**
 * How a provider's record of an earlier job is matched to this run's: the pieces every provider's
 * reuse and lost-answer lookup share (fal's history, Replicate's trainings list), so that both
 * look for a job the same way.
 */

/**
 * Every field the action would send has the same value in the job's recorded input (a field the
 * action leaves out, `undefined`, matches anything). A record without an input matches nothing.
 */
function sameInput(input, expected) {
    if (!(0,_shared_json_js__WEBPACK_IMPORTED_MODULE_0__/* .isObject */ .G)(input))
        return false;
    return Object.entries(expected).every(([key, value]) => value === undefined || JSON.stringify(input[key]) === JSON.stringify(value));
}
/**
 * The newest of `items` by `timeOf` (NaN or a missing time counts as oldest); among equals, the
 * first, so a list that comes newest first keeps its own order.
 */
function newest(items, timeOf) {
    let best;
    let bestTime = -Infinity;
    for (const item of items) {
        const time = timeOf(item);
        const t = Number.isNaN(time) ? -Infinity : time;
        if (best === undefined || t > bestTime) {
            best = item;
            bestTime = t;
        }
    }
    return best;
}
/** A time in a provider's record (an ISO string), as milliseconds; NaN when there is none. */
function timeIn(value) {
    return typeof value === 'string' ? Date.parse(value) : NaN;
}
/**
 * Every page of a list, as far as `maxPages` reaches: a list that never ends, or a cursor that
 * comes round again, must still end. When the last page read still had a next one, `cut` is
 * called with what was read (to warn that older items were not looked at).
 */
async function readPages(read, maxPages, cut) {
    const items = [];
    const seen = new Set();
    let next;
    for (let page = 0; page < maxPages; page++) {
        const answer = await read(next);
        items.push(...answer.items);
        if (!answer.next || seen.has(answer.next) || answer.items.length === 0)
            return items;
        seen.add(answer.next);
        next = answer.next;
    }
    cut(items.length);
    return items;
}
/**
 * Whether a job made at `time` can have trained the ZIP at a dataset URL that last changed at
 * `changedAt` (ms): a URL names a place, not bytes, and a job made before the change trained
 * other bytes. Where either time is unknown, the URL alone decides.
 */
function madeAfterChange(time, changedAt) {
    return !(time < (changedAt ?? -Infinity));
}
/** How far a provider's clock may be behind the runner's, when a record's time is compared. */
const CLOCK_SKEW_MS = 60_000;
/**
 * Whether a record made at `time` (ms) can come from a request sent at `since` or later, allowing
 * for the two clocks' skew. An unknown time cannot: a record that cannot be placed is not taken
 * for this run's own.
 */
function madeSince(time, since) {
    return !Number.isNaN(time) && time >= since - CLOCK_SKEW_MS;
}


/***/ }),

/***/ 2173:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  ReplicateProvider: () => (/* binding */ ReplicateProvider)
});

// UNUSED EXPORTS: destinationOf, fileIdOf, sameData, stageOf, usesFile

// EXTERNAL MODULE: ./src/shared/log.ts
var log = __webpack_require__(1827);
// EXTERNAL MODULE: ./src/shared/errors.ts
var errors = __webpack_require__(8382);
// EXTERNAL MODULE: ./src/jobs/job.ts
var jobs_job = __webpack_require__(7879);
// EXTERNAL MODULE: ./src/http/send.ts
var send = __webpack_require__(5616);
// EXTERNAL MODULE: ./src/shared/json.ts
var json = __webpack_require__(8451);
// EXTERNAL MODULE: ./src/shared/urls.ts
var urls = __webpack_require__(3047);
// EXTERNAL MODULE: ./src/providers/matching.ts
var matching = __webpack_require__(9055);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: ./src/http/api.ts
var api = __webpack_require__(9308);
// EXTERNAL MODULE: ./src/http/message.ts
var message = __webpack_require__(2551);
// EXTERNAL MODULE: ./src/transfer/progress.ts
var transfer_progress = __webpack_require__(484);
;// CONCATENATED MODULE: ./src/providers/replicate/client.ts
/**
 * Replicate's HTTP API, as far as training needs it: the account, models (the trainer and the
 * destination), the Files API (the dataset upload) and trainings (create, get, list, cancel).
 * Every answer is checked against the shape Replicate documents; docs/replicate.md says which
 * points are confirmed and which inferred, and where this client is lenient because of it.
 *
 * The token goes in `Authorization: Bearer <token>` to Replicate's API (`api-url` when it is set)
 * and, for the trained weights, to Replicate's own hosts only (`authorizationFor`). Every URL a
 * request is sent to is built here from `api-url` and a path: a `next` page link or a training's
 * `urls` in an answer never decide where the token goes.
 */









const REPLICATE_API = 'https://api.replicate.com';
/** A trainings list page of 100 with their inputs is well under this; past it is not Replicate. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;
/** Fields of a 422 shown one a line; the rest are counted. */
const FIELDS_SHOWN = 10;
/** Hosts of Replicate's own that serve output files (and ask for the token, as its API says). */
const REPLICATE_HOSTS = /(^|\.)(replicate\.com|replicate\.delivery)$/i;
class ReplicateClient {
    token;
    retry;
    base;
    constructor(apiUrl, token, retry) {
        this.token = token;
        this.retry = retry;
        this.base = (apiUrl || REPLICATE_API).replace(/\/+$/, '');
    }
    /** The account the token belongs to: the default owner of a destination model. */
    async account() {
        return this.call('GET', '/v1/account', undefined, (answer, what) => {
            const value = (0,send/* parseJson */.qF)(answer.body);
            const username = (0,json/* isObject */.G)(value) ? (0,json/* stringField */.O)(value, 'username') : undefined;
            if (!(0,json/* isObject */.G)(value) || !username)
                throw (0,api/* malformed */.Q)(what, answer, 'an answer with no username');
            return { username, type: (0,json/* stringField */.O)(value, 'type') };
        });
    }
    /** The model `owner/name`; undefined when Replicate has none (404). */
    async model(owner, name) {
        const what = 'Replicate GET /v1/models/{owner}/{name}';
        return (0,api/* callApi */.p)(this.request('GET', `/v1/models/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`, what), this.retry, (answer) => {
            if (answer.status === 404)
                return undefined;
            const value = (0,send/* parseJson */.qF)(answer.body);
            if (!(0,json/* isObject */.G)(value) || typeof value.name !== 'string') {
                throw (0,api/* malformed */.Q)(what, answer, 'an answer that is not a model');
            }
            return { ...value, owner: String(value.owner ?? owner), name: value.name };
        }, (answer) => this.errorFor(what, answer), { accepts: (answer) => answer.status === 404 });
    }
    /**
     * Creates a model. A 409 means one of that name exists (made since it was looked up, by another
     * run): that is what was wanted. Sending it again after a lost answer is safe for the same
     * reason, so it is retried like a read.
     */
    async createModel(model, hint403) {
        const what = 'Replicate POST /v1/models';
        return (0,api/* callApi */.p)(this.request('POST', '/v1/models', what, model), this.retry, (answer) => {
            if (answer.status === 409)
                return 'exists';
            const value = (0,send/* parseJson */.qF)(answer.body);
            if (!(0,json/* isObject */.G)(value) || typeof value.name !== 'string') {
                throw (0,api/* malformed */.Q)(what, answer, 'an answer that is not a model');
            }
            return 'created';
        }, (answer) => this.errorFor(what, answer, answer.status === 403 ? hint403 : undefined), { accepts: (answer) => answer.status === 409 });
    }
    /**
     * Uploads the ZIP to the Files API as `multipart/form-data`, streamed from disk with its
     * Content-Length: an answer whose sha256 is not the ZIP's (as built) is a failed upload
     * (retried). Every attempt is a new file; one a lost answer left behind is never used
     * and expires.
     */
    async uploadFile(zip) {
        const what = 'Replicate POST /v1/files';
        const boundary = `----replicate-upload-${(0,external_node_crypto_.randomBytes)(12).toString('hex')}`;
        const head = Buffer.from([
            `--${boundary}`,
            'Content-Disposition: form-data; name="filename"',
            '',
            zip.fileName,
            `--${boundary}`,
            'Content-Disposition: form-data; name="type"',
            '',
            'application/zip',
            `--${boundary}`,
            `Content-Disposition: form-data; name="content"; filename="${zip.fileName}"`,
            'Content-Type: application/zip',
            '',
            '',
        ].join('\r\n'));
        const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
        const body = () => {
            const progress = (0,transfer_progress/* progressLines */.L)('Uploading', zip.bytes);
            async function* parts() {
                yield head;
                let sent = 0;
                const file = (0,external_node_fs_.createReadStream)(zip.path, { highWaterMark: 1024 * 1024 });
                for await (const chunk of file) {
                    sent += chunk.length;
                    progress(sent);
                    yield chunk;
                }
                yield tail;
            }
            return external_node_stream_.Readable.from(parts(), { objectMode: false });
        };
        // One attempt of a 100 MB upload on a slow link can take minutes by itself.
        const policy = { ...this.retry, maxTotalMs: Math.max(this.retry.maxTotalMs, 15 * 60_000) };
        return (0,api/* callApi */.p)({
            ...this.request('POST', '/v1/files', what),
            headers: {
                Authorization: `Bearer ${this.token}`,
                'Content-Type': `multipart/form-data; boundary=${boundary}`,
                'Content-Length': String(head.length + zip.bytes + tail.length),
            },
            body,
        }, policy, (answer) => {
            const file = readFile((0,send/* parseJson */.qF)(answer.body));
            if (!file)
                throw (0,api/* malformed */.Q)(what, answer, 'an answer with no file id and urls.get');
            if (file.size !== undefined && file.size !== zip.bytes) {
                throw (0,api/* malformed */.Q)(what, answer, `a file of ${file.size} bytes where ${zip.bytes} were sent`, false);
            }
            const theirs = file.checksums?.sha256;
            if (typeof theirs === 'string' && theirs.toLowerCase() !== zip.sha256) {
                throw (0,api/* malformed */.Q)(what, answer, `a file whose sha256 (${theirs}) is not the ZIP's (${zip.sha256})`, false);
            }
            return file;
        }, (answer) => this.errorFor(what, answer));
    }
    /** One page of the account's files, newest first; `next` from the page before. */
    async files(next) {
        return this.page('/v1/files', next, (item) => readFile(item));
    }
    /**
     * Creates a training, once (never retried here: a lost answer may mean it exists, and the
     * caller settles that). The answer's `urls` point at `/v1/predictions/`; they are not used.
     */
    async createTraining(trainer, destination, input) {
        const path = `/v1/models/${trainer.owner}/${trainer.name}/versions/${encodeURIComponent(trainer.version)}/trainings`;
        const what = `Replicate POST /v1/models/${trainer.owner}/${trainer.name}/versions/{version}/trainings`;
        // A 403 or 404 here is about the destination (the trainer was read a moment ago): a model
        // the token may not write to, though anyone may read it.
        const destinationHint = `Replicate would not train into ${destination} with this token. A token trains into models of its own account or of an organization it belongs to: set \`destination\` to one of those (the default, \`<account>/<repository name>\`, is created for you).`;
        return (0,api/* callApi */.p)(this.request('POST', path, what, { destination, input }), this.retry, (answer) => {
            const training = readTraining((0,send/* parseJson */.qF)(answer.body));
            if (!training)
                throw (0,api/* malformed */.Q)(what, answer, 'an answer with no training id');
            return training;
        }, (answer) => this.errorFor(what, answer, answer.status === 403 || answer.status === 404 ? destinationHint : undefined), { retry: false });
    }
    async training(id) {
        return this.call('GET', `/v1/trainings/${encodeURIComponent(id)}`, undefined, (answer, what) => {
            const training = readTraining((0,send/* parseJson */.qF)(answer.body));
            if (!training)
                throw (0,api/* malformed */.Q)(what, answer, 'an answer that is not a training');
            return training;
        });
    }
    /** One page of the account's trainings (every model's), newest first. */
    async trainings(next) {
        return this.page('/v1/trainings', next, (item) => readTraining(item));
    }
    /**
     * Asks Replicate to stop a training. A refusal that is an answer rather than an error (a
     * training that has finished already, whatever status Replicate says that with) comes back as
     * `refused` with Replicate's message; the caller reads the training as it stands.
     */
    async cancel(id) {
        const what = 'Replicate POST /v1/trainings/{id}/cancel';
        return (0,api/* callApi */.p)(this.request('POST', `/v1/trainings/${encodeURIComponent(id)}/cancel`, what), this.retry, (answer) => {
            if (answer.status >= 300) {
                return { refused: replicateMessage(answer.body), status: answer.status };
            }
            return { training: readTraining((0,send/* parseJson */.qF)(answer.body)), status: answer.status };
        }, (answer) => this.errorFor(what, answer), { accepts: (answer) => [400, 409, 422].includes(answer.status) });
    }
    /**
     * The header that fetches a Replicate output file (Replicate asks for the token on them), for
     * a URL on `api-url`'s origin or on Replicate's own hosts over https; undefined for any other
     * host, which never gets the token.
     */
    authorizationFor(url) {
        let target;
        try {
            target = new URL(url);
        }
        catch {
            return undefined;
        }
        const own = target.origin === new URL(this.base).origin;
        const replicate = target.protocol === 'https:' && REPLICATE_HOSTS.test(target.hostname);
        return own || replicate ? { Authorization: `Bearer ${this.token}` } : undefined;
    }
    // ---- plumbing -------------------------------------------------------------------------------
    /**
     * A page of a list. The `next` link Replicate gives is absolute (`https://api.replicate.com/
     * v1/trainings?cursor=...`): only its query is kept, and asked of `api-url`, so that neither a
     * proxy in `api-url` nor a link in an answer can send the token elsewhere.
     */
    async page(path, next, read) {
        return this.call('GET', `${path}${next ?? ''}`, undefined, (answer, what) => {
            const value = (0,send/* parseJson */.qF)(answer.body);
            if (!(0,json/* isObject */.G)(value) || !Array.isArray(value.results)) {
                throw (0,api/* malformed */.Q)(what, answer, 'an answer with no "results" list');
            }
            const results = value.results
                .map((item) => read(item))
                .filter((item) => item !== undefined);
            return { results, next: nextQuery(value.next) };
        });
    }
    request(method, path, what, json) {
        return {
            what,
            method,
            url: this.base + path,
            headers: { Authorization: `Bearer ${this.token}` },
            json,
            peer: 'Replicate',
            maxBodyBytes: MAX_ANSWER_BYTES,
        };
    }
    call(method, path, json, read) {
        // Named without its query or the id: `Replicate GET /v1/trainings/{id}`.
        const bare = path.split('?')[0].replace(/^(\/v1\/trainings)\/[^/]+/, '$1/{id}');
        const what = `Replicate ${method} ${bare}`;
        return (0,api/* callApi */.p)(this.request(method, path, what, json), this.retry, (answer) => read(answer, what), (answer) => this.errorFor(what, answer));
    }
    errorFor(what, answer, hint) {
        const { status } = answer;
        const fields = invalidFields(answer.body);
        const message = replicateMessage(answer.body) || '(no message)';
        let fallback;
        if (status === 401 || status === 403) {
            fallback =
                'Replicate rejected the API token. Check that the `api-key` secret holds a current token from replicate.com (Account settings, API tokens), whole, with no extra spaces or quotes.';
        }
        else if (status === 404 && what.includes('/v1/trainings/{id}')) {
            fallback =
                'Replicate has no training with this id for this token. Check the `finetune-id` input (the `finetune-id` output of the step that trained it, or an id from `command: list`) and that the token belongs to the same Replicate account.';
        }
        else if (status === 422) {
            fallback =
                'Replicate refused the request as it was sent; the fields above say why. Check the inputs they name; if they are the action\u2019s own, please open an issue with this message.';
        }
        else if (status === 429) {
            fallback =
                'Replicate is rate-limiting this token. Wait a while and re-run, or run fewer jobs at once.';
        }
        else if (status >= 500) {
            fallback =
                'Replicate had a server error. Re-run the job later; if it persists, check Replicate\u2019s status page or contact its support.';
        }
        return (0,send/* statusError */.$C)(what, answer, message, hint ?? fallback, fields ? `${what} answered HTTP ${status}: ${fields}` : undefined);
    }
}
/**
 * Replicate's message from a problem+json body: its `detail` (with `title` when the detail does
 * not say it), a 422's fields one by one, or an `errors` list's first `detail` (some clients
 * read that); anything else as the other providers' messages are read.
 */
function replicateMessage(body) {
    const parsed = (0,send/* parseJson */.qF)(body);
    if (parsed !== send/* INVALID_JSON */.V7 && (0,json/* isObject */.G)(parsed)) {
        const detail = (0,json/* stringField */.O)(parsed, 'detail');
        const title = (0,json/* stringField */.O)(parsed, 'title');
        const fromList = Array.isArray(parsed.errors) && (0,json/* isObject */.G)(parsed.errors[0])
            ? (0,json/* stringField */.O)(parsed.errors[0], 'detail')
            : undefined;
        const text = detail ?? fromList;
        if (text) {
            const titled = title && !text.toLowerCase().includes(title.toLowerCase());
            return (0,send/* oneLine */.TN)((0,send/* withoutQueries */.Bs)(titled ? `${title}: ${text}` : text), 300);
        }
        if (title)
            return (0,send/* oneLine */.TN)((0,send/* withoutQueries */.Bs)(title), 300);
    }
    return (0,message/* answerMessage */.M)(body);
}
/**
 * A 422's `invalid_fields`, one a line (`- input.steps: Must be less than or equal to 6000`),
 * after its title; undefined when the body has none. Each field's text is one line and short:
 * it is the server's, and must not start a line of its own in the log.
 */
function invalidFields(body) {
    const parsed = (0,send/* parseJson */.qF)(body);
    if (parsed === send/* INVALID_JSON */.V7 || !(0,json/* isObject */.G)(parsed) || !Array.isArray(parsed.invalid_fields)) {
        return undefined;
    }
    const fields = parsed.invalid_fields.filter(json/* isObject */.G);
    if (fields.length === 0)
        return undefined;
    const lines = fields.slice(0, FIELDS_SHOWN).map((f) => {
        const field = typeof f.field === 'string' && f.field ? f.field : '(request)';
        const text = (typeof f.description === 'string' && f.description) ||
            (typeof f.type === 'string' && f.type) ||
            'invalid';
        return `- ${(0,send/* oneLine */.TN)((0,send/* withoutQueries */.Bs)(`${field}: ${text}`), 200)}`;
    });
    if (fields.length > FIELDS_SHOWN)
        lines.push(`- and ${fields.length - FIELDS_SHOWN} more`);
    const title = (0,json/* stringField */.O)(parsed, 'title') ?? 'Input validation failed';
    return `${(0,send/* oneLine */.TN)(title, 100)}:\n${lines.join('\n')}`;
}
/** A training from an answer, or undefined when it has no id (or is no object at all). */
function readTraining(value) {
    if (!(0,json/* isObject */.G)(value))
        return undefined;
    const id = (0,json/* stringField */.O)(value, 'id');
    if (!id || !/^[A-Za-z0-9._-]{1,200}$/.test(id))
        return undefined;
    const input = (0,json/* isObject */.G)(value.input) ? value.input : null;
    return { ...value, id, status: typeof value.status === 'string' ? value.status : '', input };
}
/** A file from an answer: it needs an id and a URL to train from. */
function readFile(value) {
    if (!(0,json/* isObject */.G)(value) || !(0,json/* isObject */.G)(value.urls))
        return undefined;
    const id = (0,json/* stringField */.O)(value, 'id');
    const get = (0,json/* stringField */.O)(value.urls, 'get');
    if (!id || !get || !(0,urls/* isHttpsOrLoopback */.cU)(get))
        return undefined;
    const size = typeof value.size === 'number' ? value.size : undefined;
    const checksums = (0,json/* isObject */.G)(value.checksums) ? value.checksums : undefined;
    return { ...value, id, size, checksums, urls: { ...value.urls, get } };
}
/** The query of a `next` link (a link that comes round again is the reader's to stop). */
function nextQuery(next) {
    if (typeof next !== 'string' || next === '')
        return undefined;
    let query;
    try {
        query = new URL(next, 'https://api.replicate.com').search;
    }
    catch {
        return undefined;
    }
    return query || undefined;
}

// EXTERNAL MODULE: ./src/providers/replicate/mapping.ts
var mapping = __webpack_require__(5692);
;// CONCATENATED MODULE: ./src/providers/replicate/provider.ts
/**
 * Replicate behind the provider seam: ostris/flux-dev-lora-trainer, writing each trained LoRA as
 * a new version of a destination model.
 *
 * Never paying twice on Replicate rests on its trainings list, which lists a training (with its
 * input) from the moment it is created: the action's upload is named `<job name>.zip` in the
 * Files API, so a training whose `input_images` is such a file is the one this dataset and these
 * settings already paid for. Replicate keeps uploaded files for 24 hours; past that the file, and
 * so the name, is gone from the Files list. docs/replicate.md says what the action does then.
 */









/** Pages of 100 read at most from a list: a hostile or endless cursor must end. */
const MAX_PAGES = 20;
/** The hardware a created model names; Replicate picks its own for a fine-tune's versions. */
const HARDWARE = 'gpu-t4';
/** A training's `logs` kept in the `details` output: its last lines, not megabytes. */
const LOG_TAIL_CHARS = 2_000;
/** An earlier upload is reused only while it lives this much longer: Replicate reads it at start. */
const UPLOAD_MARGIN_MS = 2 * 3_600_000;
class ReplicateProvider {
    name = 'replicate';
    label = 'Replicate';
    knownStatuses = ['starting', 'processing', 'succeeded'];
    weightsName = 'weights';
    client;
    settings;
    repository;
    /** The trainings listed before the submit: one among them was not created by it. */
    known = new Set();
    /** Files named `<job name>.zip` the Files list showed: an earlier upload of this very ZIP. */
    uploads = [];
    destinationName;
    preparing;
    /** How far back the trainings list was read, when it was cut short. */
    listCut;
    /** When this run first sent its training request (its lost answer is looked up after it). */
    firstSubmitAt;
    constructor(options) {
        this.client = new ReplicateClient(options.apiUrl, options.apiKey, options.retry);
        this.settings = options.settings;
        this.repository = options.repository;
    }
    // ---- reuse ----------------------------------------------------------------------------------
    async findReusable(plan) {
        const trainings = await this.trainerTrainings();
        this.known = new Set(trainings.map((t) => t.id));
        const expected = (0,mapping/* replicateInput */.O)(plan.settings);
        let match;
        if (plan.datasetUrl) {
            const destination = await this.destination();
            match = newestMade(trainings.filter((t) => usable(t) &&
                sameData(t, plan.datasetUrl) &&
                (0,matching/* sameInput */.ly)(t.input, expected) &&
                [destination, undefined].includes(destinationOf(t)) &&
                (0,matching/* madeAfterChange */.IO)((0,matching/* timeIn */.Hi)(t.created_at), plan.datasetModifiedAt)));
        }
        else {
            const files = await this.allFiles();
            this.uploads = files.filter((f) => f.name === `${plan.name}.zip`);
            match = newestMade(trainings.filter((t) => usable(t) && usesFile(t, this.uploads)));
            if (!match)
                await this.noticeExpiredUpload(trainings, files, expected);
        }
        if (!match)
            return undefined;
        // The list may leave fields out: the training as it stands now.
        return { ...(await this.get(match.id)), name: plan.name };
    }
    /**
     * Past 24 hours Replicate no longer lists an upload, so a training of this very dataset can no
     * longer be told from one of another: one with the same settings into the same model whose
     * upload is gone is named, so that a second training is no surprise.
     */
    async noticeExpiredUpload(trainings, files, expected) {
        const listed = new Set(files.map((f) => f.id));
        const candidates = trainings.filter((t) => {
            const id = fileIdOf(inputImages(t));
            return usable(t) && id !== undefined && !listed.has(id) && (0,matching/* sameInput */.ly)(t.input, expected);
        });
        if (candidates.length === 0)
            return;
        const destination = await this.destination();
        const earlier = newestMade(candidates.filter((t) => [destination, undefined].includes(destinationOf(t))));
        if (!earlier)
            return;
        log/* warning */.$e(`Replicate has training ${earlier.id} (${earlier.status || 'unknown status'}, created ${earlier.created_at ?? 'at an unknown time'}) with these settings into ${destination}, from an upload Replicate no longer keeps (it keeps uploads 24 hours), so whether it trained this same dataset cannot be told. Training anew; if it was the same, \`command: cancel\` stops the new training.`);
    }
    // ---- upload and submit ----------------------------------------------------------------------
    async upload(zip) {
        // The trainer and the destination first: a destination that cannot be made fails the step
        // before a 100 MB upload.
        await this.prepared();
        const earlier = this.earlierUpload(zip);
        if (earlier) {
            log/* info */.pq(`Using the upload of ${zip.fileName} made ${earlier.created_at ?? 'earlier'} (the same ${zip.bytes} bytes); Replicate keeps it until ${earlier.expires_at}.`);
            return earlier.urls.get;
        }
        const file = await this.client.uploadFile(zip);
        log/* info */.pq(`Uploaded ${zip.fileName} to Replicate's Files API (file ${file.id}${file.expires_at ? `, kept until ${file.expires_at}` : ''}).`);
        return file.urls.get;
    }
    /**
     * A file of this name that an earlier run uploaded and did not train (its submit failed), with
     * the same bytes and long enough to live: uploading it again would only make a copy.
     */
    earlierUpload(zip) {
        const now = Date.now();
        const alive = this.uploads.filter((f) => f.size === zip.bytes &&
            typeof f.checksums?.sha256 === 'string' &&
            typeof f.expires_at === 'string' &&
            Date.parse(f.expires_at) - now > UPLOAD_MARGIN_MS);
        return newestMade(alive.filter((f) => f.checksums.sha256.toLowerCase() === zip.sha256));
    }
    async submit(plan) {
        let prepared;
        try {
            prepared = await this.prepared();
        }
        catch (error) {
            // Nothing was sent yet: not a lost answer, whatever the error.
            if (error instanceof send/* HttpError */.j$)
                throw new errors/* ActionError */.l(error.message, error.hint);
            throw error;
        }
        const input = { input_images: plan.dataUrl, ...(0,mapping/* replicateInput */.O)(plan.settings) };
        this.firstSubmitAt ??= Date.now();
        const training = await this.client.createTraining({ owner: mapping/* TRAINER_OWNER */.qj, name: mapping/* TRAINER_NAME */._S, version: prepared.version }, prepared.destination, input);
        return { ...this.job(training), name: plan.name };
    }
    /**
     * The trainings list shows a training from the moment it is created, so a lost answer is
     * settled by it: a training of this dataset that was not listed before is this run's. A 429,
     * or a request that never reached Replicate, created nothing.
     */
    async afterLostSubmit(plan, error) {
        if (error.status === 429) {
            return {
                found: 'none',
                log: 'Replicate refused the request (HTTP 429, a rate limit), so no training was created',
                gaveUp: 'Replicate kept refusing it (HTTP 429, a rate limit), so no training was created and a re-run is safe',
            };
        }
        const page = await this.client.trainings();
        const expected = (0,mapping/* replicateInput */.O)(plan.settings);
        const appeared = newestMade(page.results.filter((t) => isTrainerTraining(t) &&
            !this.known.has(t.id) &&
            sameData(t, plan.dataUrl) &&
            (0,matching/* sameInput */.ly)(t.input, expected) &&
            // A dataset-url can be another run's too: one of its trainings made between this
            // run's look and its submit is older than the submit.
            (plan.uploaded || (0,matching/* madeSince */.O9)((0,matching/* timeIn */.Hi)(t.created_at), this.firstSubmitAt ?? Date.now()))));
        if (appeared)
            return { found: { ...this.job(appeared), name: plan.name } };
        return {
            found: 'none',
            log: 'The trainings list shows no training of this dataset, so none was created',
            gaveUp: 'the trainings list shows no training of this dataset, so none was created and a re-run is safe',
        };
    }
    // ---- the trainer, the destination -----------------------------------------------------------
    /** The trainer's version and the destination model, made if it does not exist; once a run. */
    prepared() {
        this.preparing ??= (async () => {
            // One after the other: the requests come in the same order on every run.
            const version = await this.trainerVersion();
            const destination = await this.destination();
            await this.ensureDestination(destination);
            return { version, destination };
        })();
        return this.preparing;
    }
    /** The trainer's latest version, read at run time: Replicate publishes new ones. */
    async trainerVersion() {
        const model = await this.client.model(mapping/* TRAINER_OWNER */.qj, mapping/* TRAINER_NAME */._S);
        const latest = model?.latest_version;
        const id = (0,json/* isObject */.G)(latest) ? latest.id : latest;
        if (typeof id !== 'string' || !/^[A-Za-z0-9]{1,128}$/.test(id)) {
            throw new errors/* ActionError */.l(model
                ? `Replicate's ${mapping/* TRAINER */.OL} has no version to train with (its latest_version is ${latest === null || latest === undefined ? 'empty' : 'not a version'}).`
                : `Replicate has no model ${mapping/* TRAINER */.OL} for this token.`, 'The trainer this action uses may have moved or been withdrawn. Check it on replicate.com; if it is there, please open an issue with this message.');
        }
        log/* info */.pq(`Trainer: ${mapping/* TRAINER */.OL}, version ${id} (its latest on Replicate).`);
        return id;
    }
    /** `destination`, or `<account>/<repository name>`. */
    destination() {
        this.destinationName ??= (async () => {
            if (this.settings.destination)
                return this.settings.destination;
            const { username } = await this.client.account();
            if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,38}$/.test(username)) {
                throw new errors/* ActionError */.l(`Replicate names this token's account "${log/* inert */.tJ(username, 60)}", which cannot own a model name the action can make up.`, 'Set `destination` to `owner/name` of the model to train into.');
            }
            return `${username}/${(0,mapping/* defaultModelName */.G)(this.repository)}`;
        })();
        return this.destinationName;
    }
    /** Creates the destination model when Replicate has none of that name. */
    async ensureDestination(destination) {
        const [owner, name] = destination.split('/');
        const existing = await this.client.model(owner, name);
        const wanted = this.settings.isPublic ? 'public' : 'private';
        if (existing) {
            const visibility = typeof existing.visibility === 'string' ? existing.visibility : undefined;
            log/* info */.pq(`Training into the model ${destination}${visibility ? ` (${visibility})` : ''}, which exists on Replicate.`);
            if (this.settings.isPublic && visibility === 'private') {
                log/* notice */.lm(`\`public: true\` sets the visibility of a model the action creates; ${destination} exists already and stays private. Change it on replicate.com if it should be public.`);
            }
            return;
        }
        const made = await this.client.createModel({
            owner,
            name,
            visibility: wanted,
            hardware: HARDWARE,
            description: `FLUX.1 [dev] LoRA trained with ${mapping/* TRAINER */.OL} from the images of ${this.repository}.`,
        }, `Replicate did not let this token create the model ${destination}. A token may create models under its own account, or an organization it belongs to: set \`destination\` to one of those, or create ${destination} on replicate.com first.`);
        log/* info */.pq(made === 'exists'
            ? `The model ${destination} was created meanwhile (by another run); training into it.`
            : `Created the ${wanted} model ${destination} on Replicate: each training adds a version to it.`);
    }
    // ---- the job --------------------------------------------------------------------------------
    async get(id) {
        return this.job(await this.client.training(id));
    }
    /** A training as a job. */
    job(training) {
        const status = training.status;
        const error = errorOf(training.error);
        const output = training.output;
        const weights = typeof output === 'string'
            ? output
            : (0,json/* isObject */.G)(output) && typeof output.weights === 'string' && output.weights
                ? output.weights
                : undefined;
        const version = (0,json/* isObject */.G)(output) && typeof output.version === 'string' && output.version
            ? output.version
            : undefined;
        const destination = destinationOf(training);
        const slug = version && !version.includes(':') && destination ? `${destination}:${version}` : version;
        const trainer = typeof training.model === 'string' && training.model ? training.model : mapping/* TRAINER */.OL;
        const trainedBy = typeof training.version === 'string' && training.version
            ? training.version.includes(':')
                ? training.version
                : `${trainer}:${training.version}`
            : undefined;
        return {
            id: training.id,
            status,
            stage: stageOf(status),
            error: error ?? (status === 'aborted' ? 'Replicate aborted the training' : undefined),
            modelUrl: weights && (0,urls/* isHttpsOrLoopback */.cU)(weights) ? weights : undefined,
            slug,
            trainedBy,
            record: withLogTail(training),
        };
    }
    // ---- list, cancel, download -----------------------------------------------------------------
    async list() {
        const trainings = await this.trainerTrainings();
        return {
            raw: trainings.map(withLogTail),
            jobs: trainings.map((t) => this.job(t)),
            scope: this.listCut !== undefined
                ? `Replicate lists trainings newest first; only the newest ${this.listCut} of the account were read.`
                : undefined,
        };
    }
    async cancel(id) {
        const answer = await this.client.cancel(id);
        if (answer.refused !== undefined) {
            log/* info */.pq(`Replicate did not cancel ${id} (HTTP ${answer.status}: ${answer.refused}); it had most likely finished already.`);
            return this.get(id);
        }
        // An answer that is not the training it stopped: ask for it.
        const job = answer.training ? this.job(answer.training) : await this.get(id);
        if (job.stage === 'ready' || job.stage === 'failed') {
            log/* info */.pq(`Training ${id} had finished already (${job.status}); there was nothing to cancel.`);
        }
        return job;
    }
    modelSource(job) {
        const url = job.modelUrl;
        if (!url) {
            throw (0,jobs_job/* nothingToDownload */.Lc)(`Replicate training ${job.id} has no weights`, job, 'It succeeded, but its output names no weights file; check the training on replicate.com.');
        }
        const headers = this.client.authorizationFor(url);
        if (!headers) {
            log/* info */.pq(`The weights are on ${new URL(url).host}, which is not Replicate's: fetched without the token.`);
        }
        return {
            provider: 'Replicate',
            refreshable: false,
            tar: true,
            link: () => Promise.resolve({ url, headers }),
        };
    }
    targetWord() {
        return 'succeeded';
    }
    inFlightAdvice(name) {
        return (`The training request of ${name} had been sent to Replicate but not answered, so the training may exist. ` +
            `Re-run with the same dataset and settings: the run finds it in the trainings list (by the uploaded ${name}.zip, which Replicate keeps 24 hours, or by \`dataset-url\`) and adopts it instead of training twice (\`command: list\` shows it).`);
    }
    // ---- lists ----------------------------------------------------------------------------------
    /** The account's trainings of the trainer, newest first, as far as MAX_PAGES reaches. */
    async trainerTrainings() {
        const all = await this.pages((next) => this.client.trainings(next), 'trainings');
        return all.filter(isTrainerTraining);
    }
    allFiles() {
        return this.pages((next) => this.client.files(next), 'files');
    }
    pages(read, what) {
        return (0,matching/* readPages */.n4)(async (next) => {
            const page = await read(next);
            return { items: page.results, next: page.next };
        }, MAX_PAGES, (count) => {
            if (what === 'trainings')
                this.listCut = count;
            log/* warning */.$e(`Replicate lists more than ${count} ${what}; only the newest ${count} were looked at${what === 'trainings' ? ': an older training of this dataset is not found, and would be trained again' : ''}.`);
        });
    }
}
// ---- pure readers of trainings ---------------------------------------------------------------
/** Replicate's status words in the pipeline's stages. */
function stageOf(status) {
    switch (status) {
        case 'starting':
            return 'queued';
        case 'processing':
            return 'training';
        case 'succeeded':
            return 'ready';
        case 'failed':
        case 'aborted':
            return 'failed';
        case 'canceled':
        case 'cancelled':
            return 'cancelled';
        default:
            return 'unknown';
    }
}
/** A training that has not failed and was not cancelled: adopting it pays nothing. */
function usable(training) {
    const stage = stageOf(training.status);
    return stage !== 'failed' && stage !== 'cancelled';
}
/** A training of the trainer this action uses (the list holds every model's). */
function isTrainerTraining(training) {
    const model = typeof training.model === 'string' ? training.model.split(':')[0] : undefined;
    return model === mapping/* TRAINER */.OL;
}
function inputImages(training) {
    const value = training.input?.input_images;
    return typeof value === 'string' ? value : undefined;
}
/**
 * Where the training writes: Replicate returns no `destination` (the official client reads it
 * from `output.version`, `owner/name:version`, once the training has succeeded); a record that
 * does carry one is read too. Undefined while it cannot be told.
 */
function destinationOf(training) {
    if (typeof training.destination === 'string' && training.destination) {
        return training.destination;
    }
    const output = training.output;
    const version = (0,json/* isObject */.G)(output) && typeof output.version === 'string' ? output.version : '';
    const at = version.indexOf(':');
    return at > 0 ? version.slice(0, at) : undefined;
}
/**
 * The Files API id in a URL that names one (`https://api.replicate.com/v1/files/<id>`, also with
 * an extension or a `/download` after it, on any host: `api-url` may be a proxy).
 */
function fileIdOf(url) {
    if (!url)
        return undefined;
    let parts;
    try {
        parts = new URL(url).pathname.split('/');
    }
    catch {
        return undefined;
    }
    const at = parts.lastIndexOf('files');
    const segment = at >= 0 ? parts[at + 1] : undefined;
    if (!segment || parts[at - 1] !== 'v1')
        return undefined;
    return decodeURIComponent(segment).replace(/\.[A-Za-z0-9]+$/, '');
}
/**
 * The training was given `url` as its dataset: the same URL, or the same uploaded file written
 * another way (Replicate may echo a file's URL in another of its forms, docs/replicate.md).
 */
function sameData(training, url) {
    const given = inputImages(training);
    if (!given)
        return false;
    if (given === url)
        return true;
    const id = fileIdOf(given);
    return id !== undefined && id === fileIdOf(url);
}
/** The training was given one of these files as its dataset. */
function usesFile(training, files) {
    const url = inputImages(training);
    if (!url)
        return false;
    const id = fileIdOf(url);
    return files.some((f) => f.urls.get === url || (id !== undefined && f.id === id));
}
function errorOf(error) {
    if (typeof error === 'string')
        return error.trim() || undefined;
    if (error === null || error === undefined)
        return undefined;
    if ((0,json/* isObject */.G)(error) && typeof error.message === 'string')
        return error.message;
    return JSON.stringify(error);
}
/** The training as it came, but its `logs` cut to their last lines (they grow to megabytes). */
function withLogTail(training) {
    const logs = training.logs;
    if (typeof logs !== 'string' || logs.length <= LOG_TAIL_CHARS)
        return training;
    return { ...training, logs: `\u2026${logs.slice(-LOG_TAIL_CHARS)}` };
}
/** The newest of several by `created_at` (the list's order among equals: newest first). */
function newestMade(items) {
    return (0,matching/* newest */.BP)(items, (item) => (0,matching/* timeIn */.Hi)(item.created_at));
}


/***/ }),

/***/ 8451:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   G: () => (/* binding */ isObject),
/* harmony export */   O: () => (/* binding */ stringField)
/* harmony export */ });
/** Small readers of parsed JSON answers: every provider's answer is checked field by field. */
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** A non-empty string field, or undefined. */
function stringField(record, key) {
    const value = record[key];
    return typeof value === 'string' && value !== '' ? value : undefined;
}


/***/ }),

/***/ 484:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L: () => (/* binding */ progressLines)
/* harmony export */ });
/* harmony import */ var _shared_log_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1827);
/* harmony import */ var _shared_format_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6338);


/**
 * Progress lines for a transfer of `total` bytes: call the result with the bytes done so far. A
 * line is printed when a quarter of the file is passed, with the figures of that moment; a piece
 * that passes several quarters at once prints one line, not one per quarter. So a file smaller
 * than one read prints a single "100%" line, and no two lines are the same.
 */
function progressLines(verb, total, options = {}) {
    const startedAt = Date.now();
    let nextMark = 0.25;
    // Called for every piece received: the common case compares two integers, where a division
    // made a new heap number per call until the engine optimised the caller.
    let nextBytes = total > 0 ? total * nextMark : Infinity;
    return (done) => {
        if (done < nextBytes)
            return;
        const fraction = Math.min(done / total, 1);
        while (nextMark <= fraction)
            nextMark += 0.25;
        nextBytes = nextMark > 1 ? Infinity : total * nextMark;
        const seconds = (Date.now() - startedAt) / 1000;
        const rate = options.rate && seconds > 0 ? ` at ${(0,_shared_format_js__WEBPACK_IMPORTED_MODULE_1__/* .formatMb */ .TF)(done / seconds)}/s` : '';
        _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${verb}: ${Math.floor(fraction * 100)}% (${(0,_shared_format_js__WEBPACK_IMPORTED_MODULE_1__/* .formatMb */ .TF)(done)} of ${(0,_shared_format_js__WEBPACK_IMPORTED_MODULE_1__/* .formatMb */ .TF)(total)}${rate})`);
    };
}


/***/ })

};
