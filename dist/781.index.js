export const id = 781;
export const ids = [781];
export const modules = {

/***/ 781:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ReplicateProvider: () => (/* binding */ ReplicateProvider)
/* harmony export */ });
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8382);

/** Replicate behind the provider seam: not built yet. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
class ReplicateProvider {
    constructor(_options) {
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .l('`provider: replicate` is not available yet.', 'Use `provider: fal`.');
    }
}


/***/ })

};
