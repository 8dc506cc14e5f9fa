export const id = 687;
export const ids = [687];
export const modules = {

/***/ 6687:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   uploadZip: () => (/* binding */ uploadZip)
/* harmony export */ });
/* harmony import */ var _shared_log_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1827);
/* harmony import */ var _transfer_storage_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2910);
/* harmony import */ var _transfer_upload_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2014);
/* harmony import */ var _shared_secrets_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3260);
/* harmony import */ var _shared_format_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6338);





/**
 * Uploads the ZIP through a pre-signed URL and returns the `s3_url` to train from (see putFile
 * for the PUT itself). A 403 means the signature expired or does not match: one new URL is
 * fetched, then the step fails.
 */
async function uploadZip(client, fileName, zipPath, zipBytes, retry) {
    let s3Url = '';
    await (0,_transfer_storage_js__WEBPACK_IMPORTED_MODULE_1__/* .withFreshLinkOn403 */ .l)(async () => {
        const presigned = await client.presign(fileName);
        // A pre-signed URL is a credential: anyone holding it can write the upload until it expires.
        (0,_shared_secrets_js__WEBPACK_IMPORTED_MODULE_3__/* .maskUrlSignature */ .UB)(presigned.presignedUrl, true);
        s3Url = presigned.s3Url;
        return presigned.presignedUrl;
    }, (presignedUrl) => (0,_transfer_upload_js__WEBPACK_IMPORTED_MODULE_2__/* .putFile */ .U)({
        url: presignedUrl,
        file: zipPath,
        bytes: zipBytes,
        contentType: 'application/zip',
        retry,
        provider: 'Segmind',
    }), 'pre-signed URL', 'Check that the runner clock is right (signatures carry a time) and that no proxy rewrites the upload (its Content-Type or query string); if both are fine, contact Segmind support.', 'Segmind');
    _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Uploaded ${(0,_shared_format_js__WEBPACK_IMPORTED_MODULE_4__/* .formatMb */ .TF)(zipBytes)} to ${s3Url}`);
    return s3Url;
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


/***/ }),

/***/ 2910:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Q: () => (/* binding */ storageError),
/* harmony export */   l: () => (/* binding */ withFreshLinkOn403)
/* harmony export */ });
/* harmony import */ var _shared_log_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1827);
/* harmony import */ var _http_send_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5616);
/* harmony import */ var _http_retry_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8902);



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
    const detail = (0,_http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .withoutQuery */ .zq)(s3Message(text), url);
    const transient = (0,_http_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .isTransientStatus */ .Dm)(status);
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
 * names the link in messages ("pre-signed URL", "download link"); `hint` says what to check;
 * `provider` is who hands the links out.
 */
async function withFreshLinkOn403(fresh, use, link, hint, provider) {
    for (let attempt = 1;; attempt++) {
        const url = await fresh();
        try {
            return await use(url);
        }
        catch (error) {
            if (!(error instanceof _http_send_js__WEBPACK_IMPORTED_MODULE_1__/* .HttpError */ .j$ && error.status === 403))
                throw error;
            if (attempt === 1) {
                _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`The storage host refused the ${link} (${error.message.replace(/^.*answered /, '')}); asking ${provider} for a new one.`);
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

/***/ 2014:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   U: () => (/* binding */ putFile)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _http_send_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5616);
/* harmony import */ var _storage_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2910);
/* harmony import */ var _http_retry_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8902);
/* harmony import */ var _progress_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(484);






/**
 * PUTs a file to a storage URL, streamed from disk with its Content-Length (storage hosts refuse
 * chunked uploads), without any provider key (the storage host is not the provider), retried
 * with a fresh stream on network errors and 5xx. Progress is logged every quarter. Returns the
 * storage host's answer (an ETag, for a multipart part).
 */
async function putFile(options) {
    // The budget counts from the first attempt, and one attempt of a 100 MB upload on a slow link
    // can take minutes by itself: a failure then still deserves its retries.
    const { retry } = options;
    const policy = { ...retry, maxTotalMs: Math.max(retry.maxTotalMs, 15 * 60_000) };
    const host = (0,_http_send_js__WEBPACK_IMPORTED_MODULE_2__/* .hostOf */ .w4)(options.url);
    return (0,_http_retry_js__WEBPACK_IMPORTED_MODULE_4__/* .withRetry */ .bD)(`Upload to ${host}`, policy, () => putOnce(options, host, (0,_http_retry_js__WEBPACK_IMPORTED_MODULE_4__/* .requestTimeoutMs */ .Hl)(120_000, retry)), (error) => ({
        retryable: error instanceof _http_send_js__WEBPACK_IMPORTED_MODULE_2__/* .HttpError */ .j$ && error.transient,
        retryAfterMs: error instanceof _http_send_js__WEBPACK_IMPORTED_MODULE_2__/* .HttpError */ .j$ ? error.retryAfterMs : undefined,
        error,
    }));
}
async function putOnce(options, host, timeoutMs) {
    const { url, file, bytes } = options;
    const what = `Upload of the dataset ZIP to ${host}`;
    const answer = await (0,_http_send_js__WEBPACK_IMPORTED_MODULE_2__/* .send */ .tN)({
        what,
        method: 'PUT',
        url,
        headers: {
            ...options.headers,
            'Content-Type': options.contentType,
            'Content-Length': String(bytes),
        },
        // A fresh stream each attempt. pipeline, not pipe: a read error then ends the body instead of
        // crashing the process, and destroying the body closes the file too (an open handle would
        // keep the ZIP on Windows).
        body: () => (0,node_stream__WEBPACK_IMPORTED_MODULE_1__.pipeline)((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.createReadStream)(file, {
            highWaterMark: 1024 * 1024,
            start: options.start ?? 0,
            end: (options.start ?? 0) + bytes - 1,
        }), progressLogger(options.quiet ? 0 : bytes), () => undefined),
        timeoutMs,
        maxBodyBytes: 1024 * 1024,
        peer: 'the storage host',
    });
    const status = answer.status;
    if (status >= 200 && status < 300)
        return answer;
    const hint = status === 403
        ? 'The pre-signed upload URL was refused (expired or not matching the upload). Re-run the job; if it persists, check that the runner clock is right and that no proxy rewrites the request.'
        : status === 411 || status === 501
            ? 'The storage host wants a plain upload with a Content-Length; a proxy between the runner and it may be changing the request.'
            : `Re-run the job; if it persists, contact ${options.provider} support.`;
    throw (0,_storage_js__WEBPACK_IMPORTED_MODULE_3__/* .storageError */ .Q)(what, answer, answer.body.toString('utf8'), url, hint);
}
/** Logs upload progress every quarter, so a slow upload is visibly alive. */
function progressLogger(total) {
    let sent = 0;
    const report = (0,_progress_js__WEBPACK_IMPORTED_MODULE_5__/* .progressLines */ .L)('Uploading', total);
    return new node_stream__WEBPACK_IMPORTED_MODULE_1__.Transform({
        transform(chunk, _encoding, callback) {
            sent += chunk.length;
            report(sent);
            callback(null, chunk);
        },
    });
}


/***/ })

};
