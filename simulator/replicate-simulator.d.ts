/**
 * Types for the Replicate simulator (replicate-simulator.js), a loopback stand-in for Replicate's
 * API (account, models, Files API, trainings of ostris/flux-dev-lora-trainer, their weights) and
 * a public host for `dataset-url` ZIPs. The JavaScript stays plain so that `npm run demo` runs
 * without a build; these declarations keep the TS tests honest.
 */
import type { MalformedKind } from './segmind-simulator.js';

export type { MalformedKind };

export interface ReplicateSimulatorOptions {
  /**
   * The API token every request needs (`Authorization: Bearer <token>` or `Token <token>`);
   * `apiKey`, as the other simulators name their key.
   */
  apiKey?: string;
  /** The account the token belongs to (`GET /v1/account`); default 'sim-user'. */
  username?: string;
  accountType?: 'user' | 'organization';
  accountName?: string;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Port of the API server; default 0 (any free port). The public host always uses any. */
  port?: number;
  /** Default 1: how many GETs of a training it stays in `starting` and in `processing`. */
  pollsPerStatus?: number;
  /** Items a list page holds (trainings, files); default 100, as Replicate's. */
  pageSize?: number;
  /** Size of the LoRA inside each training's weights tar; default 65,536 bytes. */
  modelBytes?: number;
  /** The trainer's latest version id; default TRAINER_VERSION. */
  trainerVersion?: string;
  /** Older versions of the trainer, which a training may still name. */
  olderTrainerVersions?: string[];
  /**
   * What cancelling a training that has finished does (Replicate's answer is not documented):
   * 'unchanged' (200, the training as it is; the default) or 'refuse' (409 problem+json).
   */
  cancelTerminal?: 'unchanged' | 'refuse';
  /**
   * Default true: a training input the trainer's schema refuses is a 422 at create. False: the
   * training is created and fails as it starts ("Prediction input failed validation: ..."), the
   * other behaviour seen in the wild.
   */
  validateAtCreate?: boolean;
  /**
   * List items leave out `input` as well as `logs` (the contract says they may): a training's
   * input is then seen only by reading the training itself.
   */
  listOmitsInput?: boolean;
  /** When given, the public ZIP host serves https with this key and certificate. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Request log sink, one line per request, paths without query strings. Default: silent. */
  log?: (line: string) => void;
}

export interface RecordedRequest {
  server: 'api' | 'public';
  method: string;
  /** Path and query as sent. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body as received (at most the server's body cap). */
  body: Buffer;
}

export interface Fault {
  status?: number;
  /** Seconds (as Retry-After spells it). A 429 without a message gets '1' and Replicate's text. */
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
   * 'submit', 'upload', 'createModel' and 'cancel': do the work (the training, the file, the
   * model exists; the training is cancelled), THEN answer with `status` (default 502), reset,
   * cut or malformed: the answer is lost. A request the simulator refuses gets its normal error.
   */
  afterCommit?: boolean;
  /**
   * 'submit' only: answer with `status` (default 502) at once, and create the training only once
   * the next trainings list has been answered: a create still under way when its answer was lost.
   */
  commitAfterNextList?: boolean;
  /** 'weights' only: send the headers and this many bytes of the body, then drop the connection. */
  resetAfterBytes?: number;
  /** 'weights' only: send the headers and this many bytes of the body, then nothing more. */
  stallAfterBytes?: number;
  /** 'weights' only: answer 200 with the whole tar even to a Range request. */
  ignoreRange?: boolean;
  /** Cut the answer short (see the Segmind simulator's Fault.truncate). */
  truncate?: boolean | number;
  /** Answer `status` (default 200) with a body that is not the JSON the endpoint documents. */
  malformed?: MalformedKind;
  /** Answer `status` (default 502) with a gateway's HTML error page (nginx style). */
  gatewayPage?: boolean;
  /** The `detail` of the fault's problem+json body, instead of "Simulated fault (HTTP n)". */
  message?: string;
}

export type EndpointKey =
  | 'account'
  /** GET /v1/models/{owner}/{name} (the trainer, the destination) and its versions. */
  | 'model'
  | 'createModel'
  /** POST /v1/files. */
  | 'upload'
  /** GET /v1/files, GET and DELETE /v1/files/{id}. */
  | 'files'
  /** POST /v1/models/{owner}/{name}/versions/{id}/trainings. */
  | 'submit'
  /** GET /v1/trainings/{id} (and /v1/predictions/{id}). */
  | 'training'
  /** GET /v1/trainings. */
  | 'list'
  | 'cancel'
  /** GET of a training's weights tar. */
  | 'weights'
  /** HEAD on the public ZIP host. */
  | 'head';

export interface TrainingBehaviour {
  /** Fail in `processing` with this `error`. */
  failWith?: string;
  /** Stay in `processing` for ever. */
  neverFinish?: boolean;
  /** Stay in `starting` for ever (no worker). */
  stayStarting?: boolean;
  /** `succeeded` with `output.weights` null until this many GETs of the training. */
  weightsAfterPolls?: number;
  /** Size of the LoRA in the tar. */
  modelBytes?: number;
  /** The .safetensors files in the tar: one (the default), none, or two. */
  loras?: 'one' | 'none' | 'two';
}

