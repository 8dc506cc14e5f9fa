import * as log from './shared/log.js';
import { cancelSignal } from './shared/cancellation.js';
import { describeError } from './shared/errors.js';
import { run } from './main.js';
import { defaultRetryPolicy, withTestSettings } from './http/retry.js';

/** How long a finished run waits for what still holds the event loop before it leaves. */
const EXIT_GRACE_MS = 2000;

// run() reports its own failures; this catch is for a bug in that reporting itself, so that even
// then the step fails with a message rather than a bare stack trace. The last guard in run()
// covers what never settles.
// The one place the test suite's settings are read (see withTestSettings): the end-to-end tests run
// this bundle as the runner does and cannot hand run() a policy.
await run({ retry: withTestSettings(defaultRetryPolicy(), process.env) }).catch(
  (error: unknown) => {
    log.setFailed(`The action failed unexpectedly: ${describeError(error)}`);
  },
);
// A cancelled run may still have a request in flight; the runner is waiting for us to go.
if (cancelSignal.aborted) process.exit();
// Everything is reported. What still holds the event loop now is a socket nobody waits for (a
// proxy that never answered a CONNECT: the toolkit's tunnel has no timeout of its own), and it
// would keep the step running until the job's timeout. The timer holds nothing itself: a process
// that has nothing left ends before it fires.
setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
