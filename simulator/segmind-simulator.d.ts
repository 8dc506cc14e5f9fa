/**
 * Types for the Segmind simulator (segmind-simulator.js), a loopback stand-in for Segmind's Flux
 * Pro fine-tune API, its pre-signed upload storage and a public ZIP host. The JavaScript stays
 * plain so that `npm run demo` runs without a build; these declarations keep the TS tests honest.
 */

export interface SimulatorOptions {
  /** Default 'sim-key'; every Segmind request needs header x-api-key equal to it. */
  apiKey?: string;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Port of the API server; default 0 (any free port). Storage and public hosts always use any. */
  port?: number;
  /** Default 1: how many details calls a job stays in each status before moving on. */
  pollsPerStatus?: number;
  /** When given, the public ZIP host serves https with this key and certificate. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** With `tls`, the API serves https too (default: plain http, allowed on loopback only). */
  apiTls?: boolean;
  /**
   * Which key carries the new job's id in the submit answer. Default 'finetune_id' (the Flux
   * page); some Segmind pages document 'request_id', so clients should accept either.
   */
  submitIdField?: 'finetune_id' | 'request_id';
  /**
   * Size in bytes of every trained model's file (a job can set its own with `modelBytes`);
   * default 65,536. The file is generated on the fly, so any size costs no memory.
   */
  modelBytes?: number;
  /** Request log sink, one line per request, paths without query strings. Default: silent. */
  log?: (line: string) => void;
}

export interface RecordedRequest {
  server: 'api' | 'storage' | 'public';
  method: string;
  /** Path and query as sent. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body as received (at most the server's body cap). */
  body: Buffer;
}

export interface Fault {
  status?: number;
  retryAfter?: string;
  /** JSON-encoded unless a string or Buffer (sent as text/plain). */
  body?: unknown;
  /** Destroy the socket without an answer. */
  reset?: boolean;
  /** Wait this long, then answer normally unless status, reset or afterCommit is given. */
  delayMs?: number;
  /** How many calls of the endpoint this fault applies to; default 1. */
  times?: number;
  /**
   * Submit only: create the job, THEN answer with `status` (default 502) or reset: the answer is
   * lost but the job exists. A submit that fails validation gets its normal error instead.
   */
  afterCommit?: boolean;
  /** 'model' only: the pre-signed URL expires now (403 AccessDenied "Request has expired", and on every later use). */
  expire?: boolean;
  /** 'model' only: send the headers and this many bytes of the body, then drop the connection. */
  resetAfterBytes?: number;
  /** 'model' only: send the headers and this many bytes of the body, then nothing more. */
  stallAfterBytes?: number;
  /** 'model' only: answer 200 with the whole file even to a Range request. */
  ignoreRange?: boolean;
  /**
   * Cut the answer short: its headers promise the whole body (Content-Length), only this many
   * bytes of it arrive (true: a third), then the connection is destroyed. Without status, body,
   * message, malformed or gatewayPage it is the endpoint's real answer that is cut, so a
   * read-only request was served, an upload stored, and (with afterCommit) a submitted job
   * created. A HEAD answer is cut inside its headers.
   */
  truncate?: boolean | number;
  /**
   * Answer `status` (default 200) with a body that is not the JSON the endpoint documents: text
   * that is not JSON, `null`, `{}`, `[]`, or an HTML page. With afterCommit on submit, the job is
   * created first.
   */
  malformed?: MalformedKind;
  /** Answer `status` (default 502) with a gateway's HTML error page (nginx style). */
  gatewayPage?: boolean;
  /** The message of the fault's JSON (or XML) error body, instead of "Simulated fault (HTTP n)". */
  message?: string;
}

export type MalformedKind = 'not-json' | 'null' | 'empty-object' | 'empty-array' | 'html';

export type EndpointKey =
  | 'submit'
  | 'details'
  | 'list'
  | 'presign'
  | 'access'
  | 'download'
  | 'upload'
  | 'head'
  /** The storage host's GET of a trained model (its pre-signed download URL). */
  | 'model';

export interface JobBehaviour {
  /** Stay at TRAINING_INITIATED forever. */
  neverFinish?: boolean;
  /** Set error_message when the job reaches errorAtStatus, keeping that (normal) status; the job then stops. */
  errorMessage?: string;
  /** Default TRAINING_INITIATED. */
  errorAtStatus?: string;
  /** Switch to this status (e.g. 'FAILED') in place of errorAtStatus, with error_message set. */
  failStatus?: string;
  /** Inserted after DATA_PROCESSING. */
  unknownStatuses?: string[];
  /**
   * The record gets its cloud_storage_url only once this many details calls have asked about it,
   * whatever its status (Infinity: never): a job at TRAINING_COMPLETED whose file is not out yet.
   */
  modelUrlAfterPolls?: number;
}

