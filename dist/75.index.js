export const id = 75;
export const ids = [75];
export const modules = {

/***/ 9075:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  SegmindProvider: () => (/* binding */ SegmindProvider),
  findReusable: () => (/* binding */ findReusable),
  segmindJob: () => (/* binding */ segmindJob)
});

// EXTERNAL MODULE: ./src/providers/provider.ts
var provider = __webpack_require__(9545);
;// CONCATENATED MODULE: ./src/providers/segmind/job.ts
/** The documented order of a job's statuses; DEPLOYING is another page's name for INFERENCE_QUEUED. */
const STATUS_ORDER = [
    'REQUESTED',
    'DATA_PROCESSING',
    'TRAINING_INITIATED',
    'TRAINING_COMPLETED',
    'INFERENCE_QUEUED',
    'AVAILABLE',
];
function statusRank(status) {
    const normalized = status.toUpperCase() === 'DEPLOYING' ? 'INFERENCE_QUEUED' : status.toUpperCase();
    return STATUS_ORDER.indexOf(normalized);
}
/** No failure status is documented; these are the words one would use. */
function isFailureStatus(status) {
    return /FAIL|ERROR|CANCEL|REJECT|ABORT/i.test(status);
}
/** Segmind's error_message when the record has one. */
function recordError(record) {
    const message = record.error_message;
    return typeof message === 'string' && message.trim() !== '' ? message.trim() : undefined;
}

// EXTERNAL MODULE: ./src/shared/errors.ts
var errors = __webpack_require__(8382);
;// CONCATENATED MODULE: ./src/providers/segmind/weights.ts
/**
 * Where a Segmind fine-tune's weights are: its record's `cloud_storage_url`, for which Segmind
 * hands out a pre-signed download URL (a fresh one after a 403).
 */


/** The record's `cloud_storage_url`, when it has one. */
function modelUrlOf(record) {
    const url = record.cloud_storage_url;
    return typeof url === 'string' && url.trim() !== '' ? url.trim() : undefined;
}
/** The weights of `record`, or an error saying why there are none yet. */
function segmindModelSource(client, record, finetuneId) {
    const cloudStorageUrl = modelUrlOf(record);
    if (!cloudStorageUrl) {
        const status = typeof record.status === 'string' ? record.status : 'unknown';
        throw new errors/* ActionError */.l(`Fine-tune ${finetuneId} has no trained model to download: its record has no cloud_storage_url (status ${status}).`, statusRank(status) >= statusRank('TRAINING_COMPLETED')
            ? 'The job has trained, but Segmind has not published its file yet. Run `command: download` again later, or add `wait-for: TRAINING_COMPLETED` to this step: the wait goes on until the record has a cloud_storage_url.'
            : 'A model can be downloaded once its job reaches TRAINING_COMPLETED. Wait for it in the same step with `wait-for: TRAINING_COMPLETED` (or AVAILABLE), or run `command: download` later.');
    }
    return {
        provider: 'Segmind',
        refreshable: true,
        link: async () => ({ url: await client.downloadUrl(cloudStorageUrl) }),
    };
}

;// CONCATENATED MODULE: ./src/providers/segmind/provider.ts



/** A Segmind record as a job; `id` is the id it was asked for by, when it was. */
function segmindJob(record, id = idOf(record)) {
    const status = typeof record.status === 'string' ? record.status : '';
    const rank = statusRank(status);
    const url = record.cloud_storage_url;
    return {
        id,
        name: typeof record.name === 'string' && record.name ? record.name : undefined,
        status,
        stage: isFailureStatus(status) ? 'failed' : rank >= 0 ? provider/* STAGE_ORDER */.yZ[rank] : 'unknown',
        error: recordError(record),
        modelUrl: typeof url === 'string' && url ? url : undefined,
        slug: typeof record.slug === 'string' && record.slug ? record.slug : undefined,
        record,
    };
}
/** The id details takes: `finetune_id`, or `id` where a record has no other. */
function idOf(record) {
    const id = record.finetune_id ?? record.id;
    return typeof id === 'string' || typeof id === 'number' ? String(id) : '';
}
/** The submit body, exactly as Segmind documents it. */
function submitRequest(plan) {
    const s = plan.settings;
    return {
        name: plan.name,
        data_source_path: plan.dataUrl,
        instance_prompt: s.instancePrompt,
        trigger_word: s.triggerWord,
        base_model: s.baseModel,
        theme: s.theme,
        segmind_public: s.isPublic,
        advance_parameters: {
            iterations: s.iterations,
            captioning: s.captioning,
            priority: setting(s.priority, 'priority'),
            finetune_type: setting(s.finetuneType, 'finetuneType'),
            lora_rank: setting(s.loraRank, 'loraRank'),
            learning_rate: setting(s.learningRate, 'learningRate'),
        },
    };
}
/**
 * A setting Segmind's offer always fills in (its defaults depend on other settings, such as the
 * learning rate on the fine-tune type): missing here is a bug, never a reason to guess a default.
 */
