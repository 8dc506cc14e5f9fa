export const id = 486;
export const ids = [486];
export const modules = {

/***/ 7486:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createProvider: () => (/* binding */ createProvider)
/* harmony export */ });
async function createProvider({ config, retry, repository, }) {
    switch (config.provider) {
        case 'segmind': {
            const [{ SegmindClient }, { SegmindProvider }] = await Promise.all([
                __webpack_require__.e(/* import() */ 373).then(__webpack_require__.bind(__webpack_require__, 8373)),
                __webpack_require__.e(/* import() */ 75).then(__webpack_require__.bind(__webpack_require__, 9075)),
            ]);
            return new SegmindProvider(new SegmindClient(config.apiUrl, config.apiKey, retry), retry);
        }
        case 'fal': {
            const { FalProvider } = await __webpack_require__.e(/* import() */ 549).then(__webpack_require__.bind(__webpack_require__, 8549));
            return new FalProvider({
                apiUrl: config.apiUrl,
                apiKey: config.apiKey,
                retry,
                settings: config.settings,
            });
        }
        case 'replicate': {
            const { ReplicateProvider } = await __webpack_require__.e(/* import() */ 173).then(__webpack_require__.bind(__webpack_require__, 2173));
            return new ReplicateProvider({
                apiUrl: config.apiUrl,
                apiKey: config.apiKey,
                retry,
                settings: config.settings,
                repository,
            });
        }
    }
}


/***/ })

};
