#!/usr/bin/env node
// The narrated demo (`npm run demo`): a double charge happening, then not happening, in four steps.
//
//   npm run demo                       builds and starts oncepay on a temporary database (port 4242)
//   HOST=0.0.0.0 npm run demo          the same, reachable from attendees' laptops (it prints the address)
//   npm run demo -- --port 4244        another port, when 4242 is taken
//   npm run demo -- --url http://127.0.0.1:4242 [--key sk_test_...]   uses a server that is already running
//   npm run demo -- --no-pause         runs straight through (CI, tests)
//
// Open http://127.0.0.1:4242/dashboard and paste the printed key to watch each step live.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = parseArgs(process.argv.slice(2));
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code) => (text) => (color ? `\x1b[${code}m${text}\x1b[0m` : String(text));
const bold = paint('1'), dim = paint('2'), red = paint('31'), green = paint('32'), yellow = paint('33'), magenta = paint('35'), cyan = paint('36');

const key = args.key ?? `sk_test_demo${randomBytes(8).toString('hex')}`;
const run = randomBytes(3).toString('hex'); // tags this run's charges, so a shared account still counts right
let base = args.url?.replace(/\/+$/, '');
let server = null;
let stopping = false;

main().catch((error) => {
  // A step cut short by Ctrl-C fails as its server goes away: that is no failure to report.
  if (stopping) return;
  console.error(red(`\ndemo failed: ${error?.stack ?? error}`));
  process.exitCode = 1;
}).finally(stopServer);

// Ctrl-C while a step runs (or the build) would otherwise end the demo and leave its server's
// temporary database behind; at a prompt, where the terminal is in raw mode, readline hands it over.
process.once('SIGINT', () => void stopNow(130));

async function main() {
  if (!base) base = await startOwnServer();
  say(bold('oncepay — exactly-once payments, live'));
  say(`Server:    ${base}`);
  say(`Dashboard: ${cyan(`${base}/dashboard`)}`);
  if (server?.lanUrl) say(`Attendees: ${cyan(server.lanUrl)}   ${dim('(HOST=0.0.0.0: reachable from other machines on this network)')}`);
  say(`Key:       ${bold(key)}   ${dim('(paste it into the dashboard to watch)')}`);
  await pause();

  await step1();
  await pause();
  await step2();
  await pause();
  await step3();
  await pause();
  await step4();
  say('');
  say(bold('That is the whole trick: a key per logical request, the server keeps the answer, and each'));
  say(bold('atomic phase records how far it got. Read docs/workshop.md and docs/idempotency.md next.'));
}

// (1) The lost response without a key: the client cannot know the charge happened, retries, pays twice.
async function step1() {
  heading(1, 'A lost response, retried WITHOUT an idempotency key');
  const params = charge('step1');
  say('The network will lose the response of the next charge (the server still makes it):');
  await armFault({ path: '/v1/charges', fault: 'drop_response' });
  say('The client sends the charge:');
  const first = await send('POST', '/v1/charges', params);
  describe(first);
  say('It saw an error, so it retries the same request:');
  const second = await send('POST', '/v1/charges', params);
  describe(second);
  const charges = await chargesOf('step1');
  say('');
  say(`Charges on the account for this order: ${bold(charges.length)}`);
  for (const c of charges) say(`   ${c.id}  ${money(c)}  ${c.status}`);
  if (charges.length > 1) say(red(bold(`→ DOUBLE CHARGE: ${charges.length} charges for one purchase. The customer paid twice.`)));
  else say(yellow('→ Expected two charges here; is another client sharing this account?'));
}

// (2) The same failure with a key: the retry gets the stored answer of the first attempt.
async function step2() {
  heading(2, 'The same lost response, retried WITH an idempotency key');
  const idem = `demo-${run}-order-2`;
  const params = charge('step2');
  await armFault({ path: '/v1/charges', fault: 'drop_response' });
  say(`The client sends the charge with ${bold(`Idempotency-Key: ${idem}`)}:`);
  const first = await send('POST', '/v1/charges', params, idem);
  describe(first);
  say('It retries with the SAME key:');
  const second = await send('POST', '/v1/charges', params, idem);
  describe(second);
  const charges = await chargesOf('step2');
  say('');
  say(`Charges on the account for this order: ${bold(charges.length)}`);
  for (const c of charges) say(`   ${c.id}  ${money(c)}  ${c.status}`);
  if (charges.length === 1 && second.replayed) {
    say(green(bold(`→ ONE charge. The retry was answered from the stored response (Idempotent-Replayed: true, Original-Request: ${second.headers.get('original-request')}).`)));
  }
}

