export const id = 569;
export const ids = [569];
export const modules = {

/***/ 4569:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   checkTarget: () => (/* binding */ checkTarget),
/* harmony export */   downloadRecordModel: () => (/* binding */ downloadRecordModel)
/* harmony export */ });
/* unused harmony exports downloadFile, partWriter, parseContentRange */
/* harmony import */ var _shared_log_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1827);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(7075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_5___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_5__);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(6466);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_6___default = /*#__PURE__*/__webpack_require__.n(node_stream_promises__WEBPACK_IMPORTED_MODULE_6__);
/* harmony import */ var _shared_cancellation_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(1010);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(8382);
/* harmony import */ var _http_send_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(5616);
/* harmony import */ var _http_retry_js__WEBPACK_IMPORTED_MODULE_10__ = __webpack_require__(8902);
/* harmony import */ var _shared_secrets_js__WEBPACK_IMPORTED_MODULE_11__ = __webpack_require__(3260);
/* harmony import */ var _storage_js__WEBPACK_IMPORTED_MODULE_12__ = __webpack_require__(2384);
/* harmony import */ var _job_js__WEBPACK_IMPORTED_MODULE_13__ = __webpack_require__(7474);
/* harmony import */ var _shared_format_js__WEBPACK_IMPORTED_MODULE_14__ = __webpack_require__(6338);















/** The record's `cloud_storage_url`, when it has one. */
function modelUrlOf(record) {
    const url = record.cloud_storage_url;
    return typeof url === 'string' && url.trim() !== '' ? url.trim() : undefined;
}
// ---------------------------------------------------------------------------------------------
// The target: inside the workspace, whatever links lie on the way
// ---------------------------------------------------------------------------------------------
const INPUT_HINT = 'Set `download-model` to a file path inside the workspace, such as `models/model.safetensors`.';
function targetError(relative, problem) {
    return new _shared_errors_js__WEBPACK_IMPORTED_MODULE_8__/* .ActionError */ .l(`Input \`download-model\` is "${relative}": ${problem}.`, INPUT_HINT);
}
function isInside(root, candidate) {
    return (candidate === root || candidate.startsWith(root.endsWith(node_path__WEBPACK_IMPORTED_MODULE_4__.sep) ? root : root + node_path__WEBPACK_IMPORTED_MODULE_4__.sep));
}
/**
 * Checks on disk what the input check cannot: the deepest folder of the target that exists must
 * really lie in the workspace (a folder that is a symbolic link leading out is refused, as a pull
 * request could add one), must be a folder, and the target must not be a folder. A target that is
 * itself a symbolic link is fine: the download replaces the link, it never writes through it.
 * Returns the absolute target.
 */
async function checkTarget(workspace, relative) {
    const root = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.realpath)(workspace);
    const absolute = node_path__WEBPACK_IMPORTED_MODULE_4__.resolve(workspace, relative);
    let existing = node_path__WEBPACK_IMPORTED_MODULE_4__.dirname(absolute);
    for (;;) {
        try {
            const info = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.lstat)(existing);
            const real = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.realpath)(existing);
            if (!isInside(root, real)) {
                throw targetError(relative, `the folder ${node_path__WEBPACK_IMPORTED_MODULE_4__.relative(workspace, existing) || '.'} is a symbolic link leading out of the workspace, and nothing outside it is written`);
            }
            if (!info.isDirectory() && !(info.isSymbolicLink() && (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.lstat)(real)).isDirectory())) {
                throw targetError(relative, `${node_path__WEBPACK_IMPORTED_MODULE_4__.relative(workspace, existing)} is a file, so it cannot hold the download`);
            }
            break;
        }
        catch (error) {
            if (error.code !== 'ENOENT')
                throw error;
            if (existing === node_path__WEBPACK_IMPORTED_MODULE_4__.dirname(existing))
                throw error;
            existing = node_path__WEBPACK_IMPORTED_MODULE_4__.dirname(existing);
        }
    }
    try {
        if ((await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.lstat)(absolute)).isDirectory()) {
            throw targetError(relative, 'that is a folder; name the file to write, such as model.safetensors');
        }
    }
    catch (error) {
        if (error.code !== 'ENOENT')
            throw error;
    }
    return absolute;
}
/**
 * Downloads the trained model of `record` to `relative` (inside `workspace`), sets the model-*
 * outputs and returns them. See {@link downloadFile}.
 */
