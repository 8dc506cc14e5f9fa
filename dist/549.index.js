export const id = 549;
export const ids = [549];
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

/***/ 8549:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  FalProvider: () => (/* binding */ FalProvider)
});

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
// EXTERNAL MODULE: ./src/http/api.ts
var api = __webpack_require__(9308);
// EXTERNAL MODULE: ./src/http/message.ts
var http_message = __webpack_require__(2551);
// EXTERNAL MODULE: ./src/shared/urls.ts
var urls = __webpack_require__(3047);
;// CONCATENATED MODULE: ./src/providers/fal/client.ts





/** `api-url` empty means fal's real hosts; set, it replaces the origin of every one of them. */
function falHosts(apiUrl) {
    if (!apiUrl) {
        return {
            queue: 'https://queue.fal.run',
            rest: 'https://rest.fal.ai',
            api: 'https://api.fal.ai',
        };
    }
    return { queue: apiUrl, rest: apiUrl, api: apiUrl };
}
/** A few hundred requests with their payloads is a few hundred kB; past this is not fal's answer. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;
class FalClient {
    hosts;
    key;
    retry;
    constructor(hosts, key, retry) {
        this.hosts = hosts;
        this.key = key;
        this.retry = retry;
    }
    /**
     * A place to upload a file to: `upload_url` (a signed URL, a credential) and `file_url` (where
     * it is read from once uploaded). `multipart` asks for the variant whose parts go to
     * `upload_url` + `/<n>`.
     */
    async initiateUpload(fileName, contentType, multipart) {
        const path = multipart ? '/storage/upload/initiate-multipart' : '/storage/upload/initiate';
        return this.call('POST', this.hosts.rest, `${path}?storage_type=fal-cdn-v3`, { content_type: contentType, file_name: fileName }, (answer, what) => {
            const value = (0,send/* parseJson */.qF)(answer.body);
            const record = (0,json/* isObject */.G)(value) ? value : {};
            const uploadUrl = (0,json/* stringField */.O)(record, 'upload_url');
            const fileUrl = (0,json/* stringField */.O)(record, 'file_url');
            if (!uploadUrl ||
                !fileUrl ||
                !(0,urls/* isHttpsOrLoopback */.cU)(uploadUrl) ||
                !(0,urls/* isHttpsOrLoopback */.cU)(fileUrl)) {
                // The answer holds a credential: say what is missing, never quote it.
                throw (0,api/* malformed */.Q)(what, answer, 'an answer with no upload_url and file_url', false);
            }
            return { uploadUrl, fileUrl };
        });
    }
    /**
     * Sends a request to a trainer, once (never retried here: a lost answer may mean it was
     * queued, and the caller settles that). The id is read from the answer's body, or from its
     * `x-fal-request-id` header where the body is not what fal documents.
     */
    async submit(endpoint, input) {
        return this.call('POST', this.hosts.queue, `/${endpoint}`, input, (answer, what) => {
            const value = (0,send/* parseJson */.qF)(answer.body);
            const record = (0,json/* isObject */.G)(value) ? value : {};
            const id = (0,json/* stringField */.O)(record, 'request_id') ?? requestIdHeader(answer.headers);
            if (!id)
                throw (0,api/* malformed */.Q)(what, answer, 'an answer with no request_id');
            return { ...record, request_id: id, status: (0,json/* stringField */.O)(record, 'status') ?? 'IN_QUEUE' };
        }, false);
    }
    /** Where the request stands: 202 while queued or running, 200 once completed (any 2xx will do). */
    async status(endpoint, id) {
        return this.call('GET', this.hosts.queue, `/${endpoint}/requests/${encodeURIComponent(id)}/status?logs=0`, undefined, (answer, what) => {
            const value = (0,send/* parseJson */.qF)(answer.body);
            const status = (0,json/* isObject */.G)(value) ? (0,json/* stringField */.O)(value, 'status') : undefined;
            if (!(0,json/* isObject */.G)(value) || !status)
                throw (0,api/* malformed */.Q)(what, answer, 'an answer with no status');
            return { ...value, status };
        });
    }
    /**
     * A completed request's result, whatever its status: 200 with the trainer's output, or the
     * status and body the trainer failed with (a 422 of invalid input, a 500), or a 404 for a
     * result fal no longer keeps. Only 429 and the gateway's 502 to 504 are retried.
     */
    async result(endpoint, id) {
        const what = `fal GET /${endpoint}/requests/{id}`;
        return (0,api/* callApi */.p)(this.request('GET', this.hosts.queue, `/${endpoint}/requests/${encodeURIComponent(id)}`, what), this.retry, (answer) => ({
            status: answer.status,
            body: (0,send/* parseJson */.qF)(answer.body),
            message: answer.status < 300 ? '' : falMessage(answer.body),
        }), (answer) => this.errorFor(what, answer), {
            accepts: (answer) => !isGatewayFailure(answer.status) && answer.status !== 401 && answer.status !== 403,
        });
    }
    /**
     * Asks fal to stop a request. A request fal cannot stop is an answer too, its reason in
     * `status` (`ALREADY_COMPLETED`, `NOT_FOUND`).
     */
    async cancel(endpoint, id) {
        const what = `fal PUT /${endpoint}/requests/{id}/cancel`;
        return (0,api/* callApi */.p)(this.request('PUT', this.hosts.queue, `/${endpoint}/requests/${encodeURIComponent(id)}/cancel`, what), this.retry, (answer) => ({ httpStatus: answer.status, status: statusWord(answer) ?? 'OK' }), (answer) => this.errorFor(what, answer), {
            accepts: (answer) => (answer.status === 400 || answer.status === 404 || answer.status === 409) &&
                statusWord(answer) !== undefined,
        });
    }
    /** One page of the request history of `endpoints`, with the requests' input and output. */
    async history(query) {
        const params = new URLSearchParams();
        params.set('endpoint_id', query.endpoints.join(','));
        params.set('expand', 'payloads');
        params.set('limit', '100');
        if (query.start)
            params.set('start', query.start);
        if (query.requestId)
            params.set('request_id', query.requestId);
        if (query.cursor)
            params.set('cursor', query.cursor);
        return this.call('GET', this.hosts.api, `/v1/models/requests/by-endpoint?${params.toString()}`, undefined, (answer, what) => {
            const value = (0,send/* parseJson */.qF)(answer.body);
            if (!(0,json/* isObject */.G)(value) || !Array.isArray(value.items)) {
                throw (0,api/* malformed */.Q)(what, answer, 'an answer with no "items" list');
            }
            const items = value.items.filter((item) => (0,json/* isObject */.G)(item) && typeof item.request_id === 'string');
            const next = (0,json/* stringField */.O)(value, 'next_cursor');
            // has_more is derived from next_cursor; either saying "no more" ends the list.
            return { items, nextCursor: value.has_more === false ? undefined : next };
        });
    }
    request(method, host, path, what, json) {
        return {
            what,
            method,
            url: host + path,
            headers: { Authorization: `Key ${this.key}` },
            json,
            peer: 'fal',
            maxBodyBytes: MAX_ANSWER_BYTES,
        };
    }
    call(method, host, path, json, read, retry = true) {
        // Named without its query or the request's id: `fal GET /v1/models/requests/by-endpoint`.
        const bare = path.split('?')[0];
        const queue = !bare.startsWith('/v1/') && !bare.startsWith('/storage/');
        const what = `fal ${method} ${queue ? bare.replace(/\/requests\/[^/]+/, '/requests/{id}') : bare}`;
        return (0,api/* callApi */.p)(this.request(method, host, path, what, json), this.retry, (answer) => read(answer, what), (answer) => this.errorFor(what, answer), { retry });
    }
    errorFor(what, answer) {
        const { status } = answer;
        const message = falMessage(answer.body) || '(no message)';
        if (status === 404 && what.includes('/requests/{id}')) {
            return new send/* HttpError */.j$({
                what,
                status,
                serverMessage: message,
                transient: false,
                headers: answer.headers,
                hint: 'fal has no request with this id on this trainer for this key. Check the `finetune-id` input (the `finetune-id` output of the step that trained it, or an id from `command: list`) and that the key belongs to the same fal account.',
            });
        }
        let hint;
        if (status === 401 || status === 403) {
            hint =
                'fal rejected the API key. Check that the `api-key` secret holds a current key from the fal dashboard (API keys), whole (a key_id:key_secret key with both halves), with no extra spaces or quotes.';
        }
        else if (status === 429) {
            hint = 'fal is rate-limiting this key. Wait a while and re-run, or run fewer jobs at once.';
        }
        else if (status >= 500) {
            hint =
                'fal had a server error. Re-run the job later; if it persists, check https://status.fal.ai or contact fal support.';
        }
        return (0,send/* statusError */.$C)(what, answer, message, hint);
    }
}
/** The gateway in front of the queue failing (or a rate limit): worth another attempt. */
function isGatewayFailure(status) {
    return status === 429 || status === 502 || status === 503 || status === 504;
}
/** fal's message: `detail` (a string, or FastAPI's list of `{loc, msg}`), with its `error_type`. */
function falMessage(body) {
    const message = (0,http_message/* answerMessage */.M)(body);
    const parsed = (0,send/* parseJson */.qF)(body);
    const type = parsed !== send/* INVALID_JSON */.V7 && (0,json/* isObject */.G)(parsed) ? (0,json/* stringField */.O)(parsed, 'error_type') : undefined;
    return type && !message.includes(type) ? `${message} (${type})` : message;
}
/** The request id fal puts in a header of its queue answers. */
function requestIdHeader(headers) {
    const value = headers?.['x-fal-request-id'];
    const id = (Array.isArray(value) ? value[0] : value)?.trim();
    return id && /^[A-Za-z0-9._:-]{1,200}$/.test(id) ? id : undefined;
}
function statusWord(answer) {
    const value = (0,send/* parseJson */.qF)(answer.body);
    return (0,json/* isObject */.G)(value) ? (0,json/* stringField */.O)(value, 'status') : undefined;
}