// (3) Two copies of one request at the same moment (a double click, two retrying workers).
async function step3() {
  heading(3, 'Two concurrent requests with the same key');
  const idem = `demo-${run}-order-3`;
  const params = charge('step3');
  if (server) say(dim('(this server answers the card network slowly, 1.5 s, so the first request is still in flight)'));
  else say(dim('(against --url nothing is slowed down: if the first request finishes before the second arrives, the second is simply replayed)'));
  say('Two copies of the charge leave at (almost) the same time:');
  const a = send('POST', '/v1/charges', params, idem, { quiet: true });
  await sleep(150);
  const b = send('POST', '/v1/charges', params, idem, { quiet: true });
  printCurl('POST', '/v1/charges', params, idem);
  const [ra, rb] = await Promise.all([a, b]);
  say('first:  ' + summary(ra));
  say('second: ' + summary(rb));
  const charges = await chargesOf('step3');
  say('');
  say(`Charges on the account for this order: ${bold(charges.length)}`);
  if (rb.status === 409) {
    say(green(bold('→ ONE charge and a 409 idempotency_key_in_use: the key was locked by the request in flight.')));
    say('  A 409 saves nothing: the client may retry it, and will then get the first request\'s answer.');
  } else if (rb.replayed) {
    say(yellow('→ ONE charge: the first finished before the second arrived, so the second was replayed.'));
  }
}

// (4) The server dies between two atomic phases; the retry picks up from the recovery point.
async function step4() {
  heading(4, 'A crash after charge_created, and a retry that resumes');
  const idem = `demo-${run}-order-4`;
  const params = charge('step4');
  say(`The server will "crash" right after the ${bold('charge_created')} phase commits (the charge row exists, the card network was never asked):`);
  await armFault({ path: '/v1/charges', fault: 'crash_after_phase', phase: 'charge_created' });
  const first = await send('POST', '/v1/charges', params, idem);
  describe(first);
  const before = await inspectKey(idem);
  say(`The key now: recovery_point=${bold(before?.recovery_point)} locked=${before?.locked_at ? yellow('yes') : 'no'}`);
  printCurl('GET', `/_control/idempotency_keys/${idem}`);
  say('A retry has to wait until the lock times out (a crashed request never unlocks it):');
  let retry;
  const deadline = Date.now() + 60_000;
  for (;;) {
    retry = await send('POST', '/v1/charges', params, idem, { quiet: true });
    if (retry.status !== 409 || Date.now() > deadline) break;
    say(dim('   409 idempotency_key_in_use: still locked, retrying in 1 s…'));
    await sleep(1000);
  }
  printCurl('POST', '/v1/charges', params, idem);
  describe(retry);
  const after = await inspectKey(idem);
  say(`The key now: recovery_point=${bold(after?.recovery_point)} locked=${after?.locked_at ? yellow('yes') : 'no'} response_code=${after?.response_code}`);
  const charges = await chargesOf('step4');
  say(`Charges on the account for this order: ${bold(charges.length)}`);
  if (charges.length === 1 && retry.status === 200 && retry.body?.id === charges[0].id) {
    say(green(bold(`→ ONE charge (${charges[0].id}): the retry resumed from charge_created with the charge the crashed request created.`)));
  }
}

// ---- HTTP -----------------------------------------------------------------------------------------

function charge(step) {
  return { amount: 2000, currency: 'usd', source: 'tok_visa', description: `Demo ${step}`, 'metadata[demo]': `${step}-${run}` };
}

async function send(method, path, params, idempotencyKey, { quiet = false } = {}) {
  if (!quiet) printCurl(method, path, params, idempotencyKey);
  const headers = { authorization: `Bearer ${key}` };
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  let body;
  if (params && method === 'POST') {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(params).toString();
  }
  try {
    const res = await fetch(base + path, { method, headers, body });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null, replayed: res.headers.get('idempotent-replayed') === 'true' };
  } catch (error) {
    if (error?.name === 'TypeError') return { status: 0, dropped: true, headers: new Headers(), body: null, replayed: false };
    throw error;
  }
}

async function armFault(spec) {
  const res = await send('POST', '/_control/faults', spec);
  if (res.status !== 200) throw new Error(`could not arm ${spec.fault}: ${res.status} ${JSON.stringify(res.body)}`);
}

async function inspectKey(idem) {
  const res = await send('GET', `/_control/idempotency_keys/${encodeURIComponent(idem)}`, null, undefined, { quiet: true });
  return res.status === 200 ? res.body : null;
}

async function chargesOf(step) {
  const res = await send('GET', '/v1/charges?limit=100', null, undefined, { quiet: true });
  if (res.status !== 200) throw new Error(`listing charges: ${res.status}`);
  return res.body.data.filter((c) => c.metadata?.demo === `${step}-${run}`);
}

// ---- Output ---------------------------------------------------------------------------------------

function say(line = '') {
  console.log(line);
}

function heading(n, title) {
  say('');
  say(bold(magenta(`━━ Step ${n}: ${title} ━━`)));
}

