export const id = 153;
export const ids = [153];
export const modules = {

/***/ 9153:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   cancel: () => (/* binding */ cancel),
/* harmony export */   download: () => (/* binding */ download),
/* harmony export */   list: () => (/* binding */ list),
/* harmony export */   setAccess: () => (/* binding */ setAccess),
/* harmony export */   status: () => (/* binding */ status)
/* harmony export */ });
/* harmony import */ var _shared_log_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1827);
/* harmony import */ var _jobs_job_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7879);
/* harmony import */ var _jobs_wait_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1975);



/**
 * `command: status`: the job as it stands, optionally waiting for it. Outputs follow every
 * job seen, so a wait that times out or is cancelled still leaves the latest ones.
 */
async function status(config, report, provider) {
    const id = config.finetuneId;
    report.setFinetuneId(id);
    const seen = jobSeen(report);
    if (config.waitFor !== 'none') {
        // The wait's first check is the status check: it logs the status and fails on an error.
        await (0,_jobs_wait_js__WEBPACK_IMPORTED_MODULE_2__/* .waitForJob */ .q)(provider, id, {
            target: config.waitFor,
            timeoutMs: config.waitTimeoutMs,
            intervalMs: config.pollIntervalMs,
            onJob: seen,
        });
        return;
    }
    const job = await provider.get(id);
    seen(job);
    (0,_jobs_job_js__WEBPACK_IMPORTED_MODULE_1__/* .checkJob */ .ej)(provider.label, job);
    _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Fine-tune ${id}${report.jobName ? ` (${report.jobName})` : ''}: ${job.status || 'no status'}`);
}
/** Outputs follow every job seen: its status, model URL, slug, and the job's name. */
function jobSeen(report) {
    return (job) => {
        report.setJob(job);
        if (job.name && job.name !== report.jobName)
            report.setJobName(job.name);
    };
}
/** `command: list`: the account's fine-tunes, as the `finetunes` output and a table. */
async function list(report, provider) {
    const { raw, jobs, scope } = await provider.list();
    report.finetunes = jobs;
    report.listScope = scope;
    report.output('finetunes', JSON.stringify(raw));
    _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${jobs.length} fine-tune(s) on this account.${scope ? ` ${scope}` : ''}`);
    for (const job of jobs) {
        const error = job.error ? ` (${job.error})` : '';
        _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`  ${job.id}  ${job.status || '?'}  ${job.name ?? ''}${error}`);
    }
}
/** `command: set-access`: makes the model public or private. */
async function setAccess(config, report, provider) {
    const id = config.finetuneId;
    report.setFinetuneId(id);
    // The input check lets set-access through only for a provider that has it.
    await provider.setAccess(id, config.settings.isPublic);
    _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Fine-tune ${id} is now ${config.settings.isPublic ? 'public' : 'private'} on ${provider.label}.`);
    const job = await provider.get(id);
    jobSeen(report)(job);
}
/**
 * `command: cancel`: stops a queued or running job. A job that has finished already is said so,
 * and the step fails only when the provider refuses for another reason.
 */
async function cancel(config, report, provider) {
    const id = config.finetuneId;
    report.setFinetuneId(id);
    // The input check lets cancel through only for a provider that has it.
    const job = await provider.cancel(id);
    jobSeen(report)(job);
    _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Fine-tune ${id}: ${job.status || 'no status'} after the cancel request.`);
}
/**
 * `command: download`: the trained weights of `finetune-id`, to `download-model`. With `wait-for`
 * it first waits for the job (and its weights); without, a job that has none yet fails with
 * its status.
 */
async function download(config, report, provider, workspace, retry) {
    const id = config.finetuneId;
    report.setFinetuneId(id);
    const seen = jobSeen(report);
    let job;
    if (config.waitFor !== 'none') {
        job = await (0,_jobs_wait_js__WEBPACK_IMPORTED_MODULE_2__/* .waitForJob */ .q)(provider, id, {
            target: config.waitFor,
            timeoutMs: config.waitTimeoutMs,
            intervalMs: config.pollIntervalMs,
            onJob: seen,
            needsWeights: true,
        });
    }
    else {
        job = await provider.get(id);
        seen(job);
        (0,_jobs_job_js__WEBPACK_IMPORTED_MODULE_1__/* .checkJob */ .ej)(provider.label, job);
    }
    const { downloadFile } = await Promise.all(/* import() */[__webpack_require__.e(599), __webpack_require__.e(498)]).then(__webpack_require__.bind(__webpack_require__, 7498));
    const model = await downloadFile({
        source: provider.modelSource(job),
        workspace,
        relative: config.downloadModel,
        retry,
    });
    report.setModel(model);
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

/***/ 1975:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   q: () => (/* binding */ waitForJob)
/* harmony export */ });
/* harmony import */ var _shared_log_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1827);
/* harmony import */ var _shared_cancellation_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1010);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8382);
/* harmony import */ var _http_send_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5616);
/* harmony import */ var _shared_format_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(6338);
/* harmony import */ var _providers_provider_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(9545);
/* harmony import */ var _job_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7879);







