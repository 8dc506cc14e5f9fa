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
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6288);
/* harmony import */ var _wait_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(910);


/** `command: status`: the job's record, optionally waiting for a status. */
async function status(config, report, client) {
    report.setFinetuneId(config.finetuneId);
    const record = await client.details(config.finetuneId);
    report.setRecord(record);
    if (typeof record.name === 'string')
        report.setJobName(record.name);
    (0,_wait_js__WEBPACK_IMPORTED_MODULE_1__/* .checkRecord */ .EQ)(config.finetuneId, record);
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Fine-tune ${config.finetuneId}: ${String(record.status ?? 'no status')}`);
    if (config.waitFor !== 'none') {
        await (0,_wait_js__WEBPACK_IMPORTED_MODULE_1__/* .waitForStatus */ .ZK)(client, config.finetuneId, {
            target: config.waitFor,
            timeoutMs: config.waitTimeoutMs,
            intervalMs: config.pollIntervalMs,
            onRecord: (r) => report.setRecord(r),
        });
    }
}
/** `command: list`: every fine-tune of the account, as the `finetunes` output and a table. */
async function list(report, client) {
    const finetunes = await client.list();
    report.finetunes = finetunes;
    report.output('finetunes', JSON.stringify(finetunes));
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${finetunes.length} fine-tune(s) on this account.`);
}
/** `command: set-access`: makes the model public or private. */
async function setAccess(config, report, client) {
    report.setFinetuneId(config.finetuneId);
    await client.setAccess(config.finetuneId, config.settings.isPublic);
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Fine-tune ${config.finetuneId} is now ${config.settings.isPublic ? 'public' : 'private'} on Segmind.`);
    const record = await client.details(config.finetuneId);
    report.setRecord(record);
}


/***/ })

};