/** A training as Replicate shows it (GET /v1/trainings/{id}). */
export interface TrainingShape {
  id: string;
  model: string;
  version: string;
  input: Record<string, unknown>;
  logs?: string;
  output: { version: string; weights: string | null } | null;
  error: string | null;
  status: string;
  source: string;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  metrics: Record<string, number>;
  urls: { web: string; get: string; cancel: string };
}

/** The simulator's own record of a training (what Replicate knows and does not show). */
export interface TrainingRecord {
  id: string;
  version: string;
  input: Record<string, unknown>;
  /** `owner/name`: where the version goes (Replicate does not show it). */
  destination: string;
  status: string;
  error: string | null;
  output: { version: string; weights: string | null } | null;
  logs: string;
  created_at: string;
  /** GETs of this training so far. */
  gets: number;
  /** The create body exactly as received (parsed JSON); null for seeded trainings. */
  submitted: Record<string, unknown> | null;
  /** The image entries the trainer found in the dataset ZIP. */
  images: string[];
}

export interface FileShape {
  id: string;
  name: string;
  content_type: string;
  size: number;
  etag: string;
  checksums: { sha256: string; md5: string };
  metadata: Record<string, unknown>;
  created_at: string;
  expires_at: string;
  urls: { get: string };
}

export interface ModelRecord {
  owner: string;
  name: string;
  visibility: 'public' | 'private';
  hardware: string;
  description: string | null;
  versions: { id: string; created_at: string }[];
}

export interface ReplicateSimulator {
  /** The API base, e.g. http://127.0.0.1:PORT (paths start with /v1); also serves the weights. */
  url: string;
  /** The public ZIP host (https when tls was given). */
  publicUrl: string;
  token: string;
  username: string;
  /** Every request to every server, in order of arrival. */
  requests: RecordedRequest[];
  /** By `owner/name`; the trainer is there from the start. */
  models: Map<string, ModelRecord>;
  /** By id, expired and deleted ones too. */
  files: Map<string, { record: FileShape; data: Buffer; deleted: boolean }>;
  /** By id. */
  trainings: Map<string, TrainingRecord>;
  /** True once a request to the public host carried the token. */
  readonly tokenLeakedToPublic: boolean;
  /** True once a request to the public host carried any Authorization header. */
  readonly authorizationSentToPublic: boolean;
  addModel(
    name: string,
    fields?: { visibility?: 'public' | 'private'; description?: string },
  ): ModelRecord;
  /**
   * Seeds a training made earlier (created a minute ago unless `created_at` says when): status
   * 'succeeded' gets its version and weights, 'failed' its error.
   */
  addTraining(fields?: {
    id?: string;
    /** Another model's training (the list holds every model's); default the trainer. */
    model?: string;
    status?: string;
    input?: Record<string, unknown>;
    destination?: string;
    error?: string;
    created_at?: string;
    version?: string;
    walk?: TrainingBehaviour;
  }): TrainingShape;
  /** Seeds an uploaded file (created now unless `createdAt`, in ms, says when). */
  addFile(
    name: string,
    data: Buffer | string,
    fields?: { contentType?: string; createdAt?: number },
  ): FileShape;
  /** Returns the file's URL on publicUrl. */
  addPublicFile(path: string, body: Buffer): string;
  /** The training as GET would show it, without counting as a GET. */
  trainingShape(id: string): TrainingShape | undefined;
  /** The weights of a training: the tar, and the LoRA in it. */
  weights(id: string): {
    tar: { size: number; sha256: string; bytes(): Buffer };
    lora: { size: number; sha256: string };
  };
  /** Applies to the next `times` (default 1) calls of that endpoint; faults queue in order. */
  injectFault(endpoint: EndpointKey, fault: Fault): void;
  /** Replaces the behaviour of trainings created afterwards; {} restores the normal walk. */
  setTrainingBehaviour(b: TrainingBehaviour): void;
  /** Moves the simulator's clock on: files expire 24 hours after upload. */
  advanceClock(ms: number): void;
  close(): Promise<void>;
}

export function startReplicateSimulator(
  options?: ReplicateSimulatorOptions,
): Promise<ReplicateSimulator>;

export const TRAINER: string;
export const TRAINER_VERSION: string;
export const LORA_MEMBER: string;
export const FILE_LIFETIME_MS: number;
export const FILE_SIZE_LIMIT: number;

/** A generated file: its size, its bytes in chunks, its sha256. */
export interface GeneratedFile {
  size: number;
  chunks(start?: number, end?: number, chunkBytes?: number): Generator<Buffer>;
  sha256(): string;
}

/** A ustar archive of `members`, generated as it is read. */
export function tarArchive(
  members: (
    | { name: string; data: Buffer }
    | { name: string; file: GeneratedFile }
    | {
        name: string;
        folder: true;
      }
  )[],
  mtime?: number,
): GeneratedFile;
