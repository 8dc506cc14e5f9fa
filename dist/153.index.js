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


/***/ })

};
