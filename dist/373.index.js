export const id = 373;
export const ids = [373];
export const modules = {

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

/***/ 8373:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   SegmindClient: () => (/* binding */ SegmindClient)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _http_send_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5616);
/* harmony import */ var _http_message_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2551);
/* harmony import */ var _shared_json_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8451);
/* harmony import */ var _shared_urls_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3047);
/* harmony import */ var _http_retry_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8902);






const ENDPOINTS = {
    submit: { method: 'POST', path: '/finetune/request/submit' },
    details: { method: 'GET', path: '/finetune/request/details' },
    list: { method: 'GET', path: '/finetune/request/list' },
    presign: { method: 'GET', path: '/finetune/request/upload/pre-signed-url' },
    access: { method: 'PUT', path: '/finetune/request/access-update' },
    download: { method: 'GET', path: '/finetune/request/file/download' },
};
const NOT_FOUND_HINT = 'No fine-tune with this id exists for this API key. Check the `finetune-id` input (the `finetune-id` output of the step that trained it, or an id from `command: list`) and that the key belongs to the same Segmind account.';
/** How a request to Segmind is named in messages: `Segmind GET /finetune/request/list`. */
function endpointName(endpoint) {
    return `Segmind ${endpoint.method} ${endpoint.path}`;
}
/**
 * Segmind's fine-tune API, through the HTTP layer (src/http/send.ts): a GET can carry the JSON body
 * two documented endpoints want (fetch refuses to send one), the runner's HTTPS_PROXY/NO_PROXY
 * are honoured, and every request settles. Each answer is checked against the shape Segmind
 * documents; one that does not fit is retried like a 5xx on the read-only endpoints and is a lost
 * answer on submit.
 */
