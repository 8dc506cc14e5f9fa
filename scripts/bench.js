// `npm run bench`: how fast and how lean the bundled action is next to what a shell step would do
// with standard tools, on a photo-like dataset of about 95 MB. Node built-ins only.
//
//   (a) dry-run (collect, check, ZIP, sha256) vs `zip -0 -X -j out.zip <files>`   target <= 1.1x
//   (b) peak RSS of that dry-run vs a dry-run of one image                           target <= 1.2x
//   (c) train (no wait) against the simulator vs `zip` + `curl -T` to a pre-signed URL
//                                                                                   target <= 1.1x
//   (d) start-up: a one-image dry-run vs `node -e 0`                          target <= +80 ms
//   (e) fitting 25 phone photos (4032x3024 JPEG, 4-7 MB, some sideways): a dry-run (fit + ZIP)
//       vs ImageMagick `convert -auto-orient -resize 2048x2048> -quality 90`, one file at a time,
//       + `zip`                                                                  target <= 0.5x
//       and vs native sharp on one thread + `zip`                              target <= 2x
//       (both ratios paired: the median of each run's action over the baselines run right after it)
//       peak RSS of that dry-run                                            target <= 400 MB
//   (f) `command: download` of a 300 MB model over TLS vs `curl -o` of the same link
//                                                                               target <= 1.25x
//       (and of 1 GB, for the record)
//   (g) peak RSS of downloads of 300 MB and of 1 GB vs one of 8 MB               target <= 1.1x
//
// BENCH_DOWNLOAD=0 skips (f) and (g); BENCH_DOWNLOAD=only runs them alone.
//   (a), (b) and (d) use images that need no decoding (the codec never loads); (e) needs
//   ImageMagick (`convert`) and sharp's native build (a devDependency) for its baselines, and
//   says so when one is missing. BENCH_IMAGES=0 skips (e), BENCH_IMAGES=only runs (e) alone.
//
// Every figure is the median of BENCH_RUNS runs (default 5) after one warm-up, each run in a child
// process timed from spawn to exit with process.hrtime. Peak RSS comes from a tiny preload
// (NODE_OPTIONS=--require) that writes the child's peak RSS when it exits, so no extra tool is
// needed. On Linux that is VmHWM from /proc/self/status, not process.resourceUsage().maxRSS: the
// kernel carries ru_maxrss across fork and execve, so maxRSS never reads below the RSS of the
// bench process at the moment it spawned the child (435 MB while it held a 300 MB model). All
// traffic stays on loopback. It is a measurement, not a test: it exits 0 whether targets are met
// or not, and 1 only when something failed to run.
//
// ACTION_ENTRY=/path/to/index.js measures another build of the action (default dist/index.js).
// COMPARE_ENTRY=/path/to/index.js also runs that build in (a) to (d), each of its runs next to the
// action's, and prints the action against it: how a change moved the figures, on one machine in
// one period (a release's dist/ from `git archive <tag> dist | tar -x -C /tmp/old`).
import { spawn, spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, statSync, readdirSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { ROOT, runAction } from './action-runner.js';

const RUNS = clampInt(process.env.BENCH_RUNS, 5, 1, 25);
const WARMUPS = 1;
const IMAGE_COUNT = 40;
// 2.30 MB + i x 3.7 KB: 40 images, 95.0 MB of incompressible "photos", every size different as
// with real photos (the action hashes images that share a size, to find duplicates).
const imageBytes = (i) => 2_300_000 + i * 3_700;
const CAPTION_COUNT = 10;
const CHILD_TIMEOUT_MS = 180_000;
const API_KEY = 'bench-key';
const SIMULATOR = path.join(ROOT, 'simulator', 'segmind-simulator.js');
const ENTRY = process.env.ACTION_ENTRY ?? path.join(ROOT, 'dist', 'index.js');
const COMPARE = process.env.COMPARE_ENTRY;

let haveZipTool = false;
const TARGETS = { a: 1.1, b: 1.1, c: 1.1, d: 80, eMagick: 0.5, eSharp: 2, eRssMb: 400 };

function clampInt(value, fallback, min, max) {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

// ---------------------------------------------------------------------------------------------
// Dataset
// ---------------------------------------------------------------------------------------------

// Node < 20.15 has no zlib.crc32: the action reads headers only, so a zero chunk CRC does no harm.
const crc32 = typeof zlib.crc32 === 'function' ? (buf) => zlib.crc32(buf) >>> 0 : () => 0;

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A PNG of `bytes` bytes: a real signature and IHDR (1600x1200 RGB), then random IDAT bytes. */
function photoLikePng(bytes) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1600, 0);
  ihdr.writeUInt32BE(1200, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const head = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
  ]);
  const iend = chunk('IEND', Buffer.alloc(0));
  const idat = randomFillSync(Buffer.allocUnsafe(bytes - head.length - iend.length - 12));
  return Buffer.concat([head, chunk('IDAT', idat), iend]);
}

async function makeDataset(dir, images, captions) {
  await mkdir(dir, { recursive: true });
  const files = [];
  for (let i = 1; i <= images; i++) {
    const base = `photo-${String(i).padStart(3, '0')}`;
    await writeFile(path.join(dir, `${base}.png`), photoLikePng(imageBytes(i)));
    files.push(`${base}.png`);
    if (i <= captions) {
      await writeFile(
        path.join(dir, `${base}.txt`),
        `photo of [trigger], a ceramic mug on a wooden table, shot ${i}\n`,
      );
      files.push(`${base}.txt`);
    }
  }
  return files.sort().map((f) => path.join(dir, f));
}

// ---------------------------------------------------------------------------------------------
// Children, timed from spawn to exit
// ---------------------------------------------------------------------------------------------

