// npm run bench [-- --scale] [-- --reaper] [-- --rss] [-- --sync-full] [-- --all] [-- --no-build]
//
// Starts oncepay (dist/oncepay.mjs, as npm start does) on a fresh temporary SQLite file and drives it with autocannon, then
// does the same against ../shared/bench/floor-server.mjs (bare node:http + better-sqlite3) in the same
// run, and prints oncepay's ratio to the floor per workload. Heavy measurements are opt-in flags.
// Environment: BENCH_SECONDS (per workload, default 5), BENCH_ROUNDS (2: each workload runs on each server that many
// times, alternating which goes first), BENCH_CONNECTIONS (32), BENCH_WARMUP_SECONDS (1),
// BENCH_RSS_CHARGES (100000), BENCH_SCALE_SMALL (10000), BENCH_SCALE_LARGE (1000000), BENCH_REAP_KEYS (1000000).
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { execSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AUTH, freePort, machinePauses, request, startOncepay, startServer } from './lib.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(ROOT);
const FLOOR = path.resolve('..', 'shared', 'bench', 'floor-server.mjs');

const argv = new Set(process.argv.slice(2));
const all = argv.has('--all');
const opts = {
  build: !argv.has('--no-build'),
  scale: all || argv.has('--scale'),
  reaper: all || argv.has('--reaper'),
  rss: all || argv.has('--rss'),
  syncFull: all || argv.has('--sync-full'),
  seconds: Number(process.env.BENCH_SECONDS ?? 5),
  rounds: Number(process.env.BENCH_ROUNDS ?? 2),
  warmup: Number(process.env.BENCH_WARMUP_SECONDS ?? 1),
  connections: Number(process.env.BENCH_CONNECTIONS ?? 32),
  rssCharges: Number(process.env.BENCH_RSS_CHARGES ?? 100_000),
  scaleSmall: Number(process.env.BENCH_SCALE_SMALL ?? 10_000),
  scaleLarge: Number(process.env.BENCH_SCALE_LARGE ?? 1_000_000),
  reapKeys: Number(process.env.BENCH_REAP_KEYS ?? 1_000_000),
};

const CHARGE_BODY = 'amount=2000&currency=usd&source=tok_visa&description=bench';
const CUSTOMER_BODY = 'email=bench%40example.com&name=Bench&metadata[plan]=pro&metadata[order]=1234';
const FORM = { 'content-type': 'application/x-www-form-urlencoded', authorization: AUTH };

const tmp = mkdtempSync(path.join(tmpdir(), 'oncepay-bench-'));
const results = {
  when: new Date().toISOString(),
  node: process.version,
  connections: opts.connections,
  seconds: opts.seconds,
  rounds: opts.rounds,
  workloads: {},
};
const log = (...a) => console.error(...a);

// ---------------------------------------------------------------- load generation

function cannon(port, req, { seconds = opts.seconds, amount, connections = opts.connections } = {}) {
  return autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    ...(amount ? { amount } : { duration: seconds }),
    requests: [req],
    timeout: 10,
  });
}

function summary(r) {
  return {
    rps: Math.round(r.requests.average),
    requests: r.requests.total,
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    mean: Math.round(r.latency.mean * 100) / 100,
    errors: r.non2xx + r.errors + r.timeouts,
  };
}

/** The five workloads of issue 5, as autocannon requests for a server on `port`. */
async function workloads(port) {
  const charge = await request(port, 'POST', '/v1/charges', { body: CHARGE_BODY });
  if (charge.status !== 200) throw new Error(`could not create a charge: ${charge.status} ${charge.text}`);
  const replayKey = `bench-replay-${randomUUID()}`;
  const first = await request(port, 'POST', '/v1/charges', { body: CHARGE_BODY, headers: { 'idempotency-key': replayKey } });
  if (first.status !== 200) throw new Error(`could not create the replayed charge: ${first.status} ${first.text}`);
  return {
    create_customer: { method: 'POST', path: '/v1/customers', headers: FORM, body: CUSTOMER_BODY },
    create_charge_keyed: {
      method: 'POST',
      path: '/v1/charges',
      headers: FORM,
      body: CHARGE_BODY,
      // A fresh key per request: every one runs every phase.
      setupRequest: (req) => ({ ...req, headers: { ...req.headers, 'idempotency-key': randomUUID() } }),
    },
    replay_charge: { method: 'POST', path: '/v1/charges', headers: { ...FORM, 'idempotency-key': replayKey }, body: CHARGE_BODY },
    retrieve_charge: { method: 'GET', path: `/v1/charges/${charge.body.id}`, headers: { authorization: AUTH } },
    list_charges: { method: 'GET', path: '/v1/charges?limit=10', headers: { authorization: AUTH } },
  };
}

