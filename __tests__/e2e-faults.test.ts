import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../scripts/action-runner.js';
import type { Simulator } from '../simulator/segmind-simulator.js';
import {
  API_KEY,
  apiRequests,
  failureOf,
  run,
  sampleDataset,
  simulator,
  visible,
  workspace,
} from './helpers/e2e.js';
import { until } from './helpers/until.js';

// Every test here runs dist/index.js against the simulator with one class of fault injected and
// checks the outcome, and that the account holds exactly as many jobs as it should: one, or none
// when the run failed before its submit. The harness sets SEGMIND_ACTION_RETRY_BASE_MS=10, so
// backoffs take milliseconds; Retry-After is honoured as sent.

const SUBMIT = 'POST /finetune/request/submit';
const LIST = 'GET /finetune/request/list';
const PRESIGN = 'GET /finetune/request/upload/pre-signed-url';
const DETAILS = 'GET /finetune/request/details';

/** S3's answer to an expired pre-signed URL. */
const EXPIRED_XML =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>';

function count(sim: Simulator, request: string): number {
  return apiRequests(sim).filter((r) => r === request).length;
}

function puts(sim: Simulator) {
  return sim.requests.filter((r) => r.server === 'storage' && r.method === 'PUT');
}

function onlyJob(sim: Simulator) {
  expect(sim.jobs.size).toBe(1);
  return [...sim.jobs.values()][0]!;
}

