// npm run test:crash [-- --no-build]
//
// Durability under a process crash: concurrent clients send keyed charges (each with a unique
// description), the server is SIGKILLed mid-load and restarted on the same SQLite file. Then:
//   1. every charge acknowledged with 200 still exists, and its key replays it (Idempotent-Replayed: true);
//   2. every request in flight at the kill, retried with its key, ends in exactly one charge;
//   3. no description appears twice in the account's charges (paging through all of them), and the
//      account holds exactly one charge per request.
// Even rounds run with a simulated card-network latency (CRASH_NETWORK_LATENCY_MS), so that the kill
// catches requests between their phases and the retries resume from an intermediate recovery point:
// a request's phases otherwise commit within one turn of the event loop, and the kill often finds
// every key either absent or just `started`. Each round prints where the in-flight keys stood; a latency
// round whose kill caught no request between phases loads and kills again (up to 3 kills, each checked).
// Environment: CRASH_CLIENTS (default 24), CRASH_ROUNDS (2), CRASH_LOAD_MS (1500: load before each kill),
// CRASH_NETWORK_LATENCY_MS (5).
import Database from 'better-sqlite3';
import { execSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { request, startOncepay } from '../bench/lib.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(ROOT);
const CLIENTS = Number(process.env.CRASH_CLIENTS ?? 24);
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 2);
const LOAD_MS = Number(process.env.CRASH_LOAD_MS ?? 1500);
const NETWORK_LATENCY_MS = Number(process.env.CRASH_NETWORK_LATENCY_MS ?? 5);
const ACCOUNT_KEY = `sk_test_crash_${randomUUID().replace(/-/g, '')}`;
const HEADERS = { authorization: `Bearer ${ACCOUNT_KEY}` };
// A short lock timeout: a key locked by the killed process may be taken over by its retry soon after restart.
const LOCK_TIMEOUT_MS = 300;

if (!process.argv.includes('--no-build')) execSync('npm run build', { stdio: ['ignore', 'ignore', 'inherit'] });
const tmp = mkdtempSync(path.join(tmpdir(), 'oncepay-crash-'));
const dbFile = path.join(tmp, 'crash.sqlite');

/** The server for a round's load (and the previous round's checks); even rounds with network latency. */
const start = (round) =>
  startOncepay(dbFile, {
    IDEMPOTENCY_LOCK_TIMEOUT_MS: String(LOCK_TIMEOUT_MS),
    CARD_NETWORK_LATENCY_MS: String(round % 2 === 0 ? NETWORK_LATENCY_MS : 0),
  });

const bodyFor = (description) => `amount=1500&currency=usd&source=tok_visa&description=${encodeURIComponent(description)}`;

/** Every request ever sent: key, description, and what the client saw. */
const sent = [];
const violations = [];
const violation = (msg) => {
  violations.push(msg);
  if (violations.length <= 20) console.error(`VIOLATION: ${msg}`);
};

async function loadAndKill(server, round) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  let stopping = false;
  const client = async (c) => {
    for (let i = 0; !stopping; i++) {
      const entry = { key: randomUUID(), description: `crash-r${round}-c${c}-${i}-${randomUUID().slice(0, 8)}`, outcome: 'in_flight' };
      sent.push(entry);
      try {
        const res = await request(server.port, 'POST', '/v1/charges', {
          body: bodyFor(entry.description),
          headers: { ...HEADERS, 'idempotency-key': entry.key },
          agent,
          timeoutMs: 5_000,
        });
        if (res.status === 200) {
          entry.outcome = 'acknowledged';
          entry.chargeId = res.body.id;
        } else {
          entry.outcome = `status_${res.status}`;
          violation(`before the kill, ${entry.key} answered ${res.status}: ${res.text.slice(0, 200)}`);
        }
      } catch {
        // No answer: the kill (or a connection reset by it) caught this request in flight.
      }
    }
  };
  const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));
  await new Promise((r) => setTimeout(r, LOAD_MS));
  stopping = true;
  server.child.kill('SIGKILL');
  await Promise.all(clients);
  agent.destroy();
}

/** Retries a request with its key until it gets a final answer (409 = still locked by the dead process; 5xx = retryable). */
async function retry(entry, port) {
  const deadline = Date.now() + 30_000;
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await request(port, 'POST', '/v1/charges', {
        body: bodyFor(entry.description),
        headers: { ...HEADERS, 'idempotency-key': entry.key },
      });
      if (res.status !== 409 && res.status < 500) return res;
    } catch {
      // connection trouble: retry
    }
    if (Date.now() > deadline) return null;
    await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** attempt, 500)));
  }
}

/**
 * A read, asked again on a timeout or a broken connection until 30 s have passed: what is checked is what
 * the restarted server holds, and a machine starved for a moment (CI beside other work) is no violation.
 * A server that never answers still fails the test.
 */
async function read(port, path) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await request(port, 'GET', path, { headers: HEADERS });
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`GET ${path}: no answer for 30 s (${error.message})`);
    }
  }
}

