// Shared helpers for the benchmark and the crash test: free ports, starting a server as a child process
// and waiting until it answers, reading its RSS.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';

export const API_KEY = 'sk_test_bench';
export const AUTH = `Bearer ${API_KEY}`;

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** One HTTP request; resolves to { status, headers, body } (body parsed as JSON when possible). */
export function request(port, method, path, { body, headers = {}, timeoutMs = 10_000, agent = false } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: {
          authorization: AUTH,
          ...(payload ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': payload.length } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode, headers: res.headers, body: json, text });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/**
 * Spawns `node <args>` and resolves once it answers an HTTP request, with the time from spawn to that
 * first answer (the start-up figure: module loading, migrations check, Nest bootstrap, listen).
 */
export async function startServer({ args, env = {}, cwd, port, timeoutMs = 30_000, name = 'server' }) {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c) => {
    stderr = (stderr + c).slice(-8_000);
  });
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  for (;;) {
    if (exited) throw new Error(`${name} exited before answering (${JSON.stringify(exited)}):\n${stderr}`);
    if (performance.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not answer within ${timeoutMs} ms:\n${stderr}`);
    }
    try {
      await request(port, 'GET', '/v1/charges?limit=1', { timeoutMs: 1_000 });
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  const startupMs = performance.now() - started;
  return {
    child,
    port,
    startupMs,
    stderr: () => stderr,
    rssBytes: () => rssOf(child.pid),
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (exited) return resolve(exited);
        const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', (code, sig) => {
          clearTimeout(force);
          resolve({ code, signal: sig });
        });
        child.kill(signal);
      }),
  };
}

export function rssOf(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** The project root (bench/..): where dist/ (the bundle) and node_modules are. */
export const ROOT = new URL('..', import.meta.url).pathname.replace(/\/$/, '');

/** Starts the built oncepay (`dist/oncepay.mjs`, what `npm start` runs) on a free port with its data in `dbFile`. */
export async function startOncepay(dbFile, env = {}) {
  const port = await freePort();
  return startServer({
    name: 'oncepay',
    args: ['dist/oncepay.mjs'],
    cwd: ROOT,
    port,
    env: { DATABASE_URL: `sqlite:${dbFile}`, PORT: String(port), HOST: '127.0.0.1', ...env },
  });
}


// ---------------------------------------------------------------- how steady the machine itself is

/**
 * The same fixed piece of pure computation (no allocation, no I/O), timed over and over, in one process
 * per core at once, before any server starts. On a machine that runs it at a steady pace every chunk
 * takes about the same time; one whose cores are taken away now and then (a virtual machine's host
 * running something else) shows chunks several times longer. Every request in flight during such a
 * pause waits it out, whatever the server, so this is what a p99 figure sits on.
 */
export async function machinePauses(seconds = 3, processes = 2) {
  const source = `
    const work = () => { let x = 0; for (let i = 0; i < 300000; i++) x += Math.sqrt(i ^ x) | 0; return x; };
    for (let i = 0; i < 200; i++) work();
    const times = []; const end = performance.now() + ${Number(seconds) * 1000};
    while (performance.now() < end) { const t0 = performance.now(); work(); times.push(performance.now() - t0); }
    process.stdout.write(JSON.stringify(times));`;
  const { spawn } = await import('node:child_process');
  const runs = await Promise.all(
    Array.from({ length: processes }, () => new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`pause probe exited ${code}`))));
    })),
  );
  const times = runs.flat().sort((a, b) => a - b);
  const at = (q) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))] * 100) / 100;
  const p50 = at(0.5);
  return {
    chunks: times.length,
    processes,
    p50_ms: p50,
    p99_ms: at(0.99),
    max_ms: Math.round(times[times.length - 1] * 100) / 100,
    // Chunks that took more than twice the usual time: the machine paused this process for a while.
    over_2x_percent: Math.round((times.filter((t) => t > 2 * p50).length / times.length) * 1000) / 10,
    over_10ms_percent: Math.round((times.filter((t) => t > p50 + 10).length / times.length) * 1000) / 10,
  };
}