/** Every child still running, so that an interrupted bench leaves none behind. */
const live = new Set();
function track(child) {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** Runs a command; resolves { ms, code, stdout, stderr }. The clock starts when spawn returns. */
async function timed(command, args, options = {}) {
  const child = track(spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options }));
  const t0 = process.hrtime.bigint();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
  try {
    const [code, signal] = await new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (c, s) => resolve([c, s]));
    });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (code !== 0) {
      throw new Error(
        `${command} ${args.slice(0, 4).join(' ')} ... exited with ${code ?? signal}: ${tail(stderr || stdout)}`,
      );
    }
    return { ms, stdout, stderr };
  } finally {
    clearTimeout(timer);
  }
}

function tail(text, lines = 15) {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

// The child's own high-water mark. maxRSS is the fallback where /proc is missing (macOS), and
// there it has the inherited floor described at the top.
const RSS_PRELOAD = `process.on('exit', () => {
  const fs = require('node:fs');
  let kib = process.resourceUsage().maxRSS;
  try {
    const m = /^VmHWM:\\s+(\\d+) kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (m) kib = Number(m[1]);
  } catch {}
  try { fs.writeFileSync(process.env.BENCH_RSS_FILE, String(kib)); } catch {}
});
`;

let rssSeq = 0;
/** Env that makes a Node child write its peak RSS (KiB) to a file when it exits. */
function rssEnv(work) {
  const file = path.join(work, 'rss', `${++rssSeq}.txt`);
  const preload = path.join(work, 'rss-preload.cjs');
  const nodeOptions = [process.env.NODE_OPTIONS, `--require ${preload}`].filter(Boolean).join(' ');
  return { file, env: { NODE_OPTIONS: nodeOptions, BENCH_RSS_FILE: file } };
}

async function readRssMb(file) {
  const kib = Number((await readFile(file, 'utf8')).trim());
  if (!(kib > 0)) throw new Error(`no peak RSS recorded in ${file}`);
  return (kib * 1024) / 1e6;
}

/** dist/index.js as the runner runs it; resolves { ms, rssMb, outputs }. */
async function timedAction(work, workspace, inputs, entry = ENTRY, extraEnv = {}) {
  const rss = rssEnv(work);
  let t0 = 0n;
  let t1 = 0n;
  let timer;
  let result;
  try {
    result = await runAction({
      workspace,
      inputs,
      entry,
      env: { ...rss.env, ...extraEnv },
      onSpawn(child) {
        t0 = process.hrtime.bigint();
        track(child).once('close', () => (t1 = process.hrtime.bigint()));
        timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
      },
    });
  } finally {
    clearTimeout(timer);
  }
  // runAction's own folder (GITHUB_OUTPUT, event, RUNNER_TEMP) is left to the caller.
  await rm(path.dirname(result.runnerTemp), { recursive: true, force: true });
  if (result.code !== 0) {
    throw new Error(
      `the action (${inputs['dry-run'] === 'true' ? 'dry-run' : 'train'}) exited with ${result.code ?? result.signal}:\n${tail(result.stdout + result.stderr)}`,
    );
  }
  if (result.tempLeft.length > 0) throw new Error(`the action left ${result.tempLeft.join(', ')}`);
  return { ms: Number(t1 - t0) / 1e6, rssMb: await readRssMb(rss.file), outputs: result.outputs };
}

async function timedNodeNoop(work) {
  const rss = rssEnv(work);
  const { ms } = await timed(process.execPath, ['-e', '0'], {
    env: { ...process.env, ...rss.env },
  });
  return { ms, rssMb: await readRssMb(rss.file) };
}

async function timedZip(outDir, files) {
  const out = path.join(outDir, 'out.zip');
  await rm(out, { force: true }); // zip would otherwise update the old archive
  const { ms } = await timed('zip', ['-0', '-X', '-j', out, ...files]);
  return { ms, bytes: statSync(out).size };
}

// ---------------------------------------------------------------------------------------------
// Simulator (a fresh one per train run: it keeps every upload in memory)
// ---------------------------------------------------------------------------------------------

async function startSimulatorProcess() {
  const child = track(
    spawn(process.execPath, [SIMULATOR, '--api-key', API_KEY], {
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let buffered = '';
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const urls = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the simulator exited early with ${code}`)));
    child.stdout.on('data', (c) => {
      buffered += c;
      const newline = buffered.indexOf('\n');
      if (newline >= 0) resolve(JSON.parse(buffered.slice(0, newline)));
    });
  }).finally(() => clearTimeout(timer));
  child.removeAllListeners('exit');
  return {
    ...urls,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * A GET with a body, as Segmind's API wants (fetch would refuse one); resolves the answer's text
 * when it is a 200.
 */
function getWithBody(apiUrl, route, contentType, text, what) {
  const body = Buffer.from(text);
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(route, apiUrl),
      {
        method: 'GET',
        headers: {
          'x-api-key': API_KEY,
          'content-type': contentType,
          'content-length': body.length,
        },
      },
      (res) => {
        let answer = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (answer += c));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(answer)
            : reject(new Error(`${what}: HTTP ${res.statusCode} ${answer}`)),
        );
      },
    );
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`${what} timed out`)));
    req.end(body);
  });
}

/** GET /finetune/request/upload/pre-signed-url with its JSON body: the pre-signed PUT URL. */
async function presign(apiUrl, name) {
  const answer = await getWithBody(
    apiUrl,
    '/finetune/request/upload/pre-signed-url',
    'application/json',
    JSON.stringify({ name }),
    'presign',
  );
  return JSON.parse(answer).presigned_url;
}

/** What a shell step would do: zip the files, then curl -T the ZIP to a pre-signed URL. */
async function timedShellTrain(outDir, files, apiUrl, name) {
  const out = path.join(outDir, 'out.zip');
  await rm(out, { force: true });
  const t0 = process.hrtime.bigint();
  await timed('zip', ['-0', '-X', '-j', out, ...files]);
  const url = await presign(apiUrl, name);
  // --fail-with-body: a refused upload (the storage host checks the ZIP) fails the bench.
  await timed('curl', [
    '-sS',
    '--fail-with-body',
    '--noproxy',
    '*',
    '-o',
    '/dev/null',
    '-T',
    out,
    '-H',
    'Content-Type: application/zip',
    url,
  ]);
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6 };
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

function median(values) {
  const s = [...values].sort((x, y) => x - y);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const fmtMs = (ms) => `${Math.round(ms)} ms`;
const fmtMb = (mb) => `${mb.toFixed(1)} MB`;
const verdict = (ok) => (ok === undefined ? 'n/a' : ok ? 'MET' : 'NOT MET');

function loadavg() {
  return os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
}

/** One self-overwriting progress line on a terminal's stderr; nothing in a log. */
function progress(text) {
  if (process.stderr.isTTY) process.stderr.write(`\r${text.padEnd(40)}\r${text}`);
}

function hasTool(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

function staleDistWarning() {
  if (process.env.ACTION_ENTRY) return undefined;
  const newest = (dir) => {
    let latest = 0;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      latest = Math.max(latest, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }
    return latest;
  };
  const src = newest(path.join(ROOT, 'src'));
  return src > statSync(ENTRY).mtimeMs
    ? 'note: src/ is newer than dist/index.js; `npm run bundle` (or ACTION_ENTRY=<a fresh bundle>) measures the current code.'
    : undefined;
}

// ---------------------------------------------------------------------------------------------
// (f), (g): downloading the trained model
// ---------------------------------------------------------------------------------------------

const DOWNLOAD_BYTES = 300_000_000;
const SMALL_DOWNLOAD_BYTES = 8_000_000;
const HUGE_DOWNLOAD_BYTES = 1_000_000_000;
const DOWNLOAD_TARGETS = { f: 1.25, g: 1.1 };
const TLS_DIR = path.join(ROOT, '__tests__', 'fixtures', 'tls');

/**
 * The storage host of (f) and (g): https on loopback, as real storage hosts are (TLS is part of
 * the receive cost), serving a generated model (the simulator's generator: a file of 1 GB costs
 * no memory) in 1 MiB writes. With it, the two Segmind calls `command: download` makes (details,
 * then the download link), answering for any id `bench-<bytes>`. Both run in this process.
 */
async function startDownloadHosts() {
  const { modelFile } = await import('../simulator/segmind-simulator.js');
  const https = await import('node:https');
  const tls = {
    key: await readFile(path.join(TLS_DIR, 'key.pem')),
    cert: await readFile(path.join(TLS_DIR, 'cert.pem')),
  };
  const storage = https.createServer(tls, (req, res) => {
    const match = /^\/models\/(bench-(\d+))\/model\.safetensors/.exec(req.url ?? '');
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    const file = modelFile(match[1], Number(match[2]));
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': String(file.size),
      etag: `"${match[1]}"`,
    });
    const chunks = file.chunks();
    const pump = () => {
      for (let next = chunks.next(); !next.done; next = chunks.next()) {
        if (!res.write(next.value)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    pump();
  });
  await new Promise((resolve) => storage.listen(0, '127.0.0.1', resolve));
  const storageUrl = `https://127.0.0.1:${storage.address().port}`;
  const linkOf = (id) => `${storageUrl}/models/${id}/model.safetensors`;
  const api = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.headers['x-api-key'] !== API_KEY) {
        res.writeHead(401).end();
      } else if (req.url?.startsWith('/finetune/request/details')) {
        const id = JSON.parse(body).request_id;
        const finetune = { finetune_id: id, name: id, status: 'AVAILABLE' };
        finetune.cloud_storage_url = linkOf(id);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ finetune }));
      } else if (req.url?.startsWith('/finetune/request/file/download')) {
        const target = new URLSearchParams(body).get('cloud_storage_url');
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(`${target}?X-Amz-Signature=bench`);
      } else {
        res.writeHead(404).end();
      }
    });
  });
  await new Promise((resolve) => api.listen(0, '127.0.0.1', resolve));
  return {
    apiUrl: `http://127.0.0.1:${api.address().port}`,
    link: (bytes) => `${linkOf(`bench-${bytes}`)}?X-Amz-Signature=bench`,
    sha256: (bytes) => modelFile(`bench-${bytes}`, bytes).sha256(),
    async close() {
      for (const server of [storage, api]) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    },
  };
}

