export const id = 153;
export const ids = [153];
export const modules = {

/***/ 9153:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   list: () => (/* binding */ list),
/* harmony export */   setAccess: () => (/* binding */ setAccess),
/* harmony export */   status: () => (/* binding */ status)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7094);
/* harmony import */ var _wait_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(910);


/**
 * `command: status`: the job's record, optionally waiting for a status. Outputs follow every
 * record seen, so a wait that times out or is cancelled still leaves the latest ones.
 */
async function status(config, report, client) {
    const id = config.finetuneId;
    report.setFinetuneId(id);
    const seen = (record) => {
        report.setRecord(record);
        if (typeof record.name === 'string' && record.name && record.name !== report.jobName) {
            report.setJobName(record.name);
        }
    };
    if (config.waitFor !== 'none') {
        // The wait's first check is the status check: it logs the status and fails on an error.
        await (0,_wait_js__WEBPACK_IMPORTED_MODULE_1__/* .waitForStatus */ .ZK)(client, id, {
            target: config.waitFor,
            timeoutMs: config.waitTimeoutMs,
            intervalMs: config.pollIntervalMs,
            onRecord: seen,
        });
        return;
    }
    const record = await client.details(id);
    seen(record);
    (0,_wait_js__WEBPACK_IMPORTED_MODULE_1__/* .checkRecord */ .EQ)(id, record);
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Fine-tune ${id}${report.jobName ? ` (${report.jobName})` : ''}: ${String(record.status ?? 'no status')}`);
}
/** `command: list`: every fine-tune of the account, as the `finetunes` output and a table. */
async function list(report, client) {
    const finetunes = await client.list();
    report.finetunes = finetunes;
    report.output('finetunes', JSON.stringify(finetunes));
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${finetunes.length} fine-tune(s) on this account.`);
    for (const f of finetunes) {
        const error = typeof f.error_message === 'string' && f.error_message ? ` (${f.error_message})` : '';
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`  ${String(f.finetune_id ?? f.id ?? '?')}  ${String(f.status ?? '?')}  ${String(f.name ?? '')}${error}`);
    }
}
/** `command: set-access`: makes the model public or private. */
async function setAccess(config, report, client) {
    const id = config.finetuneId;
    report.setFinetuneId(id);
    await client.setAccess(id, config.settings.isPublic);
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Fine-tune ${id} is now ${config.settings.isPublic ? 'public' : 'private'} on Segmind.`);
    const record = await client.details(id);
    report.setRecord(record);
    if (typeof record.name === 'string' && record.name)
        report.setJobName(record.name);
}


/***/ })

};