/** The stage `wait-for` names: the weights exist (TRAINING_COMPLETED), or the model serves (AVAILABLE). */
function targetStage(target) {
    return (0,_providers_provider_js__WEBPACK_IMPORTED_MODULE_5__/* .stageRank */ .lJ)(target === 'AVAILABLE' ? 'ready' : 'trained');
}
/**
 * Polls the job until it reaches `target` (or a later stage), fails, or the time is up. A blip
 * while polling does not end a long wait: transient errors are waited through until they have
 * lasted `maxOutageMs`.
 */
async function waitForJob(provider, id, options) {
    const started = Date.now();
    const deadline = started + options.timeoutMs;
    const maxOutageMs = options.maxOutageMs ?? Math.max(10 * 60_000, options.intervalMs * 3);
    const targetRank = targetStage(options.target);
    const target = provider.targetWord(options.target);
    const unknownSeen = new Set();
    let lastStatus;
    let failingSince;
    let failedChecks = 0;
    let lastFailure = '';
    let weightsWaited = false;
    _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Waiting up to ${(0,_shared_format_js__WEBPACK_IMPORTED_MODULE_6__/* .duration */ .p0)(options.timeoutMs)} for ${id} to reach ${target}, checking every ${(0,_shared_format_js__WEBPACK_IMPORTED_MODULE_6__/* .duration */ .p0)(options.intervalMs)}.`);
    for (;;) {
        let job;
        try {
            job = await provider.get(id);
            if (failedChecks > 0)
                _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Checking ${id} works again.`);
            failingSince = undefined;
            failedChecks = 0;
        }
        catch (error) {
            // A 4xx (a rejected key, an unknown id) will not get better by waiting.
            if (!(error instanceof _http_send_js__WEBPACK_IMPORTED_MODULE_3__/* .HttpError */ .j$ && error.transient))
                throw error;
            failingSince ??= Date.now();
            failedChecks += 1;
            lastFailure = error.message;
            if (Date.now() - failingSince >= maxOutageMs) {
                throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ActionError */ .l(`Checking fine-tune ${id} has failed for ${(0,_shared_format_js__WEBPACK_IMPORTED_MODULE_6__/* .duration */ .p0)(Date.now() - failingSince)}, so the wait ends; the last status seen was ${lastStatus || 'none'}. The last error: ${error.message}`, `${error.hint ?? ''} The job goes on at ${provider.label}: pick it up again later with \`command: status\`, \`finetune-id: ${id}\` and \`wait-for: ${options.target}\`.`.trim());
            }
            // Once per outage as a warning; the retries log every attempt anyway.
            if (failedChecks === 1) {
                _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`Checking ${id} failed (${error.message}); still waiting, as long as it does not go on for ${(0,_shared_format_js__WEBPACK_IMPORTED_MODULE_6__/* .duration */ .p0)(maxOutageMs)}.`);
            }
        }
        if (job) {
            options.onJob(job);
            (0,_job_js__WEBPACK_IMPORTED_MODULE_4__/* .checkJob */ .ej)(provider.label, job);
            const status = job.status;
            if (status !== lastStatus) {
                _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${id}: ${status || '(no status)'} after ${(0,_shared_format_js__WEBPACK_IMPORTED_MODULE_6__/* .duration */ .p0)(Date.now() - started)}`);
                lastStatus = status;
            }
            const rank = (0,_providers_provider_js__WEBPACK_IMPORTED_MODULE_5__/* .stageRank */ .lJ)(job.stage);
            const weightsMissing = options.needsWeights && !job.modelUrl;
            if (rank >= targetRank && !weightsMissing)
                return job;
            if (rank >= targetRank && !weightsWaited) {
                weightsWaited = true;
                _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${id}: ${status} but no ${provider.weightsName} yet; waiting for it.`);
            }
            if (rank < 0 && !unknownSeen.has(status)) {
                unknownSeen.add(status);
                _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${id}: status ${status || '(none)'} is not one of ${provider.knownStatuses.join(', ')}; waiting through it.`);
            }
        }
        const left = deadline - Date.now();
        if (left <= 0) {
            const failing = failedChecks > 0
                ? ` The last ${failedChecks === 1 ? 'check' : `${failedChecks} checks`} failed: ${lastFailure}`
                : '';
            throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ActionError */ .l(`Timed out after ${(0,_shared_format_js__WEBPACK_IMPORTED_MODULE_6__/* .duration */ .p0)(options.timeoutMs)} waiting for fine-tune ${id} to reach ${target}; the last status was ${lastStatus || 'unknown'}${weightsWaited ? `, with no ${provider.weightsName} to download the model from yet` : ''}.${failing}`, `The job goes on at ${provider.label}. Pick it up again with a step using \`command: status\`, \`finetune-id: ${id}\` and \`wait-for: ${options.target}\`, or raise \`wait-timeout-minutes\` (GitHub-hosted runners end a job after 6 hours: wait for a long training in a later workflow instead).`);
        }
        await (0,_shared_cancellation_js__WEBPACK_IMPORTED_MODULE_1__/* .sleep */ .yy)(Math.min(options.intervalMs, left));
    }
}


/***/ })

};
