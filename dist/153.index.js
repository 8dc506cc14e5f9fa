export const id = 153;
export const ids = [153];
export const modules = {

/***/ 9153:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   download: () => (/* binding */ download),
/* harmony export */   list: () => (/* binding */ list),
/* harmony export */   setAccess: () => (/* binding */ setAccess),
/* harmony export */   status: () => (/* binding */ status)
/* harmony export */ });
/* harmony import */ var _shared_log_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1827);
/* harmony import */ var _segmind_job_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7474);
/* harmony import */ var _segmind_wait_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6192);



/**
 * `command: status`: the job's record, optionally waiting for a status. Outputs follow every
 * record seen, so a wait that times out or is cancelled still leaves the latest ones.
 */
async function status(config, report, client) {
    const id = config.finetuneId;
    report.setFinetuneId(id);
    const seen = recordSeen(report);
    if (config.waitFor !== 'none') {
        // The wait's first check is the status check: it logs the status and fails on an error.
        await (0,_segmind_wait_js__WEBPACK_IMPORTED_MODULE_2__/* .waitForStatus */ .Z)(client, id, {
            target: config.waitFor,
            timeoutMs: config.waitTimeoutMs,
            intervalMs: config.pollIntervalMs,
            onRecord: seen,
        });
        return;
    }
    const record = await client.details(id);
    seen(record);
    (0,_segmind_job_js__WEBPACK_IMPORTED_MODULE_1__/* .checkRecord */ .EQ)(id, record);
    _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Fine-tune ${id}${report.jobName ? ` (${report.jobName})` : ''}: ${String(record.status ?? 'no status')}`);
}
/** Outputs follow every record seen: its status, model URL, slug, and the job's name. */
function recordSeen(report) {
    return (record) => {
        report.setRecord(record);
        if (typeof record.name === 'string' && record.name && record.name !== report.jobName) {
            report.setJobName(record.name);
        }
    };
}
/** `command: list`: every fine-tune of the account, as the `finetunes` output and a table. */
async function list(report, client) {
    const finetunes = await client.list();
    report.finetunes = finetunes;
    report.output('finetunes', JSON.stringify(finetunes));
    _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${finetunes.length} fine-tune(s) on this account.`);
    for (const f of finetunes) {
        const error = typeof f.error_message === 'string' && f.error_message ? ` (${f.error_message})` : '';
        _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`  ${String(f.finetune_id ?? f.id ?? '?')}  ${String(f.status ?? '?')}  ${String(f.name ?? '')}${error}`);
    }
}
/** `command: set-access`: makes the model public or private. */
async function setAccess(config, report, client) {
    const id = config.finetuneId;
    report.setFinetuneId(id);
    await client.setAccess(id, config.settings.isPublic);
    _shared_log_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Fine-tune ${id} is now ${config.settings.isPublic ? 'public' : 'private'} on Segmind.`);
    const record = await client.details(id);
    report.setRecord(record);
    if (typeof record.name === 'string' && record.name)
        report.setJobName(record.name);
}
/**
 * `command: download`: the trained weights of `finetune-id`, to `download-model`. With `wait-for`
 * it first waits for the job (and its `cloud_storage_url`); without, a record that has no model
 * yet fails with its status.
 */
async function download(config, report, client, workspace, retry) {
    const id = config.finetuneId;
    report.setFinetuneId(id);
    const seen = recordSeen(report);
    let record;
    if (config.waitFor !== 'none') {
        record = await (0,_segmind_wait_js__WEBPACK_IMPORTED_MODULE_2__/* .waitForStatus */ .Z)(client, id, {
            target: config.waitFor,
            timeoutMs: config.waitTimeoutMs,
            intervalMs: config.pollIntervalMs,
            onRecord: seen,
            needsModelUrl: true,
        });
    }
    else {
        record = await client.details(id);
        seen(record);
        (0,_segmind_job_js__WEBPACK_IMPORTED_MODULE_1__/* .checkRecord */ .EQ)(id, record);
    }
    const { downloadRecordModel } = await __webpack_require__.e(/* import() */ 569).then(__webpack_require__.bind(__webpack_require__, 4569));
    await downloadRecordModel({
        source: client,
        record,
        finetuneId: id,
        workspace,
        relative: config.downloadModel,
        retry,
        report,
    });
}


/***/ })

};
