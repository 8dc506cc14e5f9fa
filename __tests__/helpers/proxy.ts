import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/**
 * A small forward proxy on loopback, for the proxy tests.
 *
 * @actions/http-client sends every proxied request through a CONNECT tunnel (the `tunnel`
 * package), plain http targets included, so CONNECT is what it mostly sees; absolute-form requests
 * (`GET http://host/path`) are forwarded too, for clients that use them.
 *
 * `hosts` maps names the test makes up (say `segmind.test`) to addresses: the proxy resolves them,
 * the action cannot, so a request to such a name that arrives at all came through the proxy.
 * With `credentials`, requests without that Proxy-Authorization are answered 407.
 */
export interface LoopbackProxy {
  url: string;
  /** What went through, in order: `CONNECT host:port` or `METHOD absolute-url`. */
  seen: string[];
  /** Proxy-Authorization headers received, in order. */
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

export async function startProxy(
  options: {
    hosts?: Record<string, string>;
    credentials?: { user: string; password: string };
  } = {},
): Promise<LoopbackProxy> {
  const seen: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const sockets = new Set<net.Socket>();
  const resolve = (host: string): string => options.hosts?.[host.toLowerCase()] ?? host;
  const expected = options.credentials
    ? `Basic ${Buffer.from(`${options.credentials.user}:${options.credentials.password}`).toString('base64')}`
    : undefined;
  const authorized = (req: http.IncomingMessage): boolean => {
    const given = req.headers['proxy-authorization'];
    authorizations.push(given);
    return expected === undefined || given === expected;
  };

  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (!authorized(req)) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end();
      return;
    }
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('absolute-form request expected');
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = http.request(
      {
        host: resolve(target.hostname),
        port: target.port || 80,
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end('upstream failed'));
    req.pipe(upstream);
  });

  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    if (!authorized(req)) {
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n',
      );
      return;
    }
    const [host, port] = splitHostPort(req.url ?? '');
    const upstream = net.connect(Number(port), resolve(host), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => {
      if (!client.destroyed) client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    });
  });
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    authorizations,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((done) => server.close(done));
    },
  };
}

function splitHostPort(authority: string): [string, string] {
  const at = authority.lastIndexOf(':');
  const host = authority.slice(0, at).replace(/^\[|\]$/g, '');
  return [host, authority.slice(at + 1)];
}

/**
 * A module for `NODE_OPTIONS=--import <file>` that resolves the given names to 127.0.0.1 in the
 * action's process, like a line in /etc/hosts would: the NO_PROXY test needs a name the action
 * can reach directly and that is not a loopback name (the client never proxies those). Returns
 * the file and a function that removes it.
 */
export async function hostsFile(
  names: string[],
): Promise<{ file: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hosts-'));
  const file = path.join(dir, 'hosts.mjs');
  await writeFile(
    file,
    `import dns from 'node:dns';
const names = new Set(${JSON.stringify(names.map((n) => n.toLowerCase()))});
const lookup = dns.lookup;
dns.lookup = function (host, options, callback) {
  if (typeof options === 'function') [callback, options] = [options, {}];
  if (typeof host === 'string' && names.has(host.toLowerCase())) {
    const all = typeof options === 'object' && options !== null && options.all;
    if (all) return process.nextTick(callback, null, [{ address: '127.0.0.1', family: 4 }]);
    return process.nextTick(callback, null, '127.0.0.1', 4);
  }
  return lookup.call(this, host, options, callback);
};
`,
  );
  return { file, remove: () => rm(dir, { recursive: true, force: true }) };
}