class SegmindClient {
    baseUrl;
    apiKey;
    retry;
    constructor(baseUrl, apiKey, retry) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.retry = retry;
    }
    /**
     * Submits a job. Never retried here: a lost answer (network error, 5xx, 429, or a 200 that is
     * not the documented JSON) may mean the job exists, and train settles that (list, adopt).
     */
    async submit(request) {
        return this.call(ENDPOINTS.submit, { json: request }, (answer) => {
            const value = (0,_http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .parseJson */ .qF)(answer.body);
            const record = (0,_shared_json_js__WEBPACK_IMPORTED_MODULE_4__/* .isObject */ .G)(value) ? value : {};
            // Some of Segmind's pages answer with request_id instead of finetune_id.
            const finetuneId = (0,_shared_json_js__WEBPACK_IMPORTED_MODULE_4__/* .stringField */ .O)(record, 'finetune_id') ?? (0,_shared_json_js__WEBPACK_IMPORTED_MODULE_4__/* .stringField */ .O)(record, 'request_id');
            if (!finetuneId) {
                throw unexpected(ENDPOINTS.submit, answer, 'an answer with no finetune_id or request_id');
            }
            return {
                finetuneId,
                status: (0,_shared_json_js__WEBPACK_IMPORTED_MODULE_4__/* .stringField */ .O)(record, 'status'),
                name: (0,_shared_json_js__WEBPACK_IMPORTED_MODULE_4__/* .stringField */ .O)(record, 'name'),
            };
        }, false);
    }
    async details(finetuneId) {
        return this.call(ENDPOINTS.details, { json: { request_id: finetuneId } }, (answer) => {
            const value = (0,_http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .parseJson */ .qF)(answer.body);
            if ((0,_shared_json_js__WEBPACK_IMPORTED_MODULE_4__/* .isObject */ .G)(value) &&
                'finetune' in value &&
                (value.finetune === null || isEmptyObject(value.finetune))) {
                // An unknown id may come back as an empty record rather than a 404.
                throw new _http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .HttpError */ .j$({
                    what: endpointName(ENDPOINTS.details),
                    status: answer.status,
                    serverMessage: `no fine-tune ${(0,_http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .oneLine */ .TN)(finetuneId, 100)} (the answer's "finetune" record is empty)`,
                    hint: NOT_FOUND_HINT,
                    transient: false,
                });
            }
            const record = (0,_shared_json_js__WEBPACK_IMPORTED_MODULE_4__/* .isObject */ .G)(value) && (0,_shared_json_js__WEBPACK_IMPORTED_MODULE_4__/* .isObject */ .G)(value.finetune) ? value.finetune : undefined;
            if (!record)
                throw unexpected(ENDPOINTS.details, answer, 'an answer with no "finetune" record');
            return record;
        });
    }
    async list() {
        return this.call(ENDPOINTS.list, undefined, (answer) => {
            const value = (0,_http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .parseJson */ .qF)(answer.body);
            if (!Array.isArray(value)) {
                throw unexpected(ENDPOINTS.list, answer, 'an answer that is not a JSON array');
            }
            return value.filter(_shared_json_js__WEBPACK_IMPORTED_MODULE_4__/* .isObject */ .G);
        });
    }
    async presign(fileName) {
        return this.call(ENDPOINTS.presign, { json: { name: fileName } }, (answer) => {
            const value = (0,_http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .parseJson */ .qF)(answer.body);
            const record = (0,_shared_json_js__WEBPACK_IMPORTED_MODULE_4__/* .isObject */ .G)(value) ? value : {};
            const presignedUrl = (0,_shared_json_js__WEBPACK_IMPORTED_MODULE_4__/* .stringField */ .O)(record, 'presigned_url');
            const s3Url = (0,_shared_json_js__WEBPACK_IMPORTED_MODULE_4__/* .stringField */ .O)(record, 's3_url');
            if (!presignedUrl || !s3Url || !(0,_shared_urls_js__WEBPACK_IMPORTED_MODULE_5__/* .isHttpUrl */ .q$)(presignedUrl) || !(0,_shared_urls_js__WEBPACK_IMPORTED_MODULE_5__/* .isHttpUrl */ .q$)(s3Url)) {
                // The answer may hold a credential: say what is missing, never quote it.
                throw unexpected(ENDPOINTS.presign, answer, 'an answer with no presigned_url and s3_url', false);
            }
            if (!(0,_shared_urls_js__WEBPACK_IMPORTED_MODULE_5__/* .isHttpsOrLoopback */ .cU)(presignedUrl)) {
                // Asking again would get the same answer: not retried.
                throw (0,_http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .malformedAnswer */ .eA)(endpointName(ENDPOINTS.presign), answer.status, 'a presigned_url that is not https (the dataset would travel in clear)', answer.body, {
                    quote: false,
                    transient: false,
                    hint: 'Nothing was uploaded. Check that no proxy rewrites Segmind\u2019s answers; if none does, contact Segmind support.',
                });
            }
            return { presignedUrl, s3Url };
        });
    }
    async setAccess(finetuneId, isPublic) {
        // Documented answer: a bare `200`; any 2xx body will do.
        await this.call(ENDPOINTS.access, { form: { request_id: finetuneId, segmind_public: isPublic ? 'True' : 'False' } }, () => undefined);
    }
    /**
     * A pre-signed download URL for a record's `cloud_storage_url`: a GET with an urlencoded form
     * body (as Segmind's SDK sends it, with `requests`' `data=`), answered as plain text (a JSON
     * string will do too). The answer is a credential: it is never quoted in an error.
     */
    async downloadUrl(cloudStorageUrl) {
        return this.call(ENDPOINTS.download, { urlencoded: { cloud_storage_url: cloudStorageUrl } }, (answer) => {
            const value = (0,_http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .parseJson */ .qF)(answer.body);
            const url = (typeof value === 'string'
                ? value
                : value === _http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .INVALID_JSON */ .V7
                    ? answer.body.toString('utf8')
                    : '').trim();
            if (!(0,_shared_urls_js__WEBPACK_IMPORTED_MODULE_5__/* .isHttpUrl */ .q$)(url)) {
                throw unexpected(ENDPOINTS.download, answer, 'an answer that is not a download URL as plain text', false);
            }
            return url;
        });
    }
    /**
     * One request with its retries; `read` turns a 2xx answer into the result or throws (a
     * malformed answer is a transient HttpError, so it is retried like a 5xx).
     */
    async call(endpoint, body, read, retry = true) {
        const policy = retry ? this.retry : { ...this.retry, attempts: 1 };
        return (0,_http_retry_js__WEBPACK_IMPORTED_MODULE_3__/* .withRetry */ .bD)(endpointName(endpoint), policy, async () => {
            const answer = await this.once(endpoint, body);
            if (answer.status >= 200 && answer.status < 300)
                return read(answer);
            throw errorFor(endpoint, answer);
        }, classify);
    }
    once(endpoint, body) {
        const headers = {
            'x-api-key': this.apiKey,
            Accept: 'application/json',
        };
        let data;
        if (body && 'json' in body) {
            data = JSON.stringify(body.json);
            headers['Content-Type'] = 'application/json';
        }
        else if (body && 'form' in body) {
            const boundary = `----segmind-action-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(12).toString('hex')}`;
            data = multipart(body.form, boundary);
            headers['Content-Type'] = `multipart/form-data; boundary=${boundary}`;
        }
        else if (body && 'urlencoded' in body) {
            data = new URLSearchParams(body.urlencoded).toString();
            headers['Content-Type'] = 'application/x-www-form-urlencoded';
        }
        return (0,_http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .send */ .tN)({
            what: endpointName(endpoint),
            method: endpoint.method,
            url: this.baseUrl + endpoint.path,
            headers,
            body: data,
            timeoutMs: (0,_http_retry_js__WEBPACK_IMPORTED_MODULE_3__/* .requestTimeoutMs */ .Hl)(60_000, this.retry),
            maxBodyBytes: MAX_ANSWER_BYTES,
            peer: 'Segmind',
        });
    }
}
/** A list of many fine-tunes is a few hundred kB; anything past this is not Segmind's answer. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;
/**
 * What Segmind says when fine-tuning is no longer offered: a 410 Gone, or a 4xx whose message
 * says it is deprecated, discontinued or no longer accepts jobs.
 */