async function verify(port) {
  const counts = { acknowledged: 0, acknowledged_replayed: 0, in_flight: 0, in_flight_resolved: 0 };
  const tasks = [];
  for (const entry of sent) {
    if (entry.verified) continue;
    if (entry.outcome === 'acknowledged') {
      counts.acknowledged++;
      tasks.push(async () => {
        const replay = await retry(entry, port);
        if (!replay) return violation(`acknowledged ${entry.key}: no answer after restart`);
        if (replay.status !== 200 || replay.body?.id !== entry.chargeId) {
          return violation(`acknowledged ${entry.key} (${entry.chargeId}) replayed as ${replay.status} ${replay.body?.id}`);
        }
        if (replay.headers['idempotent-replayed'] !== 'true') violation(`acknowledged ${entry.key}: replay lacks Idempotent-Replayed: true`);
        const found = await read(port, `/v1/charges/${entry.chargeId}`);
        if (found.status !== 200 || found.body.description !== entry.description || found.body.status !== 'succeeded') {
          return violation(`acknowledged charge ${entry.chargeId} missing or changed after restart: ${found.status}`);
        }
        counts.acknowledged_replayed++;
      });
    } else if (entry.outcome === 'in_flight') {
      counts.in_flight++;
      tasks.push(async () => {
        const res = await retry(entry, port);
        if (!res || res.status !== 200) return violation(`in-flight ${entry.key}: retry ended in ${res?.status ?? 'no answer'}`);
        entry.outcome = 'acknowledged';
        entry.chargeId = res.body.id;
        counts.in_flight_resolved++;
      });
    }
    entry.verified = true;
  }
  // A few at a time: a thundering herd of retries is not what is being tested.
  const queue = [...tasks];
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (queue.length) await queue.shift()();
  }));
  return counts;
}

/**
 * Where the requests in flight at the kill stood, as the restarted server found them: the recovery point
 * each one's key had reached (or none, for a request killed before its key phase committed). Read before
 * any retry, so it shows which points the retries resume from.
 */
function recoveryPointsOfInFlight() {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const find = db.prepare('SELECT recovery_point FROM idempotency_keys WHERE key = ?').pluck();
    const points = {};
    for (const entry of sent) {
      if (entry.verified || entry.outcome !== 'in_flight') continue;
      const point = find.get(entry.key) ?? 'no key';
      points[point] = (points[point] ?? 0) + 1;
    }
    return points;
  } finally {
    db.close();
  }
}

/** Recovery points past the key phase, which a retry resumes from rather than starting over. */
const INTERMEDIATE_POINTS = ['charge_created', 'payment_processed'];
/** How many times a latency round may kill before one catches a request between phases. */
const KILLS_PER_LATENCY_ROUND = 3;

async function allCharges(port) {
  const charges = [];
  let after = null;
  for (;;) {
    const res = await read(port, `/v1/charges?limit=100${after ? `&starting_after=${after}` : ''}`);
    if (res.status !== 200) throw new Error(`listing charges failed: ${res.status} ${res.text}`);
    charges.push(...res.body.data);
    if (!res.body.has_more) return charges;
    after = res.body.data.at(-1).id;
  }
}

try {
  let server = await start(1);
  for (let round = 1; round <= ROUNDS; round++) {
    for (let kill = 1; ; kill++) {
      await loadAndKill(server, round);
      server = await start(round + 1);
      const points = recoveryPointsOfInFlight();
      const counts = await verify(server.port);
      console.log(
        `round ${round}${kill > 1 ? ` (kill ${kill})` : ''}: ${counts.acknowledged} acknowledged before the kill (${counts.acknowledged_replayed} replayed intact after restart), ` +
          `${counts.in_flight} in flight at the kill (${counts.in_flight_resolved} resolved to a charge by a keyed retry; ` +
          `their keys at restart: ${Object.entries(points).map(([point, n]) => `${n} ${point}`).join(', ') || 'none'})`,
      );
      const resumed = INTERMEDIATE_POINTS.reduce((n, point) => n + (points[point] ?? 0), 0);
      if (round % 2 === 0 && NETWORK_LATENCY_MS > 0 && resumed === 0) {
        // Where the kill lands is chance: the clients move nearly in step, and now and then (one CI run in
        // stop 26) a kill finds none of them waiting on the network. Every check above still held for this
        // kill; the round loads and kills again, a few times, before calling it a violation.
        if (kill < KILLS_PER_LATENCY_ROUND) {
          await server.stop('SIGKILL');
          server = await start(round);
          continue;
        }
        violation(`round ${round}: in ${kill} kills no request in flight had passed its key phase; nothing resumed from a recovery point`);
      }
      break;
    }
  }

  const charges = await allCharges(server.port);
  const byDescription = new Map();
  for (const charge of charges) byDescription.set(charge.description, (byDescription.get(charge.description) ?? 0) + 1);
  const duplicated = [...byDescription].filter(([, n]) => n > 1);
  for (const [description, n] of duplicated) violation(`description ${description} appears ${n} times`);
  for (const entry of sent) {
    if (!byDescription.has(entry.description)) violation(`request ${entry.key} (${entry.description}) has no charge`);
  }
  if (charges.length !== sent.length) violation(`${sent.length} requests but ${charges.length} charges`);
  const ids = new Map(charges.map((c) => [c.description, c.id]));
  for (const entry of sent) {
    if (entry.chargeId && ids.get(entry.description) !== entry.chargeId) violation(`request ${entry.key} answered ${entry.chargeId}, listed ${ids.get(entry.description)}`);
  }
  await server.stop();
  console.log(`${sent.length} requests, ${charges.length} charges, ${byDescription.size} distinct descriptions, ${duplicated.length} duplicated`);
  if (violations.length) {
    console.error(`crash test FAILED: ${violations.length} violation(s)`);
    process.exitCode = 1;
  } else {
    console.log('crash test passed');
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