async function downloadRecordModel(options) {
    const cloudStorageUrl = modelUrlOf(options.record);
    if (!cloudStorageUrl) {
        const status = typeof options.record.status === 'string' ? options.record.status : 'unknown';
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_8__/* .ActionError */ .l(`Fine-tune ${options.finetuneId} has no trained model to download: its record has no cloud_storage_url (status ${status}).`, (0,_job_js__WEBPACK_IMPORTED_MODULE_13__/* .statusRank */ .Tx)(status) >= (0,_job_js__WEBPACK_IMPORTED_MODULE_13__/* .statusRank */ .Tx)('TRAINING_COMPLETED')
            ? 'The job has trained, but Segmind has not published its file yet. Run `command: download` again later, or add `wait-for: TRAINING_COMPLETED` to this step: the wait goes on until the record has a cloud_storage_url.'
            : 'A model can be downloaded once its job reaches TRAINING_COMPLETED. Wait for it in the same step with `wait-for: TRAINING_COMPLETED` (or AVAILABLE), or run `command: download` later.');
    }
    const model = await downloadFile({ ...options, cloudStorageUrl });
    options.report.setModel(model);
    return model;
}
/**
 * Asks Segmind for a download URL of `cloudStorageUrl` and streams the file to a part file beside
 * the target, hashing as it writes: flat memory whatever the size. Network errors and 5xx are
 * retried, resuming with `Range` where the storage host allows it (206 from the offset asked;
 * a 200 instead starts over); a 403 (an expired link) gets one fresh URL. Only a complete file,
 * its size as the storage host said, is renamed into place, so an existing target is replaced
 * only then. On any failure or cancellation the part file (and any folder made for it) goes.
 */
