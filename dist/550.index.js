export const id = 550;
export const ids = [550];
export const modules = {

/***/ 1550:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   uploadZip: () => (/* binding */ uploadZip)
/* harmony export */ });
/* unused harmony exports UploadError, withoutQuery */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7094);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(6803);
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7194);
/* harmony import */ var _cancellation_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4632);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3916);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(9809);
/* harmony import */ var _segmind_client_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(4100);
/* harmony import */ var _zip_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(928);










/** A failed PUT to the storage host; its message never holds the pre-signed URL. */
class UploadError extends _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ActionError */ .l {
    status;
    retryAfterMs;
    constructor(message, hint, status, retryAfterMs) {
        super(message, hint);
        this.status = status;
        this.retryAfterMs = retryAfterMs;
        this.name = 'UploadError';
    }
    get transient() {
        return this.status === undefined || this.status === 429 || this.status >= 500;
    }
}
/**
 * `text` with every trace of `url` beyond its host and path taken out: error messages of the HTTP
 * client quote the request path, and a pre-signed URL's query is its signature.
 */
function withoutQuery(text, url) {
    let parsed;
    try {
        parsed = new URL(url);
    }
    catch {
        return text.split(url).join('<the pre-signed URL>');
    }
    const bare = `${parsed.origin}${parsed.pathname}`;
    let out = text.split(url).join(bare);
    if (parsed.search) {
        out = out.split(`${parsed.pathname}${parsed.search}`).join(parsed.pathname);
        out = out.split(parsed.search).join('');
        out = out.split(parsed.search.slice(1)).join('');
    }
    return out;
}
/**
 * Uploads the ZIP through a pre-signed URL and returns the `s3_url` to train from. The PUT is
 * streamed from disk with its Content-Length (storage hosts refuse chunked uploads), carries no
 * Segmind API key (the storage host is not Segmind), and is retried with a fresh stream on
 * network errors and 5xx. A 403 means the signature expired or does not match: one new URL is
 * fetched, then the step fails.
 */