/**
 * (f) `command: download` of 300 MB against `curl -o` of the same link, each of its runs beside
 * one of curl's; (g) the peak RSS of downloads of 300 MB and 1 GB against one of 8 MB.
 */
async function benchDownload(work) {
  const haveCurl = hasTool('curl');
  const hosts = await startDownloadHosts();
  const workspace = path.join(work, 'dl-ws');
  await mkdir(workspace, { recursive: true });
  const target = path.join(workspace, 'model.safetensors');
  const ca = path.join(TLS_DIR, 'cert.pem');
  try {
    const download = async (bytes) => {
      const run = await timedAction(
        work,
        workspace,
        {
          command: 'download',
          'api-key': API_KEY,
          'api-url': hosts.apiUrl,
          'finetune-id': `bench-${bytes}`,
        },
        ENTRY,
        { NODE_EXTRA_CA_CERTS: ca },
      );
      if (run.outputs['model-sha256'] !== hosts.sha256(bytes)) {
        throw new Error(`the download has sha256 ${run.outputs['model-sha256']}, not the file's`);
      }
      await rm(target, { force: true });
      return run;
    };
    const haveSha256sum = hasTool('sha256sum');
    // `hashed`: then `sha256sum` of the file, for the same output as the action's `model-sha256`.
    const curlOnce = async (bytes, hashed = false) => {
      const args = ['-sS', '--fail', '--noproxy', '*', '--cacert', ca, '-o', target];
      const run = await timed('curl', [...args, hosts.link(bytes)]);
      if (statSync(target).size !== bytes) throw new Error('curl got another size');
      if (hashed) {
        const sum = await timed('sha256sum', [target]);
        if (!sum.stdout.startsWith(hosts.sha256(bytes))) throw new Error('sha256sum disagrees');
        run.hashedMs = run.ms + sum.ms;
      }
      await rm(target, { force: true });
      return run;
    };
    const s = {
      action: [],
      curl: [],
      bigRss: [],
      smallRss: [],
      hugeRss: [],
      huge: [],
      hugeCurl: [],
      hugeCurlHashed: [],
    };
    const hugeRuns = Math.min(RUNS, 3);
    for (let i = 0; i < WARMUPS + RUNS; i++) {
      const keep = i >= WARMUPS;
      progress(`(f)(g) run ${i + 1}/${WARMUPS + RUNS}${keep ? '' : ' (warm-up)'}`);
      // curl goes first on every other run: neither gets the warmer moment every time.
      const curlFirst = haveCurl && i % 2 === 1 ? await curlOnce(DOWNLOAD_BYTES) : undefined;
      const action = await download(DOWNLOAD_BYTES);
      const curl = curlFirst ?? (haveCurl ? await curlOnce(DOWNLOAD_BYTES) : undefined);
      const small = await download(SMALL_DOWNLOAD_BYTES);
      const huge = keep && i - WARMUPS < hugeRuns ? await download(HUGE_DOWNLOAD_BYTES) : undefined;
      const hugeCurl =
        huge && haveCurl ? await curlOnce(HUGE_DOWNLOAD_BYTES, haveSha256sum) : undefined;
      if (!keep) continue;
      s.action.push(action.ms);
      s.bigRss.push(action.rssMb);
      s.smallRss.push(small.rssMb);
      if (curl) s.curl.push(curl.ms);
      if (huge) {
        s.hugeRss.push(huge.rssMb);
        s.huge.push(huge.ms);
      }
      if (hugeCurl) s.hugeCurl.push(hugeCurl.ms);
      if (hugeCurl?.hashedMs) s.hugeCurlHashed.push(hugeCurl.hashedMs);
    }
    progress('');
    const m = Object.fromEntries(
      Object.entries(s).map(([k, v]) => [k, v.length ? median(v) : NaN]),
    );
    const paired = (xs, ys) =>
      xs.length && xs.length === ys.length ? median(xs.map((x, k) => x / ys[k])) : NaN;
    const rf = paired(s.action, s.curl);
    const rHuge = paired(s.huge, s.hugeCurl);
    const rHugeHashed = paired(s.huge, s.hugeCurlHashed);
    const rg = m.bigRss / m.smallRss;
    const rgHuge = m.hugeRss / m.smallRss;
    const na = (x, f) => (Number.isFinite(x) ? f(x) : 'n/a');
    const mb = (bytes) => fmtMb(bytes / 1e6);
    console.log(
      `\n(f), (g): downloads over TLS on loopback; ${RUNS} runs after ${WARMUPS} warm-up (1 GB: ${hugeRuns}), medians; ratios are paired medians (each run against the one beside it).`,
    );
    const rows = [
      ['', 'measure', 'action', 'baseline', 'ratio', 'target', 'result'],
      [
        '(f)',
        `\`command: download\` of ${mb(DOWNLOAD_BYTES)} vs \`curl -o\` of the same URL`,
        fmtMs(m.action),
        na(m.curl, fmtMs),
        na(rf, (x) => `${x.toFixed(2)}x`),
        `<= ${DOWNLOAD_TARGETS.f}x`,
        verdict(Number.isFinite(rf) ? rf <= DOWNLOAD_TARGETS.f : undefined),
      ],
      [
        '(f)',
        `\`command: download\` of ${mb(HUGE_DOWNLOAD_BYTES)} vs \`curl -o\``,
        fmtMs(m.huge),
        na(m.hugeCurl, fmtMs),
        na(rHuge, (x) => `${x.toFixed(2)}x`),
        '',
        '',
      ],
      [
        '(f)',
        `the same vs \`curl -o\` then \`sha256sum\` (the action's \`model-sha256\` too)`,
        fmtMs(m.huge),
        na(m.hugeCurlHashed, fmtMs),
        na(rHugeHashed, (x) => `${x.toFixed(2)}x`),
        '',
        '',
      ],
      [
        '(g)',
        `peak RSS, download of ${mb(DOWNLOAD_BYTES)} vs ${mb(SMALL_DOWNLOAD_BYTES)}`,
        fmtMb(m.bigRss),
        fmtMb(m.smallRss),
        `${rg.toFixed(2)}x`,
        `<= ${DOWNLOAD_TARGETS.g}x`,
        verdict(rg <= DOWNLOAD_TARGETS.g),
      ],
      [
        '(g)',
        `peak RSS, download of ${mb(HUGE_DOWNLOAD_BYTES)} vs ${mb(SMALL_DOWNLOAD_BYTES)}`,
        fmtMb(m.hugeRss),
        fmtMb(m.smallRss),
        `${rgHuge.toFixed(2)}x`,
        `<= ${DOWNLOAD_TARGETS.g}x`,
        verdict(rgHuge <= DOWNLOAD_TARGETS.g),
      ],
    ];
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    const line = (r) => `| ${r.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
    console.log(line(rows[0]));
    console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    for (const r of rows.slice(1)) console.log(line(r));
    const list = (xs, f = Math.round) => xs.map(f).join(' ');
    console.log(
      `All runs (ms): ${mb(DOWNLOAD_BYTES)} ${list(s.action)} | curl ${list(s.curl)} | ${mb(HUGE_DOWNLOAD_BYTES)} ${list(s.huge)} | curl ${list(s.hugeCurl)} | curl + sha256sum ${list(s.hugeCurlHashed)}. Peak RSS (MB): ${mb(SMALL_DOWNLOAD_BYTES)} ${list(s.smallRss, (x) => x.toFixed(1))} | ${mb(DOWNLOAD_BYTES)} ${list(s.bigRss, (x) => x.toFixed(1))} | ${mb(HUGE_DOWNLOAD_BYTES)} ${list(s.hugeRss, (x) => x.toFixed(1))}. Load average: ${loadavg()}.`,
    );
  } finally {
    await hosts.close();
  }
}

// ---------------------------------------------------------------------------------------------
// (e) Fitting phone photos
// ---------------------------------------------------------------------------------------------

const PHOTO_COUNT = 25;
const PHOTO_WIDTH = 4032;
const PHOTO_HEIGHT = 3024;
/** Generated once into .bench/ (git-ignored) and reused: the bytes depend only on this code. */
const PHOTO_DIR = path.join(ROOT, '.bench', `phone-photos-v2-${PHOTO_COUNT}`);

/**
 * 25 photo-like JPEGs: soft gradients and waves with seeded camera noise, quality 92 to 95,
 * 4 to 7 MB each; EXIF with a GPS position on all, orientation 6 (sideways) on every fifth.
 * Made with sharp (the native build is fine here: the bytes are generated once and kept).
 */
async function makePhonePhotos(sharp) {
  const done = path.join(PHOTO_DIR, 'complete');
  const files = Array.from({ length: PHOTO_COUNT }, (_, i) =>
    path.join(PHOTO_DIR, `IMG_${String(4100 + i)}.jpg`),
  );
  if (existsSync(done)) return files;
  await rm(PHOTO_DIR, { recursive: true, force: true });
  await mkdir(PHOTO_DIR, { recursive: true });
  const w = PHOTO_WIDTH;
  const h = PHOTO_HEIGHT;
  const pixels = Buffer.alloc(w * h * 3);
  for (let n = 0; n < PHOTO_COUNT; n++) {
    progress(`(e) generating photo ${n + 1}/${PHOTO_COUNT}`);
    let seed = 7919 * (n + 1);
    const amplitude = 25 + (n % 5) * 6; // noise, so sizes spread over 4 to 7 MB
    const across = Float64Array.from({ length: w }, (_, x) => Math.sin(x / (120 + n * 7)));
    const down = Float64Array.from({ length: h }, (_, y) => 70 * Math.cos(y / (170 + n * 3)));
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
        const grain = ((seed >>> 24) * amplitude) / 255 - amplitude / 2;
        const i = (y * w + x) * 3;
        const base = 128 + across[x] * down[y];
        pixels[i] = base + grain + (30 * x) / w;
        pixels[i + 1] = base * 0.85 + grain;
        pixels[i + 2] = 250 - base + grain - (30 * y) / h;
      }
    }
    let image = sharp(pixels, { raw: { width: w, height: h, channels: 3 } }).withExif({
      IFD0: { Make: 'PhoneMaker', Model: 'Phone 15', Copyright: 'Owner' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2980/100' },
    });
    if (n % 5 === 2) image = image.withMetadata({ orientation: 6 });
    await writeFile(files[n], await image.jpeg({ quality: 92 + (n % 4) }).toBuffer());
  }
  await writeFile(done, '');
  progress('');
  return files;
}

/** A child that fits the photos with native sharp on one thread, as a shell step could. */
const SHARP_CHILD = `
const { createRequire } = require('node:module');
const path = require('node:path');
const sharp = createRequire(path.join(process.argv[2], 'package.json'))('sharp');
if (sharp.versions.emscripten) throw new Error('sharp loaded its WebAssembly build, not the native one');
sharp.concurrency(1);
(async () => {
  const [, , , out, ...files] = process.argv;
  for (const file of files) {
    await sharp(file).autoOrient().resize(2048, 2048, { fit: 'inside', withoutEnlargement: true })
      .keepIccProfile().jpeg({ quality: 90 }).toFile(path.join(out, path.basename(file)));
  }
})().catch((e) => { console.error(e); process.exit(1); });
`;

async function timedMagick(outDir, files) {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const t0 = process.hrtime.bigint();
  for (const file of files) {
    await timed('convert', [
      file,
      '-auto-orient',
      '-resize',
      '2048x2048>',
      '-quality',
      '90',
      path.join(outDir, path.basename(file)),
    ]);
  }
  const zipped = await timedZip(
    outDir,
    files.map((f) => path.join(outDir, path.basename(f))),
  );
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, bytes: zipped.bytes };
}

async function timedNativeSharp(work, outDir, files) {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const script = path.join(work, 'sharp-native.cjs');
  await writeFile(script, SHARP_CHILD);
  const t0 = process.hrtime.bigint();
  await timed(process.execPath, [script, ROOT, outDir, ...files]);
  const zipped = await timedZip(
    outDir,
    files.map((f) => path.join(outDir, path.basename(f))),
  );
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, bytes: zipped.bytes };
}

async function benchImages(work) {
  let sharp;
  try {
    sharp = (await import('sharp')).default;
  } catch {
    console.log('\n(e) skipped: sharp is not installed (npm ci installs it as a dependency).');
    return;
  }
  const runs = Math.min(RUNS, 3);
  const haveMagick =
    hasTool('convert') && spawnSync('convert', ['-version']).stdout?.includes('ImageMagick');
  const nativeSharp = !sharp.versions.emscripten;
  const files = await makePhonePhotos(sharp);
  const photosBytes = files.reduce((n, f) => n + statSync(f).size, 0);
  const sizes = files.map((f) => statSync(f).size);
  const workspace = path.join(work, 'photos-ws');
  await mkdir(workspace, { recursive: true });
  await rm(path.join(workspace, 'photos'), { force: true, recursive: true });
  await cp(PHOTO_DIR, path.join(workspace, 'photos'), {
    recursive: true,
    filter: (f) => !f.endsWith('complete'),
  });
  console.log(
    `\n(e) ${PHOTO_COUNT} phone photos, ${PHOTO_WIDTH}x${PHOTO_HEIGHT} JPEG q92-95, ${fmtMb(Math.min(...sizes) / 1e6)} to ${fmtMb(Math.max(...sizes) / 1e6)}, ${fmtMb(photosBytes / 1e6)}; ${runs} runs after 1 warm-up, medians; ${os.availableParallelism()} cores.`,
  );
  if (!haveMagick)
    console.log(
      'note: ImageMagick (`convert`) is not installed: no ImageMagick baseline (apt-get install imagemagick).',
    );
  if (!nativeSharp) console.log('note: sharp has no native build here: no native sharp baseline.');
  const inputs = { dataset: 'photos/**', 'dry-run': 'true' };
  const s = { action: [], rss: [], magick: [], sharp: [] };
  let zipBytes = 0;
  let magickBytes = 0;
  let sharpBytes = 0;
  const out = path.join(work, 'fitted');
  for (let i = 0; i < 1 + runs; i++) {
    const keep = i >= 1;
    progress(`(e) run ${i + 1}/${1 + runs}${keep ? '' : ' (warm-up)'}`);
    const action = await timedAction(work, workspace, inputs);
    zipBytes = Number(action.outputs['zip-bytes']);
    const magick = haveMagick && haveZipTool ? await timedMagick(out, files) : undefined;
    const native =
      nativeSharp && haveZipTool ? await timedNativeSharp(work, out, files) : undefined;
    if (!keep) continue;
    s.action.push(action.ms);
    s.rss.push(action.rssMb);
    if (magick) {
      s.magick.push(magick.ms);
      magickBytes = magick.bytes;
    }
    if (native) {
      s.sharp.push(native.ms);
      sharpBytes = native.bytes;
    }
  }
  progress('');
  const m = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v.length ? median(v) : NaN]));
  // Each ratio is paired: the median of each run's action against the baselines run right after
  // it, so a machine whose speed drifts between runs moves both sides of a ratio alike.
  const paired = (baseline) =>
    baseline.length === s.action.length ? median(s.action.map((x, k) => x / baseline[k])) : NaN;
  const rMagick = paired(s.magick);
  const rSharp = paired(s.sharp);
  const na = (x, f) => (Number.isFinite(x) ? f(x) : 'n/a');
  const rows = [
    ['', 'measure', 'action', 'baseline', 'ratio', 'target', 'result'],
    [
      '(e)',
      'fit + ZIP vs ImageMagick, one file at a time, + `zip`',
      fmtMs(m.action),
      na(m.magick, fmtMs),
      na(rMagick, (x) => `${x.toFixed(2)}x`),
      `<= ${TARGETS.eMagick}x`,
      verdict(Number.isFinite(rMagick) ? rMagick <= TARGETS.eMagick : undefined),
    ],
    [
      '(e)',
      'fit + ZIP vs native sharp, one thread, + `zip`',
      fmtMs(m.action),
      na(m.sharp, fmtMs),
      na(rSharp, (x) => `${x.toFixed(2)}x`),
      `<= ${TARGETS.eSharp}x`,
      verdict(Number.isFinite(rSharp) ? rSharp <= TARGETS.eSharp : undefined),
    ],
    [
      '(e)',
      'peak RSS of that dry-run',
      fmtMb(m.rss),
      '',
      '',
      `<= ${TARGETS.eRssMb} MB`,
      verdict(m.rss <= TARGETS.eRssMb),
    ],
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r) => `| ${r.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  console.log(line(rows[0]));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows.slice(1)) console.log(line(r));
  console.log(
    `ZIPs: action ${fmtMb(zipBytes / 1e6)}, ImageMagick ${na(magickBytes || NaN, (b) => fmtMb(b / 1e6))}, native sharp ${na(sharpBytes || NaN, (b) => fmtMb(b / 1e6))}. All runs (ms): action ${s.action.map(Math.round).join(' ')} | ImageMagick ${s.magick.map(Math.round).join(' ')} | native sharp ${s.sharp.map(Math.round).join(' ')}. Peak RSS (MB): ${s.rss.map((x) => x.toFixed(1)).join(' ')}. Load average: ${loadavg()}.`,
  );
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main() {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} not found: run \`npm run bundle\` first`);
  const haveZip = hasTool('zip');
  haveZipTool = haveZip;
  const haveCurl = hasTool('curl');
  const work = await mkdtemp(path.join(os.tmpdir(), 'segmind-bench-'));
  const cleanup = () => rm(work, { recursive: true, force: true });
  const onSignal = () => {
    for (const child of live) child.kill('SIGKILL');
    cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    await mkdir(path.join(work, 'rss'));
    await mkdir(path.join(work, 'out'));
    await writeFile(path.join(work, 'rss-preload.cjs'), RSS_PRELOAD);
    if (process.env.BENCH_IMAGES === 'only') {
      await benchImages(work);
      return;
    }
    if (process.env.BENCH_DOWNLOAD === 'only') {
      await benchDownload(work);
      return;
    }
    const workspace = path.join(work, 'ws');
    const files = await makeDataset(path.join(workspace, 'big'), IMAGE_COUNT, CAPTION_COUNT);
    await makeDataset(path.join(workspace, 'one'), 1, 0);
    const datasetBytes = files.reduce((n, f) => n + statSync(f).size, 0);
    const outDir = path.join(work, 'out');

    const loadBefore = loadavg();
    const cpus = os.cpus();
    console.log(
      `Machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}`,
    );
    console.log(
      `Dataset: ${IMAGE_COUNT} PNG images, 1600x1200 headers + random IDAT, ${(imageBytes(1) / 1e6).toFixed(2)} to ${(imageBytes(IMAGE_COUNT) / 1e6).toFixed(2)} MB, + ${CAPTION_COUNT} captions = ${fmtMb(datasetBytes / 1e6)}; action: ${ENTRY.startsWith(ROOT + path.sep) ? path.relative(ROOT, ENTRY) : ENTRY}`,
    );
    console.log(`Runs: ${RUNS} after ${WARMUPS} warm-up, medians; every run in a child process.`);
    const stale = staleDistWarning();
    if (stale) console.log(stale);
    if (!haveZip) console.log('note: `zip` is not installed; (a) and (c) have no baseline.');
    if (!haveCurl) console.log('note: `curl` is not installed; (c) has no baseline.');

    const dryBig = { dataset: 'big/**', 'dry-run': 'true' };
    const dryOne = { dataset: 'one/**', 'dry-run': 'true' };
    const s = {
      dry: [],
      dryRss: [],
      zip: [],
      one: [],
      oneRss: [],
      noop: [],
      noopRss: [],
      train: [],
      shell: [],
      // COMPARE_ENTRY's runs, each beside the action's of the same iteration.
      cDry: [],
      cDryRss: [],
      cOne: [],
      cOneRss: [],
      cTrain: [],
    };
    let zipBytes = 0;

    // (a), (b), (d): interleaved, so drift (thermal, page cache, noisy neighbours) hits all alike.
    for (let i = 0; i < WARMUPS + RUNS; i++) {
      const keep = i >= WARMUPS;
      progress(`(a)(b)(d) run ${i + 1}/${WARMUPS + RUNS}${keep ? '' : ' (warm-up)'}`);
      // COMPARE_ENTRY's runs go before the action's on every other iteration: neither build
      // always gets the warmer page cache or the quieter moment.
      const compareRuns = async () =>
        COMPARE
          ? [
              await timedAction(work, workspace, dryBig, COMPARE),
              await timedAction(work, workspace, dryOne, COMPARE),
            ]
          : [];
      const early = i % 2 === 1 ? await compareRuns() : undefined;
      const dry = await timedAction(work, workspace, dryBig);
      zipBytes = Number(dry.outputs['zip-bytes']);
      const zip = haveZip ? await timedZip(outDir, files) : undefined;
      const one = await timedAction(work, workspace, dryOne);
      const noop = await timedNodeNoop(work);
      const [cDry, cOne] = early ?? (await compareRuns());
      if (!keep) continue;
      if (cDry && cOne) {
        s.cDry.push(cDry.ms);
        s.cDryRss.push(cDry.rssMb);
        s.cOne.push(cOne.ms);
        s.cOneRss.push(cOne.rssMb);
      }
      s.dry.push(dry.ms);
      s.dryRss.push(dry.rssMb);
      if (zip) s.zip.push(zip.ms);
      s.one.push(one.ms);
      s.oneRss.push(one.rssMb);
      s.noop.push(noop.ms);
      s.noopRss.push(noop.rssMb);
    }

    // (c): a fresh simulator per run, started and stopped outside the timed part.
    for (let i = 0; i < WARMUPS + RUNS; i++) {
      const keep = i >= WARMUPS;
      progress(`(c) run ${i + 1}/${WARMUPS + RUNS}${keep ? '' : ' (warm-up)'}`);
      const tag = `${process.pid}-${i}-${Date.now().toString(36)}`;
      const trainOnce = async (entry, label) => {
        const sim = await startSimulatorProcess();
        try {
          const train = await timedAction(
            work,
            workspace,
            {
              dataset: 'big/**',
              'api-key': API_KEY,
              'api-url': sim.url,
              // A distinct name: the same dataset under the same name would be adopted as reused.
              name: `bench-${label}-${tag}`,
              'wait-for': 'none',
            },
            entry,
          );
          if (train.outputs.reused !== 'false' || !train.outputs['finetune-id']) {
            throw new Error(
              `the train run did not upload and submit: ${JSON.stringify(train.outputs)}`,
            );
          }
          return train.ms;
        } finally {
          await sim.stop();
        }
      };
      const compareFirst = COMPARE && i % 2 === 1 ? await trainOnce(COMPARE, 'compare') : undefined;
      const trainMs = await trainOnce(ENTRY, 'action');
      if (keep) s.train.push(trainMs);
      if (COMPARE) {
        const compareMs = compareFirst ?? (await trainOnce(COMPARE, 'compare'));
        if (keep) s.cTrain.push(compareMs);
      }
      if (haveZip && haveCurl) {
        const sim = await startSimulatorProcess();
        try {
          const shell = await timedShellTrain(outDir, files, sim.url, `bench-shell-${tag}.zip`);
          if (keep) s.shell.push(shell.ms);
        } finally {
          await sim.stop();
        }
      }
    }
    progress('');

    const m = Object.fromEntries(
      Object.entries(s).map(([k, v]) => [k, v.length ? median(v) : NaN]),
    );
    const ratio = (x, y) => (Number.isFinite(x) && Number.isFinite(y) ? x / y : NaN);
    const ra = ratio(m.dry, m.zip);
    const rb = ratio(m.dryRss, m.oneRss);
    const rc = ratio(m.train, m.shell);
    const dd = m.one - m.noop;
    const okA = Number.isFinite(ra) ? ra <= TARGETS.a : undefined;
    const okC = Number.isFinite(rc) ? rc <= TARGETS.c : undefined;
    const na = (x, f) => (Number.isFinite(x) ? f(x) : 'n/a');

    console.log(`ZIP: ${fmtMb(zipBytes / 1e6)} (${zipBytes} bytes)\n`);
    const rows = [
      ['', 'measure', 'action', 'baseline', 'ratio', 'target', 'result'],
      [
        '(a)',
        `dry-run, ${IMAGE_COUNT} images, vs \`zip -0 -X -j\``,
        fmtMs(m.dry),
        na(m.zip, fmtMs),
        na(ra, (x) => `${x.toFixed(2)}x`),
        `<= ${TARGETS.a}x`,
        verdict(okA),
      ],
      [
        '(b)',
        `peak RSS, that dry-run vs a 1-image dry-run`,
        fmtMb(m.dryRss),
        fmtMb(m.oneRss),
        `${rb.toFixed(2)}x`,
        `<= ${TARGETS.b}x`,
        verdict(rb <= TARGETS.b),
      ],
      [
        '(c)',
        'train (no wait) vs `zip` + `curl -T` to a pre-signed URL',
        fmtMs(m.train),
        na(m.shell, fmtMs),
        na(rc, (x) => `${x.toFixed(2)}x`),
        `<= ${TARGETS.c}x`,
        verdict(okC),
      ],
      [
        '(d)',
        'start-up: 1-image dry-run vs `node -e 0`',
        fmtMs(m.one),
        fmtMs(m.noop),
        `+${Math.round(dd)} ms`,
        `<= +${TARGETS.d} ms`,
        verdict(dd <= TARGETS.d),
      ],
    ];
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    const line = (r) => `| ${r.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
    console.log(line(rows[0]));
    console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    for (const r of rows.slice(1)) console.log(line(r));
    // Paired figures (each action run against the baseline run next to it) resist drift better
    // than a ratio of medians when the machine is shared.
    const paired = (xs, ys, f) =>
      xs.length && xs.length === ys.length ? median(xs.map((x, k) => f(x, ys[k]))) : NaN;
    const pa = paired(s.dry, s.zip, (x, y) => x / y);
    const pc = paired(s.train, s.shell, (x, y) => x / y);
    const pd = paired(s.one, s.noop, (x, y) => x - y);
    console.log(
      `\nPaired medians: (a) ${na(pa, (x) => `${x.toFixed(2)}x`)}, (c) ${na(pc, (x) => `${x.toFixed(2)}x`)}, (d) +${Math.round(pd)} ms. Load average before/after: ${loadBefore} / ${loadavg()}.`,
    );
    console.log(
      `All runs (ms): dry-run ${s.dry.map(Math.round).join(' ')} | zip ${s.zip.map(Math.round).join(' ')} | train ${s.train.map(Math.round).join(' ')} | zip+curl ${s.shell.map(Math.round).join(' ')} | 1-image ${s.one.map(Math.round).join(' ')} | node -e 0 ${s.noop.map(Math.round).join(' ')}`,
    );
    console.log(
      `Peak RSS (MB): dry-run ${s.dryRss.map((x) => x.toFixed(1)).join(' ')} | 1-image ${s.oneRss.map((x) => x.toFixed(1)).join(' ')} | node -e 0 ${fmtMb(median(s.noopRss))}`,
    );
    if (COMPARE) {
      const x = (xs, ys) => `${paired(xs, ys, (a, b) => a / b).toFixed(2)}x`;
      const startup = (ones, noops) => median(ones.map((o, k) => o - noops[k]));
      console.log(
        [
          `\nAgainst ${COMPARE} (paired medians, this build / that one; under 1 is better):`,
          `  (a) dry-run ${fmtMs(median(s.dry))} vs ${fmtMs(median(s.cDry))}: ${x(s.dry, s.cDry)}`,
          `  (b) peak RSS of the dry-run ${fmtMb(median(s.dryRss))} vs ${fmtMb(median(s.cDryRss))}; ratio to a 1-image dry-run ${(median(s.dryRss) / median(s.oneRss)).toFixed(2)}x vs ${(median(s.cDryRss) / median(s.cOneRss)).toFixed(2)}x`,
          `  (c) train ${fmtMs(median(s.train))} vs ${fmtMs(median(s.cTrain))}: ${x(s.train, s.cTrain)}`,
          `  (d) start-up +${Math.round(startup(s.one, s.noop))} ms vs +${Math.round(startup(s.cOne, s.noop))} ms (1-image dry-run ${fmtMs(median(s.one))} vs ${fmtMs(median(s.cOne))}: ${x(s.one, s.cOne)})`,
        ].join('\n'),
      );
    }
    if (process.env.BENCH_IMAGES !== '0') await benchImages(work);
    if (process.env.BENCH_DOWNLOAD !== '0') await benchDownload(work);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanup();
  }
}

main().catch((error) => {
  console.error(`\nbench failed: ${error?.stack ?? error}`);
  process.exitCode = 1;
});
