/**
 * Types for the fal simulator (fal-simulator.js): a loopback stand-in for fal's queue, storage,
 * request history and CDN. The JavaScript stays plain so that `npm run demo` runs without a
 * build; these declarations keep the TS tests honest.
 */
import type { Fault as BaseFault, MalformedKind } from './segmind-simulator.js';

export { modelFile } from './segmind-simulator.js';

export type { MalformedKind };

export interface RecordedRequest {
  server: 'api' | 'storage' | 'cdn';
  method: string;
  /** Path and query as sent. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body as received (at most the server's body cap). */
  body: Buffer;
}

export interface FalSimulatorOptions {
  /** Default 'fal-sim-key'; every API request needs `Authorization: Key <it>`. */
  apiKey?: string;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Every server speaks https with this key and certificate. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** With `tls`: the host name URLs carry (one a test's proxy resolves), instead of `host`. */
  hostName?: string;
  /** Port of the API server (queue, storage API, history); default 0. */
  port?: number;
  /** How many status calls a request stays queued, then running; default 1. */
  pollsPerStatus?: number;
  /** Size in bytes of every trained LoRA file; default 65,536 (generated, costs no memory). */
  modelBytes?: number;
  /** How long a completed request's result is kept; default one hour, as fal documents. */
  resultTtlMs?: number;
  /** List requests that have not ended in the history too (fal lists ended ones). */
  historyShowsPending?: boolean;
  /** Refuse a history `start` further back than this many days (400), as fal might. */
  historyStartLimitDays?: number;
  /**
   * How an upload's `file_url` ends: `'id-prefixed'` (default) is `/files/<word>/<21-character
   * id>_<file name>`, the shape of fal's CDN URLs as they are seen; `'name'` is the file name
   * alone after a folder, the shape of the contract's one example; `'id-only'` drops the name
   * (`/files/<word>/<id>.zip`), as fal's URLs of files made without one are.
   */
  uploadUrlShape?: 'id-prefixed' | 'name' | 'id-only';
  log?: (line: string) => void;
}

export type FalEndpointKey =
  | 'submit'
  | 'status'
  | 'result'
  | 'cancel'
  | 'history'
  | 'initiate'
  /** A PUT to the storage host (a whole upload or one part). */
  | 'upload'
  /** The POST that completes a multipart upload. */
  | 'complete'
  /** A GET of the CDN (an uploaded ZIP, a trained LoRA file). */
  | 'file';

export interface FalFault extends Omit<BaseFault, 'expire'> {
  /** Headers of the fault's own answer. */
  headers?: Record<string, string>;
  /** Submit with afterCommit: the lost answer still carries the new request's x-fal-request-id. */
  requestIdHeader?: boolean;
}

export interface FalBehaviour {
  /** Stay IN_PROGRESS for ever. */
  neverFinish?: boolean;
  /**
   * A cancel while IN_PROGRESS is passed to the trainer, which goes on to its end (fal: "the app
   * decides; it may still finish and be billed"). Default: it stops at the next poll.
   */
  finishesDespiteCancel?: boolean;
  /** End COMPLETED with this error (and a 500 result). */
  errorMessage?: string;
  errorType?: string;
  /** How long this request's result is kept. */
  resultTtlMs?: number;
}

export interface FalRequest {
  request_id: string;
  endpoint_id: string;
  /** The submit's body, as received. */
  input: Record<string, unknown>;
  status: 'IN_QUEUE' | 'IN_PROGRESS' | 'COMPLETED';
  sent_at: string;
  started_at: string | null;
  ended_at: string | null;
  status_code: number | null;
  output: Record<string, unknown> | null;
  error: string | null;
  error_type: string | null;
  /** How many status calls asked about it. */
  statusCalls: number;
  cancelRequested: boolean;
  modelBytes: number;
}

export interface FalSimulator {
  /** The API base: queue, storage API and history all answer here. */
  url: string;
  /** The host signed upload URLs point at (not fal's API: it must never get the key). */
  storageUrl: string;
  /** The CDN that serves uploads and trained files (public: it must never get the key). */
  cdnUrl: string;
  requests: RecordedRequest[];
  /** By request_id. */
  queue: Map<string, FalRequest>;
  /** CDN path -> file. */
  files: Map<string, { body?: Buffer; model?: string; size?: number; contentType?: string }>;
  /** True once the key reached the storage host or the CDN. */
  readonly keyLeaked: boolean;
  /** Seeds a request as if sent earlier (`status: 'COMPLETED'` completes it at once). */
  addRequest(
    endpoint: string,
    input: Record<string, unknown>,
    extra?: Partial<FalRequest> & { behaviour?: FalBehaviour },
  ): FalRequest;
  /** A file on the CDN (a public dataset ZIP); returns its URL. */
  addFile(path: string, body: Buffer, contentType?: string): string;
  injectFault(endpoint: FalEndpointKey, fault: FalFault): void;
  /** The behaviour of requests submitted afterwards; {} restores the normal walk. */
  setBehaviour(b: FalBehaviour): void;
  /** Runs every request that has not ended to its end (neverFinish ones stay), as time would. */
  finishAll(): void;
  /** Moves the simulator's clock forward: results expire, history windows move. */
  advanceClock(ms: number): void;
  close(): Promise<void>;
}

export function startFalSimulator(options?: FalSimulatorOptions): Promise<FalSimulator>;

export const TRAINERS: Readonly<Record<string, { dataField: string; minImages: number }>>;
