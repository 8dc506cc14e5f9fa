// Node's globals for ESLint, listed here rather than pulled from the `globals` package:
// the scripts and the simulator run on Node alone.
const names = [
  'process',
  'console',
  'Buffer',
  'URL',
  'URLSearchParams',
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'setImmediate',
  'clearImmediate',
  'AbortController',
  'AbortSignal',
  'TextEncoder',
  'TextDecoder',
  'structuredClone',
  'queueMicrotask',
  'fetch',
];
export default Object.fromEntries(names.map((n) => [n, 'readonly']));