function setting(value, name) {
    if (value === undefined)
        throw new Error(`the Segmind submit has no ${name}: its offer sets one`);
    return value;
}
function idlessByName(records) {
    const counts = new Map();
    for (const r of records) {
        if (idOf(r) === '' && typeof r.name === 'string') {
            counts.set(r.name, (counts.get(r.name) ?? 0) + 1);
        }
    }
    return counts;
}
/** A job of this name that has not failed: training it again would pay twice for the same model. */
function findReusable(records, name) {
    return records.find((r) => r.name === name &&
        idOf(r) !== '' &&
        !recordError(r) &&
        !(typeof r.status === 'string' && isFailureStatus(r.status)));
}
class SegmindProvider {
    client;
    retry;
    name = 'segmind';
    label = 'Segmind';
    knownStatuses = STATUS_ORDER;
    weightsName = 'cloud_storage_url';
    /** The ids listed before the submit: a job among them was not created by it. */
    known = new Set();
    /** Records listed before the submit without an id, by name (they cannot be told apart). */
    idless = new Map();
    constructor(client, retry) {
        this.client = client;
        this.retry = retry;
    }
    async findReusable(plan) {
        const records = await this.client.list();
        this.known = new Set(records.map(idOf));
        this.idless = idlessByName(records);
        const found = findReusable(records, plan.name);
        return found && segmindJob(found);
    }
    async upload(zip) {
        const { uploadZip } = await __webpack_require__.e(/* import() */ 687).then(__webpack_require__.bind(__webpack_require__, 6687));
        return uploadZip(this.client, zip.fileName, zip.path, zip.bytes, this.retry);
    }
    async submit(plan) {
        const answer = await this.client.submit(submitRequest(plan));
        const status = answer.status ?? 'REQUESTED';
        return {
            id: answer.finetuneId,
            name: answer.name ?? plan.name,
            status,
            stage: 'queued',
            record: answer,
        };
    }
    /**
     * The list, asked again: a job of this name that was not there before (`known`) is this run's
     * own. A job that was there before never counts: it was not adopted for a reason (it failed).
     */
    async afterLostSubmit(plan) {
        const records = await this.client.list();
        const appeared = records.find((r) => r.name === plan.name && idOf(r) !== '' && !this.known.has(idOf(r)));
        if (appeared)
            return { found: segmindJob(appeared) };
        // A new record of this name without an id may be the job, but cannot be followed or told
        // from another: neither adopted nor sent again.
        const idless = idlessByName(records).get(plan.name) ?? 0;
        if (idless > (this.idless.get(plan.name) ?? 0)) {
            return {
                found: 'unknown',
                why: `Segmind's list now shows a job named ${plan.name} without an id`,
                hint: this.inFlightAdvice(plan.name),
            };
        }
        return {
            found: 'none',
            log: `No job named ${plan.name} was created`,
            gaveUp: `the list shows no job named ${plan.name}, so none was created and a re-run is safe`,
        };
    }
    async get(id) {
        return segmindJob(await this.client.details(id), id);
    }
    async list() {
        const records = await this.client.list();
        return { raw: records, jobs: records.map((r) => segmindJob(r)) };
    }
    async setAccess(id, isPublic) {
        await this.client.setAccess(id, isPublic);
    }
    modelSource(job) {
        return segmindModelSource(this.client, job.record, job.id);
    }
    targetWord(waitFor) {
        return waitFor;
    }
    inFlightAdvice(name) {
        return `The submit of job ${name} had been sent but not answered, so the job may exist at Segmind. Re-run with the same dataset and settings: the run finds a job of that name and adopts it instead of training twice (\`command: list\` shows it).`;
    }
}


/***/ })

};
