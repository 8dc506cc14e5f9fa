import http from 'node:http';
import { afterEach } from 'vitest';

/** A request as a storage host written by a test saw it. */
export interface SeenRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/**
 * A storage host on loopback whose answers the test writes (`n` counts requests from 1), closed
 * after the test; records every request.
 */
export async function storageHost(
  handler: (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void,
): Promise<{ url: string; origin: string; seen: SeenRequest[] }> {
  const seen: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ path: req.url ?? '', headers: req.headers });
    handler(req, res, seen.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  const { port } = server.address() as { port: number };
  const origin = `http://127.0.0.1:${port}`;
  return { url: `${origin}/models/m.safetensors?X-Amz-Signature=abc123`, origin, seen };
}

/**
 * Writes `total` bytes of `byteAt` (generated, never held whole) from `start`, with
 * back-pressure; `cutAfter` destroys the connection once that many bytes were written.
 */
export function sendGenerated(
  res: http.ServerResponse,
  start: number,
  total: number,
  byteAt: (i: number) => number,
  cutAfter = Infinity,
): void {
  let position = start;
  let sent = 0;
  const pump = (): void => {
    while (position < total && !res.destroyed) {
      const n = Math.min(64 * 1024, total - position, cutAfter - sent);
      if (n <= 0) {
        res.socket?.destroy();
        return;
      }
      const piece = Buffer.allocUnsafe(n);
      for (let i = 0; i < n; i++) piece[i] = byteAt(position + i);
      position += n;
      sent += n;
      if (!res.write(piece)) {
        res.once('drain', pump);
        return;
      }
    }
    if (sent >= cutAfter) res.socket?.destroy();
    else res.end();
  };
  pump();
}

/** The byte at offset i of the test files: a pattern that shifts, so splices show. */
export const byteAt = (i: number): number => (i * 7 + (i >> 9)) & 0xff;

export function generated(size: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) out[i] = byteAt(i);
  return out;
}