/** No credential anywhere a user could read: log, errors, summary. */
function expectNoSecrets(result: RunResult, sim: Simulator): void {
  const shown = `${visible(result)}\n${result.stderr}\n${result.summary}`;
  expect(shown).not.toContain(API_KEY);
  expect(shown).not.toMatch(/X-Amz-(Signature|Credential)/i);
  for (const r of sim.requests.filter((q) => q.server === 'storage')) {
    const signature = new URL(r.path, sim.storageUrl).searchParams.get('X-Amz-Signature');
    if (signature) expect(shown).not.toContain(signature);
  }
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('faults at Segmind, end to end', () => {
  describe('retries of API calls', () => {
    it('rides out 5xx answers with backoff', async () => {
      const sim = await simulator();
      sim.injectFault('list', { status: 503, times: 2 });
      sim.injectFault('presign', { status: 500 });
      const result = await run(sim, await workspace(sampleDataset()));
      expect(result.code, result.stdout).toBe(0);
      expect(count(sim, LIST)).toBe(3);
      expect(count(sim, PRESIGN)).toBe(2);
      expect(result.stdout).toMatch(
        /Segmind GET \/finetune\/request\/list failed \(.*HTTP 503.*\); attempt 2 of 5 in/,
      );
      expect(result.stdout).toMatch(/attempt 3 of 5 in/);
      onlyJob(sim);
    });

    it('honours Retry-After on a 429', async () => {
      const sim = await simulator();
      sim.injectFault('presign', {
        status: 429,
        retryAfter: '1',
        body: { message: 'Too many requests' },
      });
      const result = await run(sim, await workspace(sampleDataset()));
      expect(result.code, result.stdout).toBe(0);
      // With a 10 ms base the backoff alone would be at most 10 ms: the 1 s is Segmind's.
      expect(result.stdout).toMatch(
        /pre-signed-url failed \(.*HTTP 429: Too many requests\); attempt 2 of 5 in 1\.0 s \(as Retry-After asked\)/,
      );
      expect(count(sim, PRESIGN)).toBe(2);
      onlyJob(sim);
    });

    it('gives up at once when Retry-After asks for longer than the retry budget', async () => {
      const sim = await simulator();
      sim.injectFault('list', { status: 429, retryAfter: '3600', body: { message: 'Slow down' } });
      const result = await run(sim, await workspace(sampleDataset()));
      expect(result.code).toBe(1);
      expect(count(sim, LIST)).toBe(1);
      expect(failureOf(result)).toMatch(
        /list answered HTTP 429: Slow down \(Retry-After asked to wait 3600 s, longer than this action retries for\)\n.*rate-limiting this key/,
      );
      expect(sim.jobs.size).toBe(0);
    });

    it('rides out connection resets', async () => {
      const sim = await simulator();
      sim.injectFault('list', { reset: true });
      sim.injectFault('presign', { reset: true, times: 2 });
      const result = await run(sim, await workspace(sampleDataset()));
      expect(result.code, result.stdout).toBe(0);
      expect(count(sim, PRESIGN)).toBe(3);
      onlyJob(sim);
    });

    it('stops after a bounded number of attempts when Segmind cannot be reached, saying so', async () => {
      const port = await closedPort();
      const result = await run(undefined, await workspace(sampleDataset()), {
        'api-url': `http://127.0.0.1:${port}`,
        'api-key': API_KEY,
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/attempt 5 of 5/);
      expect(result.stdout).not.toMatch(/attempt 6 of/);
      expect(failureOf(result)).toMatch(
        new RegExp(
          `Segmind GET /finetune/request/list failed: .*ECONNREFUSED.* \\(no answer from 127\\.0\\.0\\.1:${port}\\) \\(gave up after 5 attempts\\)\\n.*network problem`,
        ),
      );
    });

    it('never retries another 4xx, and says what Segmind said', async () => {
      const sim = await simulator();
      sim.injectFault('presign', {
        status: 422,
        body: { detail: [{ loc: ['body', 'name'], msg: 'file name too long' }] },
      });
      const result = await run(sim, await workspace(sampleDataset()));
      expect(result.code).toBe(1);
      expect(count(sim, PRESIGN)).toBe(1);
      expect(failureOf(result)).toMatch(
        /Segmind GET \/finetune\/request\/upload\/pre-signed-url answered HTTP 422: body\.name: file name too long/,
      );
      expect(count(sim, SUBMIT)).toBe(0);
      expect(sim.jobs.size).toBe(0);
    });

    it('makes one request on a 401 while waiting, not a retry storm', async () => {
      const sim = await simulator();
      const job = sim.addJob({ name: 'known', status: 'TRAINING_INITIATED' });
      const result = await run(sim, await workspace(), {
        command: 'status',
        'finetune-id': job.finetune_id,
        'wait-for': 'AVAILABLE',
        'poll-interval-seconds': '1',
        'api-key': 'revoked-key',
      });
      expect(result.code).toBe(1);
      expect(apiRequests(sim)).toEqual([DETAILS]);
      expect(failureOf(result)).toMatch(/answered HTTP 401: .*\n.*rejected the API key/);
      expect(visible(result)).not.toContain('revoked-key');
    });

    it('shows the title of an HTML error page from a gateway, not its markup', async () => {
      const sim = await simulator();
      sim.injectFault('list', {
        status: 502,
        times: 5,
        body: '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>',
      });
      const result = await run(sim, await workspace(sampleDataset()));
      expect(result.code).toBe(1);
      expect(count(sim, LIST)).toBe(5);
      expect(failureOf(result)).toMatch(
        /list answered HTTP 502: 502 Bad Gateway \(gave up after 5 attempts\)\n.*server error/,
      );
    });
  });

  describe('never a duplicate job: a submit whose answer is lost', () => {
    it.each([
      ['a connection reset', { afterCommit: true, reset: true }, {}],
      ['a 502', { afterCommit: true, status: 502 }, {}],
      [
        'a 504 with an HTML page',
        { afterCommit: true, status: 504, body: '<html>timeout</html>' },
        {},
      ],
      ['a timeout', { afterCommit: true, delayMs: 10_000 }, { SEGMIND_ACTION_TIMEOUT_MS: '1000' }],
    ])(
      'is followed by a list, and the job that appeared is adopted (%s)',
      async (_what, fault, env) => {
        const sim = await simulator();
        sim.injectFault('submit', fault);
        const result = await run(sim, await workspace(sampleDataset()), {}, { env });
        expect(result.code, result.stdout).toBe(0);
        const job = onlyJob(sim);
        expect(apiRequests(sim)).toEqual([LIST, PRESIGN, SUBMIT, LIST]);
        expect(result.stdout).toMatch(/The submit's answer was lost/);
        expect(result.stdout).toContain(
          `The job was created despite the lost answer: fine-tune ${job.finetune_id}. Not submitting again.`,
        );
        // This run's own job: its id, and reused=false (nothing was adopted from an earlier run).
        expect(result.outputs['finetune-id']).toBe(job.finetune_id);
        expect(result.outputs.reused).toBe('false');
        expect(result.outputs.status).toBe('REQUESTED');
      },
    );

    it('is repeated when the list shows that no job was created', async () => {
      const sim = await simulator();
      sim.injectFault('submit', { status: 503 });
      const result = await run(sim, await workspace(sampleDataset()));
      expect(result.code, result.stdout).toBe(0);
      expect(apiRequests(sim)).toEqual([LIST, PRESIGN, SUBMIT, LIST, SUBMIT]);
      expect(result.stdout).toMatch(/No job named .* was created; submitting again\./);
      expect(result.outputs['finetune-id']).toBe(onlyJob(sim).finetune_id);
    });

    it('waits as long as Retry-After asks before looking, on a 429', async () => {
      const sim = await simulator();
      sim.injectFault('submit', { status: 429, retryAfter: '1' });
      const started = Date.now();
      const result = await run(sim, await workspace(sampleDataset()));
      expect(result.code, result.stdout).toBe(0);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(apiRequests(sim)).toEqual([LIST, PRESIGN, SUBMIT, LIST, SUBMIT]);
      onlyJob(sim);
    });

    it.each([
      ['the new job appeared', { afterCommit: true, reset: true }, 1],
      ['no new job appeared', { status: 503 }, 2],
    ])(
      'never adopts a failed job of the same name that was there before (%s)',
      async (_what, fault, submits) => {
        const sim = await simulator();
        const failed = sim.addJob({
          name: 'portrait-v1',
          status: 'FAILED',
          error_message: 'dataset unreadable',
        });
        sim.injectFault('submit', fault);
        const result = await run(sim, await workspace(sampleDataset()), { name: 'portrait-v1' });
        expect(result.code, result.stdout).toBe(0);
        expect(sim.jobs.size).toBe(2);
        const fresh = [...sim.jobs.values()].find((j) => j.finetune_id !== failed.finetune_id)!;
        expect(result.outputs['finetune-id']).toBe(fresh.finetune_id);
        expect(result.outputs.reused).toBe('false');
        expect(result.stdout).not.toContain('dataset unreadable');
        expect(count(sim, SUBMIT)).toBe(submits);
      },
    );

    it('gives up after a bounded number of submits, saying that none was created', async () => {
      const sim = await simulator();
      sim.injectFault('submit', { status: 503, times: 10 });
      const result = await run(sim, await workspace(sampleDataset()));
      expect(result.code).toBe(1);
      expect(count(sim, SUBMIT)).toBe(5);
      expect(sim.jobs.size).toBe(0);
      expect(failureOf(result)).toMatch(
        /submit answered HTTP 503: .*gave up after 5 submits; the list shows no job named flux-models-[0-9a-f]{12}, so none was created and a re-run is safe/,
      );
    });

    it('fails saying the job may exist when the list cannot be read either', async () => {
      const sim = await simulator();
      sim.injectFault('submit', { afterCommit: true, reset: true });
      // Faults queue in order: the first list (reuse) is served (a pure 1 ms delay), the one
      // after the lost answer fails all five attempts.
      sim.injectFault('list', { delayMs: 1 });
      sim.injectFault('list', { status: 503, times: 5 });
      const ws = await workspace(sampleDataset());
      const result = await run(sim, ws);
      expect(result.code).toBe(1);
      const job = onlyJob(sim);
      expect(count(sim, SUBMIT)).toBe(1);
      expect(failureOf(result)).toMatch(
        new RegExp(
          `answer to the submit of ${job.name} was lost .* looking at Segmind for whether it was created failed too: .*HTTP 503[^\\n]* Nothing was sent again\\.\\nThe submit of job ${job.name} had been sent but not answered, so the job may exist at Segmind\\. Re-run`,
        ),
      );
      // The re-run it advises adopts that job instead of paying twice.
      const again = await run(sim, ws);
      expect(again.code, again.stdout).toBe(0);
      expect(
        again.outputs.reused,
        JSON.stringify([
          apiRequests(sim),
          [...sim.jobs.values()].map((j) => [j.name, j.status, j.error_message]),
        ]),
      ).toBe('true');
      expect(again.outputs['finetune-id']).toBe(job.finetune_id);
      expect(sim.jobs.size).toBe(1);
    });

    it('refused with a 4xx is neither retried nor followed by a list', async () => {
      const sim = await simulator();
      sim.injectFault('submit', { status: 400, body: { message: 'Invalid theme' } });
      const result = await run(sim, await workspace(sampleDataset()));
      expect(result.code).toBe(1);
      expect(apiRequests(sim)).toEqual([LIST, PRESIGN, SUBMIT]);
      expect(failureOf(result)).toMatch(/submit answered HTTP 400: Invalid theme/);
      expect(sim.jobs.size).toBe(0);
    });

    it('cancelled while in flight, says the job may exist, and the re-run adopts it', async () => {
      const sim = await simulator();
      sim.injectFault('submit', { afterCommit: true, delayMs: 20_000 });
      const ws = await workspace(sampleDataset());
      let sentAt = 0;
      const result = await run(
        sim,
        ws,
        {},
        {
          onSpawn: (child: ChildProcess) => {
            void until('the job exists', () => sim.jobs.size === 1).then(() => {
              sentAt = Date.now();
              child.kill('SIGINT');
            });
          },
        },
      );
      expect(sentAt).toBeGreaterThan(0);
      expect(Date.now() - sentAt).toBeLessThan(3000);
      expect(result.code).toBe(1);
      const job = onlyJob(sim);
      expect(failureOf(result)).toMatch(
        new RegExp(
          `The run was cancelled \\(SIGINT\\)\\. The submit of job ${job.name} had been sent but not answered, so the job may exist at Segmind\\. Re-run with the same dataset and settings`,
        ),
      );
      const again = await run(sim, ws);
      expect(again.code, again.stdout).toBe(0);
      expect(again.outputs.reused, again.stdout).toBe('true');
      expect(again.outputs['finetune-id']).toBe(job.finetune_id);
      expect(sim.jobs.size).toBe(1);
    });
  });

  describe('the upload', () => {
    it('retries a 5xx from the storage host with a fresh stream of the whole file', async () => {
      const sim = await simulator();
      sim.injectFault('upload', { status: 503 });
      const result = await run(sim, await workspace(sampleDataset()));
      expect(result.code, result.stdout).toBe(0);
      const attempts = puts(sim);
      expect(attempts).toHaveLength(2);
      const bytes = Number(result.outputs['zip-bytes']);
      // Both attempts carried the whole ZIP: the second did not get a drained stream.
      for (const put of attempts) {
        expect(put.headers['content-length']).toBe(String(bytes));
        expect(put.body.length).toBe(bytes);
      }
      expect(sim.uploads.get(result.outputs['dataset-url']!)!.length).toBe(bytes);
      expect(count(sim, PRESIGN)).toBe(1);
      onlyJob(sim);
      expectNoSecrets(result, sim);
    });

    it('retries a reset in the middle of the upload', async () => {
      const sim = await simulator();
      sim.injectFault('upload', { reset: true });
      const result = await run(sim, await workspace(sampleDataset()));
      expect(result.code, result.stdout).toBe(0);
      expect(puts(sim)).toHaveLength(2);
      onlyJob(sim);
      expectNoSecrets(result, sim);
    });

    it('retries an upload that times out, never quoting the signed query in the log', async () => {
      const sim = await simulator();
      sim.injectFault('upload', { delayMs: 10_000, status: 500 });
      const result = await run(
        sim,
        await workspace(sampleDataset()),
        {},
        {
          env: { SEGMIND_ACTION_TIMEOUT_MS: '1500' },
        },
      );
      expect(result.code, result.stdout).toBe(0);
      expect(puts(sim)).toHaveLength(2);
      expect(result.stdout).toMatch(
        /Upload to 127\.0\.0\.1:\d+ failed \(.*timeout.*\); attempt 2 of 5/i,
      );
      onlyJob(sim);
      expectNoSecrets(result, sim);
    });

    it('gets one new pre-signed URL when the first has expired', async () => {
      const sim = await simulator();
      // Holds the PUT long enough for the test to expire the URL it was made with.
      sim.injectFault('upload', { delayMs: 1000 });
      const result = await run(
        sim,
        await workspace(sampleDataset()),
        {},
        {
          onSpawn: () => {
            void until('the first PUT', () => puts(sim).length === 1).then(() =>
              sim.expirePresignedUrls(),
            );
          },
        },
      );
      expect(result.code, result.stdout).toBe(0);
      expect(count(sim, PRESIGN)).toBe(2);
      expect(puts(sim)).toHaveLength(2);
      expect(result.stdout).toMatch(
        /refused the pre-signed URL \(HTTP 403: AccessDenied: Request has expired\); asking Segmind for a new one/,
      );
      const job = onlyJob(sim);
      expect(job.data_source_path).toBe(result.outputs['dataset-url']);
      expect(sim.uploads.has(job.data_source_path)).toBe(true);
      expectNoSecrets(result, sim);
    });

    it('fails clearly when the new pre-signed URL is refused too, and submits nothing', async () => {
      const sim = await simulator();
      sim.injectFault('upload', { status: 403, body: EXPIRED_XML, times: 2 });
      const result = await run(sim, await workspace(sampleDataset()));
      expect(result.code).toBe(1);
      expect(count(sim, PRESIGN)).toBe(2);
      expect(puts(sim)).toHaveLength(2);
      expect(count(sim, SUBMIT)).toBe(0);
      expect(sim.jobs.size).toBe(0);
      expect(failureOf(result)).toMatch(
        /Upload of the dataset ZIP to 127\.0\.0\.1:\d+ answered HTTP 403: AccessDenied: Request has expired \(with a second, fresh pre-signed URL too\)\n.*runner clock/,
      );
      expectNoSecrets(result, sim);
    });
  });

  describe('while waiting', () => {
    it('waits through transient errors that outlast the retries of one check', async () => {
      const sim = await simulator();
      // Seven failures: more than the five attempts of one check, so one check fails outright.
      sim.injectFault('details', { status: 503, times: 7 });
      const result = await run(sim, await workspace(sampleDataset()), {
        'wait-for': 'TRAINING_COMPLETED',
        'poll-interval-seconds': '1',
        'wait-timeout-minutes': '0.5',
      });
      expect(result.code, result.stdout).toBe(0);
      const warnings = result.stdout.split('\n').filter((l) => l.startsWith('::warning::Checking'));
      expect(warnings, result.stdout).toHaveLength(1);
      expect(warnings[0]).toMatch(
        /failed \(.*HTTP 503.*gave up after 5 attempts\)\); still waiting/,
      );
      expect(result.stdout).toMatch(/Checking .* works again\./);
      expect(result.outputs.status).toBe('TRAINING_COMPLETED');
      expect(onlyJob(sim).status).toBe('TRAINING_COMPLETED');
    });

    it('times out naming the failing checks when Segmind stays down', async () => {
      const sim = await simulator();
      const job = sim.addJob({ name: 'down', status: 'TRAINING_INITIATED' });
      sim.injectFault('details', { reset: true, times: 1000 });
      const result = await run(sim, await workspace(), {
        command: 'status',
        'finetune-id': job.finetune_id,
        'wait-for': 'AVAILABLE',
        'poll-interval-seconds': '1',
        'wait-timeout-minutes': '0.04',
      });
      expect(result.code).toBe(1);
      expect(failureOf(result)).toMatch(
        new RegExp(
          `Timed out after 2 s waiting for fine-tune ${job.finetune_id} to reach AVAILABLE; the last status was unknown\\. The last \\d+ checks failed: Segmind GET /finetune/request/details failed: .*no answer from`,
        ),
      );
      expect(result.outputs['finetune-id']).toBe(job.finetune_id);
    });
  });
});