async function runWorkloads(port, label) {
  const out = {};
  for (const [name, req] of Object.entries(await workloads(port))) out[name] = await measure(port, req, label, name);
  return out;
}

async function measure(port, req, label, name) {
  if (opts.warmup > 0) await cannon(port, req, { seconds: opts.warmup });
  const s = summary(await cannon(port, req));
  log(`  ${label.padEnd(8)} ${name.padEnd(20)} ${String(s.rps).padStart(6)} req/s  p50 ${s.p50} ms  p99 ${s.p99} ms  errors ${s.errors}`);
  return s;
}

/**
 * Each workload against each server, `opts.rounds` times, alternating which goes first (oncepay, floor;
 * floor, oncepay; …): this VM's speed drifts by a quarter over minutes, and measuring both sides of a
 * ratio minutes apart made the ratio drift with it. Each side's figure is the mean of its rounds (the
 * worst p99 and max); every round is kept in the JSON. The server not being measured is stopped
 * (SIGSTOP) meanwhile: oncepay idle still polls and checkpoints (~1 % of a core), which is not the
 * floor's to pay.
 */
async function interleaved(servers) {
  const plans = await Promise.all(servers.map(async (s) => ({ ...s, workloads: await workloads(s.port) })));
  const alone = async (plan, work) => {
    const others = plans.filter((p) => p !== plan);
    for (const p of others) p.child.kill('SIGSTOP');
    try {
      return await work();
    } finally {
      for (const p of others) p.child.kill('SIGCONT');
    }
  };
  // Every server runs every workload once before anything is measured: the first workload measured on a
  // fresh process otherwise pays for JIT compilation that a one-second warm-up does not finish.
  if (opts.warmup > 0) {
    for (const plan of plans) {
      for (const req of Object.values(plan.workloads)) await alone(plan, () => cannon(plan.port, req, { seconds: 2 * opts.warmup }));
    }
  }
  const out = Object.fromEntries(servers.map((s) => [s.label, {}]));
  for (const name of Object.keys(plans[0].workloads)) {
    const rounds = Object.fromEntries(servers.map((s) => [s.label, []]));
    for (let round = 0; round < opts.rounds; round++) {
      const order = round % 2 === 0 ? plans : [...plans].reverse();
      for (const plan of order) rounds[plan.label].push(await alone(plan, () => measure(plan.port, plan.workloads[name], plan.label, name)));
    }
    for (const [label, runs] of Object.entries(rounds)) out[label][name] = combine(runs);
  }
  return out;
}

function combine(runs) {
  const mean = (key) => Math.round(runs.reduce((sum, r) => sum + r[key], 0) / runs.length);
  return {
    rps: mean('rps'),
    requests: runs.reduce((sum, r) => sum + r.requests, 0),
    p50: mean('p50'),
    p99: Math.max(...runs.map((r) => r.p99)),
    max: Math.max(...runs.map((r) => r.max)),
    mean: Math.round((runs.reduce((sum, r) => sum + r.mean, 0) / runs.length) * 100) / 100,
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    ...(runs.length > 1 ? { rounds: runs } : {}),
  };
}

// ---------------------------------------------------------------- servers

async function startFloor(dbFile) {
  const port = await freePort();
  return startServer({ name: 'floor', args: [FLOOR, String(port), dbFile], cwd: ROOT, port });
}

