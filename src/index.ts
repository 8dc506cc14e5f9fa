import * as log from './log.js';
import { cancelSignal } from './cancellation.js';
import { describeError } from './errors.js';
import { run } from './main.js';

// run() reports its own failures; this catch is for a bug in that reporting itself, so that even
// then the step fails with a message rather than a bare stack trace. The last guard in run()
// covers what never settles.
await run().catch((error: unknown) => {
  log.setFailed(`The action failed unexpectedly: ${describeError(error)}`);
});
// A cancelled run may still have a request in flight; the runner is waiting for us to go.
if (cancelSignal.aborted) process.exit();