function isServiceGone(status, message) {
    if (status === 410)
        return true;
    if (status < 400 || status >= 500)
        return false;
    return /deprecat|discontinu|sunset|no longer (accept|avail|offer|support|tak)|not (accepting|taking) (new )?(jobs|requests|fine)|fine-?tun\w* (is|are|has been) (disabled|retired|removed|closed)/i.test(message);
}
function errorFor(endpoint, answer) {
    const { status } = answer;
    const message = (0,_http_message_js__WEBPACK_IMPORTED_MODULE_2__/* .answerMessage */ .M)(answer.body) || '(no message)';
    const what = endpointName(endpoint);
    if (isServiceGone(status, message)) {
        return new _http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .HttpError */ .j$({
            what,
            status,
            transient: false,
            serverMessage: message,
            message: `Segmind refused new fine-tunes for this key (${what} answered HTTP ${status}): "${message}"`,
            hint: 'Segmind says its fine-tuning service no longer takes new jobs, so retrying will not help. Models trained before still work: `command: status`, `command: list`, `command: set-access` and `command: download` serve them (with their `finetune-id`). Check Segmind\u2019s announcements or support for what replaces fine-tuning.',
        });
    }
    let hint;
    if (status === 401 || status === 403) {
        hint =
            'Segmind rejected the API key. Check that the `api-key` secret holds a current key from the Segmind console (Settings, API keys), with no extra spaces or quotes.';
    }
    else if (status === 429) {
        hint =
            'Segmind is rate-limiting this key. Wait a while and re-run, or run fewer jobs at once (a `concurrency` group, or `max-parallel` in a matrix).';
    }
    else if (status >= 500) {
        hint =
            'Segmind had a server error. Re-run the job later; if it persists, check https://status.segmind.com or contact Segmind support.';
    }
    else if (status === 404 &&
        (endpoint.path === ENDPOINTS.details.path || endpoint.path === ENDPOINTS.access.path)) {
        hint = NOT_FOUND_HINT;
    }
    else if (status === 407) {
        hint =
            'The proxy wants credentials: put them in the proxy URL (http://user:password@proxy:port) in HTTPS_PROXY.';
    }
    return (0,_http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .statusError */ .$C)(what, answer, message, hint);
}
function classify(error) {
    if (error instanceof _http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .HttpError */ .j$) {
        return { retryable: error.transient, retryAfterMs: error.retryAfterMs, error };
    }
    return { retryable: false, error };
}
/**
 * A 2xx answer that is not what the endpoint documents: transient, so retried like a 5xx on the
 * read-only endpoints and taken as a lost answer on submit. `quote: false` for answers that may
 * hold a credential (the pre-signed URL).
 */
function unexpected(endpoint, answer, problem, quote = true) {
    return (0,_http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .malformedAnswer */ .eA)(endpointName(endpoint), answer.status, problem, answer.body, { quote });
}
function multipart(fields, boundary) {
    const parts = Object.entries(fields).map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
    return `${parts.join('')}--${boundary}--\r\n`;
}
function isEmptyObject(value) {
    return (0,_shared_json_js__WEBPACK_IMPORTED_MODULE_4__/* .isObject */ .G)(value) && Object.keys(value).length === 0;
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
