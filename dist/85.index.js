export const id = 85;
export const ids = [85];
export const modules = {

/***/ 6085:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   uploadToFal: () => (/* binding */ uploadToFal)
/* harmony export */ });
/* harmony import */ var _shared_log_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1827);
/* harmony import */ var _http_api_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9308);
/* harmony import */ var _http_send_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5616);
/* harmony import */ var _shared_json_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(8451);
/* harmony import */ var _shared_secrets_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3260);
/* harmony import */ var _transfer_storage_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2910);
/* harmony import */ var _transfer_upload_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(2014);
/* harmony import */ var _shared_format_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(6338);
/**
 * The dataset ZIP into fal's storage: `initiate` hands out a signed upload URL (a credential)
 * and the file's URL; the bytes go to the upload URL without fal's key (the storage host is not
 * fal's API). Above 90 MiB fal's clients upload in parts of 10 MiB, and so does this.
 */








/** fal's clients switch to a multipart upload above this size. */
const MULTIPART_THRESHOLD = 90 * 1024 * 1024;
/** The size of each part but the last. */
const PART_BYTES = 10 * 1024 * 1024;
async function uploadToFal(client, zip, retry, 
/** fal's sizes; a test passes smaller ones to exercise the multipart upload. */
sizes = { threshold: MULTIPART_THRESHOLD, part: PART_BYTES }) {
    const multipart = zip.bytes > sizes.threshold;
    let fileUrl = '';
    await (0,_transfer_storage_js__WEBPACK_IMPORTED_MODULE_4__/* .withFreshLinkOn403 */ .l)(async () => {
        const place = await client.initiateUpload(zip.fileName, 'application/zip', multipart);
        // The upload URL is a credential, its query above all (a part's URL carries the same).
        (0,_shared_secrets_js__WEBPACK_IMPORTED_MODULE_3__/* .maskUrlSignature */ .UB)(place.uploadUrl, true);
        const query = place.uploadUrl.split('#')[0].split('?')[1];
        if (query)
            (0,_shared_secrets_js__WEBPACK_IMPORTED_MODULE_3__/* .registerSecret */ .cl)(query);
        fileUrl = place.fileUrl;
        return place.uploadUrl;
    }, (uploadUrl) => multipart
        ? uploadParts(uploadUrl, zip, retry, sizes.part)
        : (0,_transfer_upload_js__WEBPACK_IMPORTED_MODULE_5__/* .putFile */ .U)({
            url: uploadUrl,
            file: zip.path,
            bytes: zip.bytes,
            contentType: 'application/zip',
            retry,
            provider: 'fal',
        }).then(() => undefined), 'upload URL', 'Check that the runner clock is right and that no proxy rewrites the upload; if both are fine, contact fal support.', 'fal');
    _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Uploaded ${(0,_shared_format_js__WEBPACK_IMPORTED_MODULE_6__/* .formatMb */ .TF)(zip.bytes)} to ${fileUrl}`);
    return fileUrl;
}
/**
 * The parts in order, each `PUT <upload URL path>/<n>` with the URL's query, answered with its
 * ETag; then `POST <upload URL path>/complete` with the list. Each part is retried on its own.
 */
async function uploadParts(uploadUrl, zip, retry, partBytes) {
    const url = new URL(uploadUrl);
    const at = (suffix) => `${url.origin}${url.pathname}/${suffix}${url.search}`;
    const count = Math.ceil(zip.bytes / partBytes);
    const parts = [];
    for (let n = 1; n <= count; n++) {
        const start = (n - 1) * partBytes;
        const bytes = Math.min(partBytes, zip.bytes - start);
        const answer = await (0,_transfer_upload_js__WEBPACK_IMPORTED_MODULE_5__/* .putFile */ .U)({
            url: at(String(n)),
            file: zip.path,
            start,
            bytes,
            contentType: 'application/zip',
            retry,
            provider: 'fal',
            quiet: true,
        });
        parts.push({ partNumber: n, etag: partEtag(answer, n) });
        _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Uploading: part ${n} of ${count} (${(0,_shared_format_js__WEBPACK_IMPORTED_MODULE_6__/* .formatMb */ .TF)(start + bytes)} of ${(0,_shared_format_js__WEBPACK_IMPORTED_MODULE_6__/* .formatMb */ .TF)(zip.bytes)})`);
    }
    const what = `Completing the upload at ${url.host}`;
    await (0,_http_api_js__WEBPACK_IMPORTED_MODULE_1__/* .callApi */ .p)({
        what,
        method: 'POST',
        url: at('complete'),
        headers: {},
        json: { parts },
        peer: 'the storage host',
        maxBodyBytes: 1024 * 1024,
    }, retry, () => undefined, (answer) => (0,_transfer_storage_js__WEBPACK_IMPORTED_MODULE_4__/* .storageError */ .Q)(what, answer, answer.body.toString('utf8'), at('complete'), 'Re-run the job; if it persists, contact fal support.'));
}
/** A part's ETag: from its JSON answer (`{partNumber, etag}`), else from its ETag header. */
function partEtag(answer, n) {
    const value = (0,_http_send_js__WEBPACK_IMPORTED_MODULE_2__/* .parseJson */ .qF)(answer.body);
    const fromBody = (0,_shared_json_js__WEBPACK_IMPORTED_MODULE_7__/* .isObject */ .G)(value) && typeof value.etag === 'string' ? value.etag : undefined;
    const header = answer.headers.etag;
    const etag = fromBody ?? (Array.isArray(header) ? header[0] : header);
    if (!etag) {
        throw new _http_send_js__WEBPACK_IMPORTED_MODULE_2__/* .HttpError */ .j$({
            what: `Upload of part ${n} of the dataset ZIP`,
            status: answer.status,
            transient: false,
            serverMessage: `an answer with no etag (${(0,_http_send_js__WEBPACK_IMPORTED_MODULE_2__/* .excerpt */ .Kb)(answer.body)})`,
            hint: 'The storage host did not say how it stored the part, so the upload cannot be completed. Re-run the job; if it persists, contact fal support.',
        });
    }
    return etag;
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