async function uploadZip(client, fileName, zipPath, zipBytes, retry) {
    // The budget counts from the first attempt, and one attempt of a 100 MB upload on a slow link
    // can take minutes by itself: a failure then still deserves its retries.
    const policy = { ...retry, maxTotalMs: Math.max(retry.maxTotalMs, 15 * 60_000) };
    const storage = await (0,_http_js__WEBPACK_IMPORTED_MODULE_9__/* .createHttpClient */ .uT)({
        allowRetries: false,
        socketTimeout: (0,_retry_js__WEBPACK_IMPORTED_MODULE_6__/* .requestTimeoutMs */ .Hl)(120_000),
    });
    for (let urlAttempt = 1;; urlAttempt++) {
        const { presignedUrl, s3Url } = await client.presign(fileName);
        // A pre-signed URL is a credential: anyone holding it can write the upload until it expires.
        (0,_secrets_js__WEBPACK_IMPORTED_MODULE_3__/* .maskUrlSignature */ .U)(presignedUrl, true);
        const host = (0,_segmind_client_js__WEBPACK_IMPORTED_MODULE_7__/* .hostOf */ .w4)(presignedUrl);
        try {
            await (0,_retry_js__WEBPACK_IMPORTED_MODULE_6__/* .withRetry */ .bD)(`Upload to ${host}`, policy, () => (0,_cancellation_js__WEBPACK_IMPORTED_MODULE_4__/* .unlessCancelled */ .MS)(putOnce(storage, presignedUrl, host, zipPath, zipBytes)), (error) => ({
                retryable: error instanceof UploadError && error.transient,
                retryAfterMs: error instanceof UploadError ? error.retryAfterMs : undefined,
                error,
            }));
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Uploaded ${(0,_zip_js__WEBPACK_IMPORTED_MODULE_8__/* .formatMb */ .TF)(zipBytes)} to ${s3Url}`);
            return s3Url;
        }
        catch (error) {
            if (error instanceof UploadError && error.status === 403) {
                if (urlAttempt === 1) {
                    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`The storage host refused the pre-signed URL (${error.message.replace(/^.*answered /, '')}); asking Segmind for a new one.`);
                    continue;
                }
                throw new UploadError(`${error.message} (with a second, fresh pre-signed URL too)`, 'The storage host refused two pre-signed URLs in a row, so this is not a stale URL. Check that the runner clock is right (signatures carry a time) and that no proxy rewrites the upload (its Content-Type or query string); if both are fine, contact Segmind support.', 403);
            }
            throw error;
        }
    }
}
async function putOnce(storage, url, host, zipPath, zipBytes) {
    const proxy = (0,_segmind_client_js__WEBPACK_IMPORTED_MODULE_7__/* .announceProxy */ ._v)(url);
    // pipeline, not pipe: a read error then ends the body instead of crashing the process, and
    // destroying the body closes the file too (an open handle would keep the ZIP on Windows).
    const body = (0,node_stream__WEBPACK_IMPORTED_MODULE_2__.pipeline)((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createReadStream)(zipPath, { highWaterMark: 1024 * 1024 }), progressLogger(zipBytes), () => undefined);
    let status;
    let text;
    let retryAfter;
    try {
        const response = await storage.request('PUT', url, body, {
            'Content-Type': 'application/zip',
            'Content-Length': String(zipBytes),
        });
        status = response.message.statusCode ?? 0;
        retryAfter = response.message.headers['retry-after'];
        text = await response.readBody();
    }
    catch (error) {
        body.destroy();
        const refused = (0,_segmind_client_js__WEBPACK_IMPORTED_MODULE_7__/* .proxyRefusal */ .vd)(error);
        if (proxy && refused !== undefined) {
            throw new UploadError(`Upload of the dataset ZIP to ${host} failed: the proxy ${proxy} refused to connect (HTTP ${refused})`, (0,_segmind_client_js__WEBPACK_IMPORTED_MODULE_7__/* .proxyRefusalHint */ .SM)(refused, host), 
            // undefined: worth a retry; 0: a refusal that is not the storage host's 403.
            refused >= 500 ? undefined : 0);
        }
        throw new UploadError(`Upload of the dataset ZIP to ${host} failed: ${withoutQuery((0,_segmind_client_js__WEBPACK_IMPORTED_MODULE_7__/* .networkErrorText */ .Mi)(error), url)}${proxy ? ` (through the proxy ${proxy})` : ''}`, (0,_segmind_client_js__WEBPACK_IMPORTED_MODULE_7__/* .networkHint */ .uw)(host, proxy, 'the storage host'), undefined);
    }
    if (status >= 200 && status < 300)
        return;
    const detail = withoutQuery(s3Message(text), url);
    const hint = status === 403
        ? 'The pre-signed upload URL was refused (expired or not matching the upload). Re-run the job; if it persists, check that the runner clock is right and that no proxy rewrites the request.'
        : status === 411 || status === 501
            ? 'The storage host wants a plain upload with a Content-Length; a proxy between the runner and it may be changing the request.'
            : 'Re-run the job; if it persists, contact Segmind support.';
    throw new UploadError(`Upload of the dataset ZIP to ${host} answered HTTP ${status}${detail ? `: ${detail}` : ''}`, hint, status, (0,_retry_js__WEBPACK_IMPORTED_MODULE_6__/* .parseRetryAfter */ .mu)(retryAfter));
}
/** Logs upload progress every quarter, so a slow upload is visibly alive. */
function progressLogger(total) {
    let sent = 0;
    let nextMark = 0.25;
    return new node_stream__WEBPACK_IMPORTED_MODULE_2__.Transform({
        transform(chunk, _encoding, callback) {
            sent += chunk.length;
            while (total > 0 && sent / total >= nextMark && nextMark <= 1) {
                _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Uploading: ${Math.round(nextMark * 100)}% (${(0,_zip_js__WEBPACK_IMPORTED_MODULE_8__/* .formatMb */ .TF)(sent)} of ${(0,_zip_js__WEBPACK_IMPORTED_MODULE_8__/* .formatMb */ .TF)(total)})`);
                nextMark += 0.25;
            }
            callback(null, chunk);
        },
    });
}
/** `Code: Message` from an S3-style XML error body. */
function s3Message(text) {
    const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
    const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
    if (code || message)
        return [code, message].filter(Boolean).join(': ');
    return text.trim().slice(0, 200);
}


/***/ })

};