export interface JobRecord {
  /** A record id that is NOT the finetune_id (details takes the finetune_id). */
  id: string;
  finetune_id: string;
  name: string;
  data_source_path: string;
  instance_prompt: string;
  trigger_word: string;
  base_model: string;
  theme: string;
  segmind_public: boolean;
  advance_parameters: Record<string, unknown>;
  /** 'AWS_S3' for an uploaded ZIP, 'PUBLIC_URL' for a public one. */
  source_type: string;
  status: string;
  error_message: string | null;
  cloud_storage_url: string | null;
  slug: string | null;
  created_ts: string;
  updated_ts: string;
  /** The submit body exactly as received (parsed JSON); null for jobs seeded with addJob. */
  submitted: Record<string, unknown> | null;
  /** How many details calls asked about this job. */
  detailsCalls: number;
  /** The statuses this job walks through, in order. */
  statuses: string[];
  /** Size of the trained model's file (see SimulatorOptions.modelBytes). */
  modelBytes: number;
}

export interface Simulator {
  /** Segmind API base, e.g. http://127.0.0.1:PORT */
  url: string;
  /** The pre-signed storage host: a separate server, not Segmind. */
  storageUrl: string;
  /** The public ZIP host (https when tls was given). */
  publicUrl: string;
  /** Every request to every server, in order of arrival (recorded once its body is read). */
  requests: RecordedRequest[];
  /** By finetune_id. */
  jobs: Map<string, JobRecord>;
  /** s3_url -> uploaded bytes, for uploads that passed every check. */
  uploads: Map<string, Buffer>;
  /** True once any storage request carried an x-api-key header. */
  readonly apiKeyLeakedToStorage: boolean;
  /** True once any public-host request carried an x-api-key header. */
  readonly apiKeyLeakedToPublic: boolean;
  /** Seed an existing job (status defaults to AVAILABLE). */
  addJob(partial: Partial<JobRecord> & { name: string; modelUrlAfterPolls?: number }): JobRecord;
  /** Returns the file's URL on publicUrl. */
  addPublicFile(
    path: string,
    body: Buffer,
    opts?: { omitContentLength?: boolean; headStatus?: number },
  ): string;
  /** Applies to the next `times` (default 1) calls of that endpoint; faults queue in order. */
  injectFault(endpoint: EndpointKey, fault: Fault): void;
  /** Replaces the behaviour for jobs submitted afterwards; {} restores the normal walk. */
  setJobBehaviour(b: JobBehaviour): void;
  /** Every URL issued so far now answers 403 AccessDenied "Request has expired". */
  expirePresignedUrls(): void;
  close(): Promise<void>;
}

export function startSimulator(options?: SimulatorOptions): Promise<Simulator>;

/** The documented order of statuses. */
export const STATUS_ORDER: readonly string[];

/** 100,000,000: a dataset ZIP must be smaller. */
export const ZIP_SIZE_LIMIT: number;

export interface ZipEntryInfo {
  name: string;
  /** 0 stored, 8 deflate. */
  method: number;
  compressedSize: number;
  size: number;
  crc32: number;
}

/**
 * Reads and checks a dataset ZIP the way the storage host does: End Of Central Directory (and
 * ZIP64) records, central directory, local headers, bounds and CRC-32s; every entry at the root
 * (no '/'), no duplicates, no encryption, stored or deflate only. Throws an Error naming the
 * defect. Does not require an image entry (the upload check adds that).
 */
export function inspectZip(buf: Buffer): ZipEntryInfo[];

/** A trained model's file as the storage host serves it: generated, never held in memory. */
export interface ModelFile {
  size: number;
  /** The bytes [start, end) as views of at most `chunkBytes` (default 1 MiB). */
  chunks(start?: number, end?: number, chunkBytes?: number): Generator<Buffer>;
  /** sha256 of the whole file, hex. */
  sha256(): string;
}

/** The file the storage host serves for a job's model: a safetensors header, then seeded bytes. */
export function modelFile(finetuneId: string, size?: number): ModelFile;

/**
 * A Range header against a file of `size` bytes: {start, end} (end exclusive), 'unsatisfiable'
 * (416), or null to serve the whole file.
 */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | null;

/** Parses a multipart/form-data body into its fields; throws on malformed framing. */
export function parseMultipart(body: Buffer, contentType: string | undefined): Map<string, string>;
