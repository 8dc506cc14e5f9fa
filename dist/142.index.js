export const id = 142;
export const ids = [142];
export const modules = {

/***/ 9142:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   saveCopy: () => (/* binding */ saveCopy)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8382);
/**
 * A file of the run's (the dataset ZIP) copied to a path the user named in the workspace: checked
 * as a download's target is (inside the workspace, no link leading out or into `.git`), written
 * beside it under a hidden name and renamed into place once complete, so an existing file there
 * is replaced only then and a failure leaves nothing.
 */




async function saveCopy(source, workspace, relative, input) {
    // Loaded as the download loads it: one chunk of the bundle holds it, not two.
    const { checkTarget, partFileName, removeEmptyFolders } = await Promise.all(/* import() */[__webpack_require__.e(599), __webpack_require__.e(498)]).then(__webpack_require__.bind(__webpack_require__, 7498));
    const absolute = await checkTarget(workspace, relative, input);
    const folder = node_path__WEBPACK_IMPORTED_MODULE_2__.dirname(absolute);
    const made = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)(folder, { recursive: true });
    const part = partFileName(absolute);
    let saved = false;
    try {
        // Made just now: what exists must still be inside the workspace.
        await checkTarget(workspace, relative, input);
        try {
            // COPYFILE_EXCL: never writes through what is already there (a planted link included).
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.copyFile)(source, part, node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.COPYFILE_EXCL);
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rename)(part, absolute);
            saved = true;
        }
        catch (error) {
            throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ActionError */ .l(`Could not save the dataset ZIP to ${relative}: ${error.message}`, `Check that the runner may write to the folder of \`${input}\` and has room for the ZIP.`);
        }
    }
    finally {
        if (!saved) {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(part, { force: true }).catch(() => undefined);
            if (made)
                await removeEmptyFolders(folder, made);
        }
    }
}


/***/ })

};