// EXTERNAL MODULE: ./src/providers/fal/mapping.ts
var mapping = __webpack_require__(6852);
// EXTERNAL MODULE: ./src/providers/matching.ts
var matching = __webpack_require__(9055);
;// CONCATENATED MODULE: ./src/providers/fal/provider.ts
/**
 * fal behind the provider seam: FLUX.1 [dev] and FLUX.2 [dev] LoRA trainers on fal's queue.
 *
 * Never paying twice on fal rests on its request history, which lists a request with its input
 * (`expand=payloads`): the action's upload is named `<job name>.zip`, so a request whose input
 * is that file is the one this dataset and these settings already paid for. The history lists a
 * request once it has finished (it is sorted and filtered by how requests ended); a request
 * still queued or training is found by a re-run only once it has finished. docs/providers.md
 * says how far back it reaches and what the action does at its edges.
 */








/** How far back reuse looks: as far as fal keeps a request findable by its id. */
const HISTORY_DAYS = 90;
/** Pages of 100 requests read at most: a hostile or endless cursor must end. */
const MAX_HISTORY_PAGES = 50;
/**
 * Answers without a request id after which fal's own clients send again: the request was not
 * queued. Not 504: a gateway that timed out cannot say whether it had passed the request on.
 */
const NOT_QUEUED_STATUSES = new Set([429, 502, 503]);
class FalProvider {
    name = 'fal';
    label = 'fal';
    knownStatuses = ['IN_QUEUE', 'IN_PROGRESS', 'COMPLETED'];
    weightsName = 'LoRA file';
    client;
    settings;
    retry;
    /** The trainer each request id was found on (status and result need it). */
    endpoints = new Map();
    /** Every request the history showed before the submit: none of them is this run's. */
    seen = new Set();
    /** What the history reached back to, when fal refused the 90 days asked for. */
    reach = `the last ${HISTORY_DAYS} days`;
    /** When this run first sent its training request (its lost answer is looked up after it). */
    firstSubmitAt;
    constructor(options) {
        this.client = new FalClient(falHosts(options.apiUrl), options.apiKey, options.retry);
        this.settings = options.settings;
        this.retry = options.retry;
    }
    // ---- reuse ----------------------------------------------------------------------------------
    async findReusable(plan) {
        const trainer = (0,mapping/* trainerOf */.xR)(plan.settings);
        const items = await this.history([trainer.endpoint]);
        for (const item of items)
            this.seen.add(item.request_id);
        const expected = (0,mapping/* falInput */.qq)(plan.settings);
        const matches = items.filter((item) => {
            const input = item.json_input;
            if (!(0,json/* isObject */.G)(input))
                return false;
            const url = input[trainer.dataField];
            if (typeof url !== 'string')
                return false;
            if (plan.datasetUrl) {
                return (url === plan.datasetUrl &&
                    (0,matching/* sameInput */.ly)(input, expected) &&
                    (0,matching/* madeAfterChange */.IO)((0,matching/* timeIn */.Hi)(item.sent_at ?? item.started_at), plan.datasetModifiedAt));
            }
            // The upload is named `<job name>.zip`, and fal keeps that name as the URL's last segment.
            return fileNameOf(url) === `${plan.name}.zip`;
        });
        const latest = (0,matching/* newest */.BP)(matches.filter((item) => historyStage(item) !== 'failed'), timeOf);
        if (!latest)
            return undefined;
        this.endpoints.set(latest.request_id, trainer.endpoint);
        const job = this.historyJob(latest, plan.name);
        // A request that finished has its output in the history; any other is asked as it stands.
        return job.modelUrl ? job : { ...(await this.get(latest.request_id)), name: plan.name };
    }
    // ---- upload and submit ----------------------------------------------------------------------
    async upload(zip) {
        const { uploadToFal } = await __webpack_require__.e(/* import() */ 85).then(__webpack_require__.bind(__webpack_require__, 6085));
        return uploadToFal(this.client, zip, this.retry);
    }
    async submit(plan) {
        this.firstSubmitAt ??= Date.now();
        const trainer = (0,mapping/* trainerOf */.xR)(plan.settings);
        const answer = await this.client.submit(trainer.endpoint, {
            [trainer.dataField]: plan.dataUrl,
            ...(0,mapping/* falInput */.qq)(plan.settings),
        });
        const id = answer.request_id;
        this.endpoints.set(id, trainer.endpoint);
        return { ...this.job(id, trainer.endpoint, answer), name: plan.name };
    }
    /**
     * fal has no way to make a submit idempotent, so a lost answer is settled from what is known:
     * the id in the answer's header (the body was lost, the request exists); a rate limit or a
     * gateway refusal without an id (nothing was queued, as fal's own clients take it); else the
     * history, where a request of this data and these settings that was not there before the
     * submit is this run's. A request still queued is not in the history, so when it does not
     * show, the action cannot tell and sends nothing again.
     */
    async afterLostSubmit(plan, error) {
        const trainer = (0,mapping/* trainerOf */.xR)(plan.settings);
        const id = requestIdHeader(error.headers);
        if (id) {
            this.endpoints.set(id, trainer.endpoint);
            try {
                return { found: { ...(await this.get(id)), name: plan.name } };
            }
            catch (lookupError) {
                if (!(lookupError instanceof errors/* ActionError */.l))
                    throw lookupError;
                // The request exists (fal named it); where it stands, the wait finds out.
                log/* warning */.$e(`Asking fal about request ${id} failed: ${lookupError.message}`);
                return { found: { ...this.job(id, trainer.endpoint, { status: '' }), name: plan.name } };
            }
        }
        if (error.status !== undefined && NOT_QUEUED_STATUSES.has(error.status)) {
            return {
                found: 'none',
                log: `fal answered HTTP ${error.status} without a request id, so nothing was queued`,
                gaveUp: `fal answered HTTP ${error.status} without a request id, so nothing was queued and a re-run is safe`,
            };
        }
        const expected = (0,mapping/* falInput */.qq)(plan.settings);
        const items = await this.history([trainer.endpoint], false);
        const found = (0,matching/* newest */.BP)(items.filter((item) => !this.seen.has(item.request_id) &&
            (0,json/* isObject */.G)(item.json_input) &&
            item.json_input[trainer.dataField] === plan.dataUrl &&
            (0,matching/* sameInput */.ly)(item.json_input, expected) &&
            // A URL of the action's own upload names this run's file alone. A dataset-url can be
            // another run's too: a request of it that was still training when this run looked (the
            // history lists finished ones) is older than this run's submit.
            (plan.uploaded ||
                (0,matching/* madeSince */.O9)((0,matching/* timeIn */.Hi)(item.sent_at ?? item.started_at), this.firstSubmitAt ?? Date.now()))), timeOf);
        if (found) {
            this.endpoints.set(found.request_id, trainer.endpoint);
            return { found: this.historyJob(found, plan.name) };
        }
        return {
            found: 'unknown',
            why: 'fal may have queued it: its request history lists a request only once it has finished, so this run cannot tell',
            hint: this.findItHint(plan, trainer.endpoint),
        };
    }
    findItHint(plan, endpoint) {
        const sent = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
        const by = plan.uploaded
            ? `by the uploaded file's name, ${plan.name}.zip`
            : 'by its dataset URL and settings';
        return (`Look in fal's dashboard (Requests of ${endpoint}) for a request sent at about ${sent} whose input names ${plan.dataUrl}. ` +
            `Once it has finished, re-running this workflow adopts it (it is found ${by}); re-running before then may train a second time. ` +
            `If there is none, re-run to train.`);
    }
    // ---- the job --------------------------------------------------------------------------------
    async get(id) {
        const { endpoint, status } = await this.locate(id);
        return this.withResult(id, endpoint, status);
    }
    /** The status of `id`, on the trainer it was sent to (tried in turn when not known). */
    async locate(id) {
        const known = this.endpoints.get(id);
        const first = (0,mapping/* trainerOf */.xR)(this.settings).endpoint;
        const order = known
            ? [known]
            : [
                first,
                ...Object.values(mapping/* TRAINERS */.HC)
                    .map((t) => t.endpoint)
                    .filter((e) => e !== first),
            ];
        let notFound;
        for (const endpoint of order) {
            try {
                const status = await this.client.status(endpoint, id);
                this.endpoints.set(id, endpoint);
                return { endpoint, status };
            }
            catch (error) {
                if (!(error instanceof send/* HttpError */.j$ && error.status === 404))
                    throw error;
                notFound ??= error;
            }
        }
        throw new send/* HttpError */.j$({
            what: notFound.what,
            status: 404,
            transient: false,
            serverMessage: notFound.serverMessage,
            message: `fal has no request ${id} on ${order.join(' or ')} (HTTP 404: ${notFound.serverMessage})`,
            hint: notFound.hint,
        });
    }
    /** A completed request's output (or failure) read from its result, where fal still keeps it. */
    async withResult(id, endpoint, status) {
        if (status.status !== 'COMPLETED')
            return this.job(id, endpoint, status);
        const result = await this.client.result(endpoint, id);
        if (status.error) {
            // The result of a failed request is the trainer's own answer: its details, where they add to
            // what the status said (which field of the input was wrong, say).
            const more = result.status >= 400 && result.message && !status.error.includes(result.message);
            return this.job(id, endpoint, more ? { ...status, error: `${status.error} (${result.message})` } : status);
        }
        if (result.status >= 200 && result.status < 300 && (0,json/* isObject */.G)(result.body)) {
            return this.job(id, endpoint, status, result.body);
        }
        if (result.status === 400 && /progress|not (yet )?(completed|finished)/i.test(result.message)) {
            // The status said COMPLETED a moment before the result was ready: not done yet.
            return { ...this.job(id, endpoint, status), stage: 'training' };
        }
        if (result.status === 404 || result.status === 410) {
            // fal keeps a result for an hour or so; its history keeps the output longer.
            const [item] = await this.client
                .history({ endpoints: [endpoint], requestId: id })
                .then((page) => page.items);
            if (item && (0,json/* isObject */.G)(item.json_output))
                return this.job(id, endpoint, status, item.json_output);
            return this.job(id, endpoint, status, undefined, 'fal no longer keeps this request\u2019s result (it keeps one for about an hour after the request ends), and its history has no output for it, so its LoRA cannot be found from here');
        }
        if (result.status >= 500) {
            // The status said the request succeeded: a server error now is fal's, not the trainer's.
            throw new send/* HttpError */.j$({
                what: `fal GET /${endpoint}/requests/{id}`,
                status: result.status,
                transient: true,
                serverMessage: result.message || '(no message)',
                hint: 'fal had a server error. Re-run the job later; if it persists, check https://status.fal.ai or contact fal support.',
            });
        }
        return this.job(id, endpoint, status, undefined, result.message || `fal answered HTTP ${result.status} for its result`);
    }
    job(id, endpoint, status, output, failure) {
        const word = status.status;
        const error = status.error ?? failure;
        let stage;
        if (word === 'IN_QUEUE')
            stage = 'queued';
        else if (word === 'IN_PROGRESS')
            stage = 'training';
        else if (word !== 'COMPLETED')
            stage = 'unknown';
        else if (error)
            stage = /cancel/i.test(`${error} ${status.error_type ?? ''}`) ? 'cancelled' : 'failed';
        else
            stage = 'ready';
        const record = {
            ...status,
            request_id: id,
            endpoint_id: endpoint,
            ...(output ? { output } : {}),
        };
        return {
            id,
            status: word,
            stage,
            error: error ?? undefined,
            modelUrl: loraUrl(output),
            slug: output ? trainerByEndpoint(endpoint)?.inference : undefined,
            record,
        };
    }
    /** A request as the history has it: finished (with its output), failed, or (rarely) pending. */
    historyJob(item, name) {
        const endpoint = item.endpoint_id ?? this.endpoints.get(item.request_id) ?? (0,mapping/* trainerOf */.xR)(this.settings).endpoint;
        const stage = historyStage(item);
        const output = (0,json/* isObject */.G)(item.json_output) ? item.json_output : undefined;
        const status = {
            status: stage === 'training' ? 'IN_PROGRESS' : 'COMPLETED',
            ...(stage === 'failed' ? { error: outputMessage(output) ?? `HTTP ${item.status_code}` } : {}),
        };
        const job = this.job(item.request_id, endpoint, status, stage === 'ready' ? output : undefined);
        return { ...job, name: name ?? jobNameOf(item, endpoint), record: item };
    }
    // ---- list, cancel, download -----------------------------------------------------------------
    async list() {
        const endpoints = Object.values(mapping/* TRAINERS */.HC).map((t) => t.endpoint);
        const items = await this.history(endpoints);
        items.sort((a, b) => (timeOf(b) || 0) - (timeOf(a) || 0));
        return {
            raw: items,
            jobs: items.map((item) => this.historyJob(item)),
            scope: `fal lists the requests of ${this.reach} once they have finished; queued and training ones are not listed.`,
        };
    }
    async cancel(id) {
        const { endpoint } = await this.locate(id);
        const answer = await this.client.cancel(endpoint, id);
        if (answer.status === 'NOT_FOUND') {
            throw new errors/* ActionError */.l(`fal has no request ${id} to cancel on ${endpoint} (HTTP ${answer.httpStatus}: NOT_FOUND).`, 'Check the `finetune-id` input (the `finetune-id` output of the step that trained it) and that the key belongs to the same fal account.');
        }
        if (answer.status === 'ALREADY_COMPLETED') {
            log/* info */.pq(`fal request ${id} had finished already; there was nothing to cancel.`);
        }
        else {
            log/* info */.pq(`fal answered the cancel of ${id} with ${answer.status}.`);
        }
        try {
            const job = await this.get(id);
            if (job.stage === 'training') {
                // fal passes a cancel to a running trainer, which decides (its docs): it may finish.
                log/* warning */.$e(`fal request ${id} was training: fal passed the cancel to the trainer, which may still finish it (and fal may bill it). Check later with \`command: status\`.`);
            }
            return job;
        }
        catch (error) {
            // A request removed from the queue may be gone from it altogether.
            if (!(error instanceof send/* HttpError */.j$ && error.status === 404))
                throw error;
            return {
                id,
                status: answer.status,
                stage: 'cancelled',
                record: { request_id: id, endpoint_id: endpoint, status: answer.status },
            };
        }
    }
    modelSource(job) {
        const output = (0,json/* isObject */.G)(job.record) && (0,json/* isObject */.G)(job.record.output) ? job.record.output : undefined;
        const file = output && (0,json/* isObject */.G)(output.diffusers_lora_file) ? output.diffusers_lora_file : undefined;
        const url = loraUrl(output);
        if (!url) {
            throw (0,jobs_job/* nothingToDownload */.Lc)(`fal request ${job.id} has no LoRA file`, job, 'It finished, but its output has no diffusers_lora_file; check the request in fal\u2019s dashboard.');
        }
        const size = file && typeof file.file_size === 'number' && file.file_size > 0 ? file.file_size : undefined;
        return { provider: 'fal', refreshable: false, size, link: () => Promise.resolve({ url }) };
    }
    targetWord() {
        return 'COMPLETED';
    }
    inFlightAdvice(name) {
        return (`The submit of job ${name} had been sent to fal but not answered, so fal may have queued it. ` +
            `fal's request history lists a request once it has finished: look for it in fal's dashboard (Requests of ${(0,mapping/* trainerOf */.xR)(this.settings).endpoint}) before re-running; once it has finished, a re-run adopts it.`);
    }
    // ---- the history ----------------------------------------------------------------------------
    /**
     * Every request of `endpoints` in the history, page by page. `wide` asks for 90 days back;
     * should fal refuse a start that far back, the history of its default 24 hours is read, and
     * said so.
     */
    async history(endpoints, wide = true) {
        const start = wide
            ? new Date(Date.now() - HISTORY_DAYS * 24 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z')
            : undefined;
        try {
            return await this.pages({ endpoints, start });
        }
        catch (error) {
            if (!(start &&
                error instanceof send/* HttpError */.j$ &&
                (error.status === 400 || error.status === 422))) {
                throw error;
            }
            this.reach = 'the last 24 hours';
            log/* warning */.$e(`fal refused a request history reaching back ${HISTORY_DAYS} days (${error.serverMessage}); looking at its default, the last 24 hours. A training older than that is not found, and would be trained again.`);
            return this.pages({ endpoints });
        }
    }
    pages(query) {
        return (0,matching/* readPages */.n4)(async (cursor) => {
            const answer = await this.client.history({ ...query, cursor });
            return { items: answer.items, next: answer.nextCursor };
        }, MAX_HISTORY_PAGES, (count) => log/* warning */.$e(`fal's request history has more than ${count} requests; only the newest ${count} were looked at: an older training of this dataset is not found, and would be trained again.`));
    }
}
/** The trained LoRA's URL in a trainer's output. */
function loraUrl(output) {
    const file = output && (0,json/* isObject */.G)(output.diffusers_lora_file) ? output.diffusers_lora_file : undefined;
    return file && typeof file.url === 'string' && file.url ? file.url : undefined;
}
function trainerByEndpoint(endpoint) {
    return Object.values(mapping/* TRAINERS */.HC).find((t) => t.endpoint === endpoint);
}
/** Where a history item stands: finished well, failed, or not finished (no status code yet). */
function historyStage(item) {
    const code = item.status_code;
    if (code === null || code === undefined)
        return item.ended_at ? 'failed' : 'training';
    return code >= 200 && code < 300 ? 'ready' : 'failed';
}
function outputMessage(output) {
    if (!output)
        return undefined;
    const detail = output.detail ?? output.error;
    if (typeof detail === 'string')
        return detail;
    if (Array.isArray(detail)) {
        return detail
            .map((d) => ((0,json/* isObject */.G)(d) && typeof d.msg === 'string' ? d.msg : JSON.stringify(d)))
            .join('; ');
    }
    return undefined;
}
/** The newest of the times a history item carries, for picking the latest of several. */
function timeOf(item) {
    for (const value of [item.ended_at, item.started_at, item.sent_at]) {
        const time = (0,matching/* timeIn */.Hi)(value);
        if (!Number.isNaN(time))
            return time;
    }
    return NaN;
}
/** The last segment of a URL's path, decoded; undefined for what is not a URL. */
function fileNameOf(url) {
    try {
        const segment = new URL(url).pathname.split('/').pop();
        return segment ? decodeURIComponent(segment) : undefined;
    }
    catch {
        return undefined;
    }
}
/** The job name a request of the action's carries: its uploaded ZIP's name, without `.zip`. */
function jobNameOf(item, endpoint) {
    const trainer = trainerByEndpoint(endpoint);
    const url = trainer && (0,json/* isObject */.G)(item.json_input) ? item.json_input[trainer.dataField] : undefined;
    const name = typeof url === 'string' ? fileNameOf(url) : undefined;
    return name?.toLowerCase().endsWith('.zip') ? name.slice(0, -4) : undefined;
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


/***/ })

};