async function downloadFile(options) {
    const { workspace, relative } = options;
    const absolute = await checkTarget(workspace, relative);
    const folder = node_path__WEBPACK_IMPORTED_MODULE_4__.dirname(absolute);
    const made = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.mkdir)(folder, { recursive: true });
    const part = node_path__WEBPACK_IMPORTED_MODULE_4__.join(folder, `.${node_path__WEBPACK_IMPORTED_MODULE_4__.basename(absolute)}.${(0,node_crypto__WEBPACK_IMPORTED_MODULE_1__.randomBytes)(6).toString('hex')}.part`);
    // Last resort for an exit that skips the finally below (a second signal, the grace timer).
    const onExit = () => {
        try {
            (0,node_fs__WEBPACK_IMPORTED_MODULE_2__.unlinkSync)(part);
        }
        catch {
            // gone already
        }
    };
    process.once('exit', onExit);
    let file;
    let done = false;
    try {
        // Made just now, after the check: what exists must still be inside the workspace.
        await checkTarget(workspace, relative);
        // 'wx': never opens what is already there (a planted link included).
        file = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.open)(part, 'wx', 0o644);
        const progress = {
            file,
            hash: (0,node_crypto__WEBPACK_IMPORTED_MODULE_1__.createHash)('sha256'),
            bytes: 0,
            nextMark: 0.25,
            startedAt: Date.now(),
        };
        await fetchWithFreshUrl(options.source, options.cloudStorageUrl, progress, options.retry);
        await file.close();
        file = undefined;
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.rename)(part, absolute);
        done = true;
        const sha256 = progress.hash.digest('hex');
        _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Downloaded the model to ${relative}: ${(0,_shared_format_js__WEBPACK_IMPORTED_MODULE_14__/* .formatMb */ .TF)(progress.bytes)} (${progress.bytes} bytes), sha256 ${sha256}.`);
        return { path: relative, bytes: progress.bytes, sha256 };
    }
    finally {
        process.off('exit', onExit);
        if (!done) {
            await file?.close().catch(() => undefined);
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.rm)(part, { force: true }).catch(() => undefined);
            if (made)
                await removeEmptyFolders(folder, made);
        }
    }
}
/** Removes `folder` and its parents up to `top`, as long as they are empty (made for nothing). */
async function removeEmptyFolders(folder, top) {
    for (let dir = folder; isInside(top, dir); dir = node_path__WEBPACK_IMPORTED_MODULE_4__.dirname(dir)) {
        try {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_3__.rmdir)(dir);
        }
        catch {
            return;
        }
        if (dir === top)
            return;
    }
}
async function fetchWithFreshUrl(source, cloudStorageUrl, progress, retry) {
    await (0,_storage_js__WEBPACK_IMPORTED_MODULE_12__/* .withFreshLinkOn403 */ .l)(() => downloadUrlFrom(source, cloudStorageUrl), (url) => fetchResuming(url, (0,_http_send_js__WEBPACK_IMPORTED_MODULE_9__/* .hostOf */ .w4)(url), progress, retry), 'download link', 'Check that the runner clock is right (signatures carry a time) and that no proxy rewrites the request; if both are fine, contact Segmind support.');
}
/** A download URL from Segmind, masked before anything could print it, and checked. */
async function downloadUrlFrom(source, cloudStorageUrl) {
    const url = (await source.downloadUrl(cloudStorageUrl)).trim();
    // A credential: anyone holding it can fetch the model until it expires.
    if (url)
        (0,_shared_secrets_js__WEBPACK_IMPORTED_MODULE_11__/* .maskUrlSignature */ .UB)(url, true);
    let parsed;
    try {
        parsed = new URL(url);
    }
    catch {
        parsed = undefined;
    }
    const loopback = /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/i.test(parsed?.hostname ?? '');
    if (!parsed || !(parsed.protocol === 'https:' || (parsed.protocol === 'http:' && loopback))) {
        // Not shown: it may be the link itself, in a form the masking does not know.
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_8__/* .ActionError */ .l(`Segmind GET /finetune/request/file/download answered with ${parsed ? `a ${parsed.protocol} URL` : 'no URL'}, where an https download link was expected.`, 'Re-run the job; if it persists, please open an issue (the answer is not shown here, as a download link is a credential).');
    }
    return url;
}
/**
 * GETs the rest of the file into the part file, retrying transient failures. A failure after
 * bytes arrived does not spend the budget: the next attempt resumes and gets a budget of its own,
 * up to MAX_RENEWALS times (a host that always breaks off after a few bytes must end too).
 */
async function fetchResuming(url, host, progress, retry) {
    // One attempt of a large file on a slow link can take minutes by itself.
    const policy = { ...retry, maxTotalMs: Math.max(retry.maxTotalMs, 15 * 60_000) };
    for (let renewals = 0;; renewals++) {
        const before = progress.bytes;
        try {
            await (0,_http_retry_js__WEBPACK_IMPORTED_MODULE_10__/* .withRetry */ .bD)(`Download from ${host}`, policy, () => fetchOnce(url, host, progress, (0,_http_retry_js__WEBPACK_IMPORTED_MODULE_10__/* .requestTimeoutMs */ .Hl)(120_000, retry)), (error) => ({
                retryable: error instanceof _http_send_js__WEBPACK_IMPORTED_MODULE_9__/* .HttpError */ .j$ && error.transient,
                retryAfterMs: error instanceof _http_send_js__WEBPACK_IMPORTED_MODULE_9__/* .HttpError */ .j$ ? error.retryAfterMs : undefined,
                error,
            }));
            return;
        }
        catch (error) {
            const advanced = progress.bytes > before;
            if (!(advanced && error instanceof _http_send_js__WEBPACK_IMPORTED_MODULE_9__/* .HttpError */ .j$ && error.transient) || renewals >= MAX_RENEWALS)
                throw error;
            _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Download from ${host} failed (${error.message.split('\n')[0]}); resuming.`);
        }
    }
}
const MAX_RENEWALS = 20;
async function fetchOnce(url, host, progress, timeoutMs) {
    const headers = { Accept: '*/*' };
    const resuming = progress.bytes > 0;
    if (resuming) {
        headers.Range = `bytes=${progress.bytes}-`;
        // A file that changed since the first bytes would be answered in full, not spliced.
        if (progress.etag)
            headers['If-Range'] = progress.etag;
    }
    const what = `Download of the model from ${host}`;
    const answer = await (0,_http_send_js__WEBPACK_IMPORTED_MODULE_9__/* .sendStreaming */ .xw)({
        what,
        method: 'GET',
        url,
        headers,
        timeoutMs,
        peer: 'the storage host',
    });
    const { status } = answer;
    const etag = headerOf(answer.headers, 'etag');
    let expected;
    if (status === 206 && resuming) {
        const range = parseContentRange(headerOf(answer.headers, 'content-range'));
        if (!range ||
            range.start !== progress.bytes ||
            (progress.etag && etag && etag !== progress.etag)) {
            answer.body.destroy();
            await restart(progress);
            throw restartError(what, `it answered another range than the one asked for`);
        }
        progress.total = range.total ?? progress.total;
        expected = range.end - range.start;
        _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Resuming the download at ${(0,_shared_format_js__WEBPACK_IMPORTED_MODULE_14__/* .formatMb */ .TF)(progress.bytes)}${progress.total ? ` of ${(0,_shared_format_js__WEBPACK_IMPORTED_MODULE_14__/* .formatMb */ .TF)(progress.total)}` : ''}.`);
    }
    else if (status === 200) {
        if (resuming) {
            _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${host} does not resume downloads (it answered the whole file); starting over.`);
            await restart(progress);
        }
        const length = headerOf(answer.headers, 'content-length');
        expected = length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
        progress.total = expected;
        progress.etag = etag;
    }
    else if (status === 416 && resuming) {
        answer.body.destroy();
        const total = parseContentRange(headerOf(answer.headers, 'content-range'))?.total;
        if (total !== undefined && total === progress.bytes) {
            // All of it was here already: the answer that brought the last bytes broke off at its end.
            progress.total = total;
            return;
        }
        await restart(progress);
        throw restartError(what, 'it answered HTTP 416 to a resume');
    }
    else {
        throw await statusError(what, status, answer, url);
    }
    let received = 0;
    const writer = partWriter(progress, (n) => (received += n));
    try {
        await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_6__.pipeline)(answer.body, writer.stream);
    }
    catch (error) {
        await writer.settled();
        if (error instanceof _shared_cancellation_js__WEBPACK_IMPORTED_MODULE_7__/* .CancelledError */ .cc || _shared_cancellation_js__WEBPACK_IMPORTED_MODULE_7__/* .cancelSignal */ .Bj.aborted)
            throw _shared_cancellation_js__WEBPACK_IMPORTED_MODULE_7__/* .cancelSignal */ .Bj.reason ?? error;
        if (error instanceof WriteError) {
            throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_8__/* .ActionError */ .l(`Could not write the model file: ${error.message}`, 'Check that the runner has room for the model (LoRA files are hundreds of MB) and may write to the folder of `download-model`.');
        }
        // The HTTP layer's error: a reset, a cut-off body or an idle timeout, said as such.
        throw error;
    }
    if (expected !== undefined && received !== expected) {
        throw restartError(what, `it sent ${received} of the ${expected} bytes it announced`, false);
    }
    if (progress.total !== undefined && progress.bytes !== progress.total) {
        throw restartError(what, `it ended at ${progress.bytes} of the file's ${progress.total} bytes`, false);
    }
}
/** A transient failure of the storage host that is not a status or a network error. */
function restartError(what, problem, startingOver = true) {
    return new _http_send_js__WEBPACK_IMPORTED_MODULE_9__/* .HttpError */ .j$({
        what,
        transient: true,
        serverMessage: `${problem}${startingOver ? '; starting over' : ''}`,
        hint: 'The storage host did not serve the file as asked. Re-run the job; if it persists, contact Segmind support.',
    });
}
/** Empties the part file and the hash: the next bytes are the file's first. */
async function restart(progress) {
    await progress.file.truncate(0);
    progress.hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_1__.createHash)('sha256');
    progress.bytes = 0;
    progress.total = undefined;
    progress.etag = undefined;
    progress.nextMark = 0.25;
}
class WriteError extends Error {
}
/**
 * Writes to the part file at the current offset and hashes the same bytes meanwhile; the offset
 * moves on once both are done, and a failed write rolls the hash back, so the hash and the file
 * agree whatever breaks off (a resume carries on with both). Exported for its tests.
 */