function printCurl(method, path, params, idempotencyKey) {
  const parts = [`curl -s ${method === 'GET' ? '' : `-X ${method} `}${base}${path}`, `-u ${key}:`];
  if (idempotencyKey) parts.push(`-H 'Idempotency-Key: ${idempotencyKey}'`);
  for (const [k, v] of Object.entries(params && method === 'POST' ? params : {})) parts.push(`-d '${k}=${v}'`);
  say(dim(`  $ ${parts.join(' ')}`));
}

function summary(res) {
  if (res.dropped) return red('no response (connection closed)');
  const tag = res.replayed ? ` ${magenta('replayed')}` : '';
  if (res.status === 200) return `${green(res.status)}${tag} ${res.body?.id ?? ''}`;
  const err = res.body?.error;
  return `${res.status === 409 ? yellow(res.status) : red(res.status)}${tag} ${err ? `${err.code ?? err.type}: ${err.message}` : ''}`;
}

function describe(res) {
  say(`   → ${summary(res)}`);
}

function money(c) {
  return `${(c.amount / 100).toFixed(2)} ${c.currency.toUpperCase()}`;
}

async function pause() {
  if (args.noPause) return;
  if (!process.stdin.isTTY && process.stdin.readableEnded) return;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  await new Promise((resolve) => {
    rl.question(dim('\n[press Enter to continue]'), resolve);
    rl.on('close', resolve);
    // Ctrl-C at a pause ends the demo, as it does elsewhere (without this listener readline would only close, and the next step would run).
    rl.on('SIGINT', () => void stopNow(130));
  });
  rl.close();
}

/** Waits for the host to type `stop` (or for stdin to close, or Ctrl-C): one Enter too many must not end the exercises. */
async function waitForStop() {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  await new Promise((resolve) => {
    rl.on('line', (line) => line.trim().toLowerCase() === 'stop' && resolve());
    rl.on('close', resolve);
  });
  rl.close();
}

// ---- Own server -----------------------------------------------------------------------------------

async function startOwnServer() {
  say(dim('Building oncepay…'));
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed');
  const dir = mkdtempSync(join(tmpdir(), 'oncepay-demo-'));
  const port = args.port ?? '4242';
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite:${join(dir, 'demo.sqlite')}`,
    PORT: port,
    // Slow enough that step 3's first request is still in flight when the second arrives.
    CARD_NETWORK_LATENCY_MS: '1500',
    // Step 4 waits for the crashed request's lock to time out: keep that short for a live audience.
    IDEMPOTENCY_LOCK_TIMEOUT_MS: '2000',
    // The background completer would finish step 4's key itself; the lesson is the client's retry.
    COMPLETER_AFTER_MS: '600000',
  };
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'oncepay.mjs')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  // HOST (passed on to the server) decides who can reach it; the demo itself talks to it locally when it
  // listens everywhere, and tells the host the address attendees' laptops can use.
  const host = process.env.HOST;
  const everywhere = host === '0.0.0.0' || host === '::';
  const local = !host || everywhere ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  server = { child, dir, lanUrl: everywhere ? lanUrl(port) : null };
  await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('listening')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`oncepay exited (${code}) before listening; is port ${port} free? (--port N)`)));
  });
  return `http://${local}:${port}`;
}

/** This machine's first external IPv4 address, as attendees on the same network reach it. */
function lanUrl(port) {
  const address = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
  return address ? `http://${address}:${port}` : null;
}

async function stopServer() {
  if (!server) return;
  if (!args.noPause && process.stdin.isTTY) {
    say(dim(`\nThe server is still running for the dashboard and the exercises. Type stop and press Enter to stop it`));
    say(dim(`(its temporary database goes with it; a stray Enter does nothing).`));
    await waitForStop();
  }
  await stopNow(process.exitCode ?? 0);
}

/** Stops the demo's own server, removes its temporary database, and exits. */
async function stopNow(code) {
  stopping = true;
  if (server) {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      const exited = new Promise((resolve) => server.child.once('exit', resolve));
      server.child.kill('SIGTERM');
      await exited;
    }
    rmSync(server.dir, { recursive: true, force: true });
  }
  process.exit(code);
}

function parseArgs(argv) {
  const out = { noPause: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--no-pause') out.noPause = true;
    else if (a === '--url') out.url = argv[++i];
    else if (a === '--key') out.key = argv[++i];
    else if (a === '--port') out.port = argv[++i];
    else if (a === '--help' || a === '-h') {
      console.log('usage: [HOST=0.0.0.0] npm run demo -- [--url URL] [--key sk_test_...] [--port 4242] [--no-pause]');
      console.log('  HOST=0.0.0.0  the demo\'s own server is reachable from other machines (it prints the address)');
      process.exit(0);
    } else {
      console.error(`unknown option ${a} (try --help)`);
      process.exit(64);
    }
  }
  return out;
}