function countCharges(dbFile) {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT count(*) AS n FROM charges').get().n;
  } finally {
    db.close();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (bytes) => (bytes == null ? null : Math.round(bytes / 1024 / 1024));

// ---------------------------------------------------------------- the main comparison

async function mainComparison() {
  const dbFile = path.join(tmp, 'oncepay.sqlite');
  log(`oncepay: fresh database ${dbFile}`);
  let server = await startOncepay(dbFile);
  const floorServer = existsSync(FLOOR) ? await startFloor(path.join(tmp, 'floor.sqlite')) : null;
  if (!floorServer) {
    log(`floor server not found at ${FLOOR}: skipping the comparison`);
    results.floor_note = `not found at ${FLOOR}`;
  }
  const measured = await interleaved([
    { label: 'oncepay', port: server.port, child: server.child },
    ...(floorServer ? [{ label: 'floor', port: floorServer.port, child: floorServer.child }] : []),
  ]);
  const oncepay = measured.oncepay;
  const floor = measured.floor ?? null;
  await floorServer?.stop();
  const charges = countCharges(dbFile);
  results.rss_after_default_run = { charges, rss_mb: mb(server.rssBytes()) };
  await server.stop();

  // Start-up on an existing database (the one the workloads just filled): median of three.
  const startups = [];
  for (let i = 0; i < 3; i++) {
    server = await startOncepay(dbFile);
    startups.push(server.startupMs);
    await server.stop();
  }
  results.startup_ms = { median: Math.round(median(startups)), runs: startups.map(Math.round), charges_in_db: charges };

  let full = null;
  if (opts.syncFull) {
    server = await startOncepay(path.join(tmp, 'oncepay-full.sqlite'), { SQLITE_SYNCHRONOUS: 'FULL' });
    full = await runWorkloads(server.port, 'FULL');
    await server.stop();
  }

  for (const name of Object.keys(oncepay)) {
    const o = oncepay[name];
    const f = floor?.[name];
    results.workloads[name] = {
      oncepay: o,
      floor: f ?? null,
      // Three decimals: rounded to two, 0.498 showed as 0.5 and passed the ≥ 0.5 target.
      ratio: f ? Math.round((o.rps / f.rps) * 1000) / 1000 : null,
      ...(full ? { oncepay_synchronous_full: full[name] } : {}),
    };
  }
}

// ---------------------------------------------------------------- scale: 10k vs 1M charges in one account

function seedCharges(dbFile, total) {
  const db = new Database(dbFile);
  const have = db.prepare('SELECT count(*) AS n FROM charges').get().n;
  const template = db.prepare('SELECT id FROM charges ORDER BY seq LIMIT 1').get();
  const columns = db.prepare('SELECT name FROM pragma_table_info(?)').all('charges').map((c) => c.name).filter((c) => c !== 'seq' && c !== 'id');
  const add = total - have;
  if (add > 0) {
    // Copies of a real charge (same card snapshot and account) under new ids, inserted in one transaction.
    db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO charges (id, ${columns.join(', ')})
       SELECT 'ch_' || lower(hex(randomblob(12))), ${columns.map((c) => `t.${c}`).join(', ')}
       FROM n, (SELECT * FROM charges WHERE id = ?) AS t`,
    ).run(add, template.id);
  }
  // Ids spread over the whole table, for retrievals that do not all hit the same pages.
  const count = db.prepare('SELECT max(seq) AS m FROM charges').get().m;
  const ids = [];
  const pick = db.prepare('SELECT id FROM charges WHERE seq >= ? ORDER BY seq LIMIT 1');
  for (let i = 0; i < 1000; i++) ids.push(pick.get(1 + Math.floor(Math.random() * count)).id);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return ids;
}

async function measureReads(dbFile, ids) {
  const server = await startOncepay(dbFile);
  const retrieve = {
    method: 'GET',
    path: '/v1/charges/x',
    headers: { authorization: AUTH },
    setupRequest: (req) => ({ ...req, path: `/v1/charges/${ids[Math.floor(Math.random() * ids.length)]}` }),
  };
  const list = { method: 'GET', path: '/v1/charges?limit=10', headers: { authorization: AUTH } };
  const listDeep = {
    method: 'GET',
    path: '/v1/charges?limit=10',
    headers: { authorization: AUTH },
    setupRequest: (req) => ({ ...req, path: `/v1/charges?limit=10&starting_after=${ids[Math.floor(Math.random() * ids.length)]}` }),
  };
  const out = { startup_ms: Math.round(server.startupMs) };
  for (const [name, req] of Object.entries({ retrieve_charge: retrieve, list_charges: list, list_charges_starting_after: listDeep })) {
    if (opts.warmup > 0) await cannon(server.port, req, { seconds: opts.warmup });
    out[name] = summary(await cannon(server.port, req));
  }
  out.rss_mb = mb(server.rssBytes());
  await server.stop();
  return out;
}

async function scale() {
  const dbFile = path.join(tmp, 'scale.sqlite');
  const server = await startOncepay(dbFile);
  const charge = await request(server.port, 'POST', '/v1/charges', { body: CHARGE_BODY });
  if (charge.status !== 200) throw new Error(`scale: could not create the template charge: ${charge.text}`);
  await server.stop();
  const out = {};
  for (const n of [opts.scaleSmall, opts.scaleLarge]) {
    const t0 = performance.now();
    const ids = seedCharges(dbFile, n);
    log(`  scale: ${n} charges seeded in ${Math.round(performance.now() - t0)} ms`);
    out[n] = await measureReads(dbFile, ids);
    for (const w of ['retrieve_charge', 'list_charges', 'list_charges_starting_after']) {
      const s = out[n][w];
      log(`  scale ${String(n).padStart(8)} ${w.padEnd(28)} ${String(s.rps).padStart(6)} req/s  mean ${s.mean} ms  p50 ${s.p50}  p99 ${s.p99}`);
    }
  }
  const [small, large] = [out[opts.scaleSmall], out[opts.scaleLarge]];
  out.growth = Object.fromEntries(
    ['retrieve_charge', 'list_charges', 'list_charges_starting_after'].map((w) => [
      w,
      // Three decimals for the one compared with the target (see `ratio`).
      { mean: Math.round((large[w].mean / small[w].mean) * 1000) / 1000, p99: round2(large[w].p99 / Math.max(small[w].p99, 1)), rps: round2(small[w].rps / large[w].rps) },
    ]),
  );
  results.scale = out;
}

const round2 = (x) => Math.round(x * 100) / 100;

// ---------------------------------------------------------------- reaper: p99 while 1M expired keys are deleted

async function reaper() {
  const dbFile = path.join(tmp, 'reaper.sqlite');
  let server = await startOncepay(dbFile);
  await server.stop();
  const db = new Database(dbFile);
  const old = Date.now() - 48 * 3_600_000;
  const t0 = performance.now();
  db.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
     INSERT INTO idempotency_keys (account, key, request_method, request_path, request_params, recovery_point, resource_id,
       locked_at, last_run_at, response_code, response_body, request_id, created_at)
     SELECT 'acct_reaperseed', 'expired-' || i, 'POST', '/v1/charges', '{"amount":"2000","currency":"usd","source":"tok_visa"}',
       'finished', NULL, NULL, ? + i, 200, '{"id":"ch_x","object":"charge"}', 'req_seed', ? + i FROM n`,
  ).run(opts.reapKeys, old, old);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  log(`  reaper: ${opts.reapKeys} expired keys seeded in ${Math.round(performance.now() - t0)} ms`);

  // A read workload shows what the reaper itself costs requests; keyed charges show it on the write
  // path, whose own p99 is far above 50 ms at 32 connections. Baselines on the same file with the
  // reaper idle, then the same workloads while it sweeps (every 50 ms).
  const names = ['retrieve_charge', 'create_charge_keyed'];
  server = await startOncepay(dbFile, { REAPER_INTERVAL_MS: '3600000' });
  let reqs = await workloads(server.port);
  const baseline = {};
  for (const name of names) {
    if (opts.warmup > 0) await cannon(server.port, reqs[name], { seconds: opts.warmup });
    baseline[name] = summary(await cannon(server.port, reqs[name]));
  }
  await server.stop();

  server = await startOncepay(dbFile, { REAPER_INTERVAL_MS: '50' });
  reqs = await workloads(server.port);
  const started = performance.now();
  const remaining = () => {
    const ro = new Database(dbFile, { readonly: true, fileMustExist: true });
    try {
      return ro.prepare("SELECT count(*) AS n FROM idempotency_keys WHERE account = 'acct_reaperseed'").get().n;
    } finally {
      ro.close();
    }
  };
  const during = {};
  const left = {};
  for (const name of names) {
    if (opts.warmup > 0) await cannon(server.port, reqs[name], { seconds: opts.warmup });
    during[name] = summary(await cannon(server.port, reqs[name], { seconds: Math.max(opts.seconds, 10) }));
    // Only meaningful while keys were still being deleted when the workload ended.
    left[name] = remaining();
  }
  let doneMs = null;
  for (let i = 0; i < 600 && remaining() > 0; i++) await new Promise((r) => setTimeout(r, 100));
  if (remaining() === 0) doneMs = Math.round(performance.now() - started);
  await server.stop();
  results.reaper = { keys: opts.reapKeys, baseline, during, left_after_workload: left, reap_done_ms: doneMs };
  for (const name of names) {
    const [b, d] = [baseline[name], during[name]];
    log(`  reaper: ${name} baseline ${b.rps} req/s p99 ${b.p99} ms; during reap ${d.rps} req/s p99 ${d.p99} ms max ${d.max} ms errors ${d.errors}; ${left[name]} keys left when it ended`);
  }
  log(`  reaper: all ${opts.reapKeys} keys reaped after ${doneMs} ms`);
}

// ---------------------------------------------------------------- RSS after N charges

async function rss() {
  const dbFile = path.join(tmp, 'rss.sqlite');
  const server = await startOncepay(dbFile);
  const req = (await workloads(server.port)).create_charge_keyed;
  const t0 = performance.now();
  const r = summary(await cannon(server.port, req, { amount: opts.rssCharges }));
  const rssBytes = server.rssBytes();
  const charges = countCharges(dbFile);
  await server.stop();
  const restarted = await startOncepay(dbFile);
  const startup = restarted.startupMs;
  const idleRss = restarted.rssBytes();
  await restarted.stop();
  results.rss = {
    charges,
    rss_mb: mb(rssBytes),
    seconds: Math.round((performance.now() - t0) / 1000),
    errors: r.errors,
    restart_startup_ms: Math.round(startup),
    restart_rss_mb: mb(idleRss),
  };
  log(`  rss: ${mb(rssBytes)} MiB after ${charges} charges (${r.errors} errors); restart on that file: ${Math.round(startup)} ms, ${mb(idleRss)} MiB`);
}

// ---------------------------------------------------------------- report

function printTable() {
  const rows = [['workload', 'oncepay req/s', 'p50 ms', 'p99 ms', 'errors', 'floor req/s', 'floor p99', 'ratio']];
  for (const [name, w] of Object.entries(results.workloads)) {
    rows.push([name, w.oncepay.rps, w.oncepay.p50, w.oncepay.p99, w.oncepay.errors, w.floor?.rps ?? '-', w.floor?.p99 ?? '-', w.ratio ?? '-']);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  const line = (r) => '| ' + r.map((c, i) => String(c).padEnd(widths[i])).join(' | ') + ' |';
  console.log(`\n${opts.connections} connections, ${opts.seconds} s per workload, Node ${process.version}`);
  console.log(line(rows[0]));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of rows.slice(1)) console.log(line(r));
  if (Object.values(results.workloads).some((w) => w.oncepay_synchronous_full)) {
    console.log('\nSQLITE_SYNCHRONOUS=FULL:');
    for (const [name, w] of Object.entries(results.workloads)) {
      const s = w.oncepay_synchronous_full;
      console.log(`  ${name.padEnd(20)} ${s.rps} req/s  p50 ${s.p50}  p99 ${s.p99}  errors ${s.errors}`);
    }
  }
  const m = results.machine_pauses;
  console.log(
    `\nthe machine itself, before the run (a fixed ${m.p50_ms} ms computation, ${m.chunks} times, one process per core): ` +
      `p99 ${m.p99_ms} ms, max ${m.max_ms} ms; ${m.over_2x_percent} % took over twice as long, ${m.over_10ms_percent} % over 10 ms longer`,
  );
  const s = results.startup_ms;
  console.log(`\nstart-up (existing database, ${s.charges_in_db} charges): median ${s.median} ms (runs ${s.runs.join(', ')})`);
  console.log(`RSS after the default run (${results.rss_after_default_run.charges} charges): ${results.rss_after_default_run.rss_mb} MiB`);

  const targets = [];
  for (const [name, w] of Object.entries(results.workloads)) {
    targets.push([`${name}: ratio >= 0.5`, w.ratio == null ? null : w.ratio >= 0.5, w.ratio]);
    targets.push([`${name}: zero errors`, w.oncepay.errors === 0, w.oncepay.errors]);
    targets.push([`${name}: p99 < 25 ms`, w.oncepay.p99 < 25, w.oncepay.p99]);
  }
  targets.push(['start-up < 1500 ms', s.median < 1500, s.median]);
  if (results.scale) {
    for (const [w, g] of Object.entries(results.scale.growth)) targets.push([`scale ${w}: mean latency growth <= 1.5x`, g.mean <= 1.5, g.mean]);
  }
  if (results.reaper) {
    for (const [name, d] of Object.entries(results.reaper.during)) {
      targets.push([`reaper: ${name} p99 < 50 ms during reap (baseline ${results.reaper.baseline[name].p99})`, d.p99 < 50 && results.reaper.left_after_workload[name] > 0, d.p99]);
    }
  }
  results.targets = targets.map(([target, met, value]) => ({ target, met, value }));
  console.log('\ntargets:');
  for (const [target, met, value] of targets) console.log(`  ${met == null ? 'n/a ' : met ? 'MET ' : 'MISS'}  ${target} (${value})`);
}

try {
  if (opts.build) execSync('npm run build', { stdio: ['ignore', 'ignore', 'inherit'] });
  results.machine_pauses = await machinePauses();
  await mainComparison();
  if (opts.scale) await scale();
  if (opts.reaper) await reaper();
  if (opts.rss) await rss();
  printTable();
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/latest.json', JSON.stringify(results, null, 2) + '\n');
  console.log('\nwritten: bench/results/latest.json');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