function partWriter(progress, counted) {
    const writeAll = async (chunks) => {
        let length = 0;
        for (const chunk of chunks)
            length += chunk.length;
        const writing = (async () => {
            let written = 0;
            while (written < length) {
                const slice = written === 0 ? chunks : [Buffer.concat(chunks).subarray(written)];
                const { bytesWritten } = await progress.file.writev(slice, progress.bytes + written);
                written += bytesWritten;
            }
        })();
        // Hashed while the thread pool writes (the two took turns before). A failed write puts the
        // hash back as it was, so it still covers exactly the bytes in the file: a body that breaks
        // off during that write is resumed from the offset, and hashed from there, like any other.
        const before = progress.hash.copy();
        for (const chunk of chunks)
            progress.hash.update(chunk);
        try {
            await writing;
        }
        catch (error) {
            progress.hash = before;
            throw new WriteError(error.message);
        }
        progress.bytes += length;
        counted(length);
        logProgress(progress);
    };
    let pending = Promise.resolve();
    const stream = new node_stream__WEBPACK_IMPORTED_MODULE_5__.Writable({
        highWaterMark: 1 << 20,
        writev(chunks, callback) {
            pending = writeAll(chunks.map((c) => c.chunk));
            pending.then(() => callback(), callback);
        },
        // A write under way when the body breaks off is finished first: until then the file, the
        // hash and the offset would disagree, and the next attempt must start from all three.
        destroy(error, callback) {
            pending.then(() => callback(error), () => callback(error));
        },
    });
    return { stream, settled: () => pending.then(undefined, () => undefined) };
}
function logProgress(progress) {
    const total = progress.total;
    if (!total)
        return;
    while (progress.bytes / total >= progress.nextMark && progress.nextMark <= 1) {
        const seconds = (Date.now() - progress.startedAt) / 1000;
        const rate = seconds > 0 ? ` at ${(0,_shared_format_js__WEBPACK_IMPORTED_MODULE_14__/* .formatMb */ .TF)(progress.bytes / seconds)}/s` : '';
        _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Downloading: ${Math.round(progress.nextMark * 100)}% (${(0,_shared_format_js__WEBPACK_IMPORTED_MODULE_14__/* .formatMb */ .TF)(progress.bytes)} of ${(0,_shared_format_js__WEBPACK_IMPORTED_MODULE_14__/* .formatMb */ .TF)(total)}${rate})`);
        progress.nextMark += 0.25;
    }
}
async function statusError(what, status, answer, url) {
    const text = await readSome(answer.body, 4096);
    const hint = status === 403
        ? 'The download link was refused (expired, or not matching the request). Re-run the job; if it persists, check that the runner clock is right and that no proxy rewrites the request.'
        : status === 404
            ? 'The storage host has no file there: the model may have been deleted at Segmind. Check the job with `command: status`.'
            : status >= 500 || status === 429
                ? 'The storage host had a problem. Re-run the job later; if it persists, contact Segmind support.'
                : 'Re-run the job; if it persists, contact Segmind support.';
    return (0,_storage_js__WEBPACK_IMPORTED_MODULE_12__/* .storageError */ .Q)(what, answer, text, url, hint);
}
/** Up to `max` bytes of an error body as text; the rest is not waited for. */
async function readSome(body, max) {
    const chunks = [];
    let size = 0;
    try {
        for await (const chunk of body) {
            chunks.push(chunk);
            size += chunk.length;
            if (size >= max)
                break;
        }
    }
    catch {
        // an error body cut short is still worth what arrived
    }
    finally {
        body.destroy();
    }
    return Buffer.concat(chunks).subarray(0, max).toString('utf8');
}
function headerOf(headers, name) {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
}
/** `bytes start-last/total` (total may be `*`); end is exclusive. */
function parseContentRange(value) {
    const match = /^bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)$/i.exec(value?.trim() ?? '');
    if (!match)
        return undefined;
    const total = match[3] === '*' ? undefined : Number(match[3]);
    if (match[1] === undefined)
        return total === undefined ? undefined : { start: total, end: total, total };
    const start = Number(match[1]);
    const end = Number(match[2]) + 1;
    if (end <= start || (total !== undefined && end > total))
        return undefined;
    return { start, end, total };
}


/***/ }),

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


/***/ })

};
