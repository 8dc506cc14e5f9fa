export const id = 200;
export const ids = [200];
export const modules = {

/***/ 2384:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Q: () => (/* binding */ storageError),
/* harmony export */   l: () => (/* binding */ withFreshLinkOn403)
/* harmony export */ });
/* harmony import */ var _shared_log_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1827);
/* harmony import */ var _http_send_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5616);


/** `Code: Message` from an S3-style XML error body; else a short excerpt of the body. */
function s3Message(text) {
    const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
    const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
    if (code || message)
        return (0,_http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .oneLine */ .TN)([code, message].filter(Boolean).join(': '), 300);
    return (0,_http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .excerpt */ .Kb)(text);
}
/**
 * The error for a storage answer that is not a success: its status, the host's own message
 * (without any trace of the signed URL's query), retried on 429 and 5xx. `hint` is the caller's:
 * what a refusal means differs between an upload and a download.
 */
function storageError(what, answer, text, url, hint) {
    const { status } = answer;
    const detail = (0,_http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .withoutQuery */ .Cw)(s3Message(text), url);
    const transient = status === 429 || status >= 500;
    return new _http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .HttpError */ .j$({
        what,
        status,
        transient,
        serverMessage: detail,
        message: `${what} answered HTTP ${status}${detail ? `: ${detail}` : ''}`,
        hint,
        retryAfterMs: transient ? (0,_http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .retryAfterOf */ .sT)(answer) : undefined,
    });
}
/**
 * Runs `use` with a signed link from `fresh`, and once more with a new one when the storage host
 * refuses the first with 403: a link that expired (or was signed for another request) is worth
 * one new link, not more. A second refusal is not a stale link, and the error says so. `link`
 * names the link in messages ("pre-signed URL", "download link"); `hint` says what to check.
 */
async function withFreshLinkOn403(fresh, use, link, hint) {
    for (let attempt = 1;; attempt++) {
        const url = await fresh();
        try {
            return await use(url);
        }
        catch (error) {
            if (!(error instanceof _http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .HttpError */ .j$ && error.status === 403))
                throw error;
            if (attempt === 1) {
                _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`The storage host refused the ${link} (${error.message.replace(/^.*answered /, '')}); asking Segmind for a new one.`);
                continue;
            }
            throw new _http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .HttpError */ .j$({
                what: error.what,
                status: 403,
                transient: false,
                serverMessage: error.serverMessage,
                message: `${error.message} (with a second, fresh ${link} too)`,
                hint: `The storage host refused two ${link}s in a row, so this is not a stale link. ${hint}`,
            });
        }
    }
}


/***/ }),

/***/ 9200:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   uploadZip: () => (/* binding */ uploadZip)
/* harmony export */ });
/* harmony import */ var _shared_log_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1827);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _http_send_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5616);
/* harmony import */ var _storage_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2384);
/* harmony import */ var _shared_secrets_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3260);
/* harmony import */ var _http_retry_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(8902);
/* harmony import */ var _shared_format_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(6338);








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
    let s3Url = '';
    await (0,_storage_js__WEBPACK_IMPORTED_MODULE_4__/* .withFreshLinkOn403 */ .l)(async () => {
        const presigned = await client.presign(fileName);
        // A pre-signed URL is a credential: anyone holding it can write the upload until it expires.
        (0,_shared_secrets_js__WEBPACK_IMPORTED_MODULE_5__/* .maskUrlSignature */ .UB)(presigned.presignedUrl, true);
        s3Url = presigned.s3Url;
        return presigned.presignedUrl;
    }, (presignedUrl) => {
        const host = (0,_http_send_js__WEBPACK_IMPORTED_MODULE_3__/* .hostOf */ .w4)(presignedUrl);
        return (0,_http_retry_js__WEBPACK_IMPORTED_MODULE_6__/* .withRetry */ .bD)(`Upload to ${host}`, policy, () => putOnce(presignedUrl, host, zipPath, zipBytes, (0,_http_retry_js__WEBPACK_IMPORTED_MODULE_6__/* .requestTimeoutMs */ .Hl)(120_000, retry)), (error) => ({
            retryable: error instanceof _http_send_js__WEBPACK_IMPORTED_MODULE_3__/* .HttpError */ .j$ && error.transient,
            retryAfterMs: error instanceof _http_send_js__WEBPACK_IMPORTED_MODULE_3__/* .HttpError */ .j$ ? error.retryAfterMs : undefined,
            error,
        }));
    }, 'pre-signed URL', 'Check that the runner clock is right (signatures carry a time) and that no proxy rewrites the upload (its Content-Type or query string); if both are fine, contact Segmind support.');
    _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Uploaded ${(0,_shared_format_js__WEBPACK_IMPORTED_MODULE_7__/* .formatMb */ .TF)(zipBytes)} to ${s3Url}`);
    return s3Url;
}
async function putOnce(url, host, zipPath, zipBytes, timeoutMs) {
    const what = `Upload of the dataset ZIP to ${host}`;
    const answer = await (0,_http_send_js__WEBPACK_IMPORTED_MODULE_3__/* .send */ .tN)({
        what,
        method: 'PUT',
        url,
        headers: { 'Content-Type': 'application/zip', 'Content-Length': String(zipBytes) },
        // A fresh stream each attempt. pipeline, not pipe: a read error then ends the body instead of
        // crashing the process, and destroying the body closes the file too (an open handle would
        // keep the ZIP on Windows).
        body: () => (0,node_stream__WEBPACK_IMPORTED_MODULE_2__.pipeline)((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createReadStream)(zipPath, { highWaterMark: 1024 * 1024 }), progressLogger(zipBytes), () => undefined),
        timeoutMs,
        maxBodyBytes: 1024 * 1024,
        peer: 'the storage host',
    });
    const status = answer.status;
    if (status >= 200 && status < 300)
        return;
    const hint = status === 403
        ? 'The pre-signed upload URL was refused (expired or not matching the upload). Re-run the job; if it persists, check that the runner clock is right and that no proxy rewrites the request.'
        : status === 411 || status === 501
            ? 'The storage host wants a plain upload with a Content-Length; a proxy between the runner and it may be changing the request.'
            : 'Re-run the job; if it persists, contact Segmind support.';
    throw (0,_storage_js__WEBPACK_IMPORTED_MODULE_4__/* .storageError */ .Q)(what, answer, answer.body.toString('utf8'), url, hint);
}
/** Logs upload progress every quarter, so a slow upload is visibly alive. */
function progressLogger(total) {
    let sent = 0;
    let nextMark = 0.25;
    return new node_stream__WEBPACK_IMPORTED_MODULE_2__.Transform({
        transform(chunk, _encoding, callback) {
            sent += chunk.length;
            while (total > 0 && sent / total >= nextMark && nextMark <= 1) {
                _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Uploading: ${Math.round(nextMark * 100)}% (${(0,_shared_format_js__WEBPACK_IMPORTED_MODULE_7__/* .formatMb */ .TF)(sent)} of ${(0,_shared_format_js__WEBPACK_IMPORTED_MODULE_7__/* .formatMb */ .TF)(total)})`);
                nextMark += 0.25;
            }
            callback(null, chunk);
        },
    });
}


/***/ })

};
