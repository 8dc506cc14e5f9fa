import { cancelSignal } from './cancellation.js';
import { run } from './main.js';

await run();
// A cancelled run may still have a request in flight; the runner is waiting for us to go.
if (cancelSignal.aborted) process.exit();
