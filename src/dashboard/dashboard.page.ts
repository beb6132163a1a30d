import { THREE_DECIMAL, ZERO_DECIMAL } from '../charges/currencies.js';

/**
 * The dashboard page: HTML, CSS and script in one string, so there is no build step and nothing else to
 * serve. Sized for a projector (large type, strong colours). The script polls once a second with the key
 * kept in localStorage; its requests carry `Oncepay-Dashboard: 1` so they stay out of the request log.
 * (The script avoids template literals: this file is itself one.)
 */
export const DASHBOARD_HTML = String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>oncepay dashboard</title>
<style>
  :root {
    --ok: #0a7d32; --ok-bg: #dcf5e3;
    --replay: #5b2fc9; --replay-bg: #ebe3ff;
    --flight: #b35c00; --flight-bg: #ffe8c2;
    --fail: #c0142b; --fail-bg: #ffdfe3;
    --muted: #5f6b7a; --line: #c9d1db; --ink: #111827;
  }
  * { box-sizing: border-box; }
  body { margin: 0; font: 20px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f4f6f9; }
  header { display: flex; flex-wrap: wrap; gap: 14px; align-items: center; padding: 12px 20px; background: #111827; color: #fff; }
  header h1 { font-size: 30px; margin: 0 18px 0 0; letter-spacing: .5px; }
  header input { font: inherit; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 18px; width: 26em; padding: 6px 10px; border-radius: 6px; border: 0; }
  button, select, input[type=number] { font: inherit; font-size: 18px; padding: 6px 12px; border-radius: 6px; border: 2px solid var(--line); background: #fff; cursor: pointer; }
  button:hover { border-color: var(--ink); }
  button.danger { background: var(--fail); color: #fff; border-color: var(--fail); }
  button.fault { background: var(--flight-bg); border-color: var(--flight); color: #5a2e00; font-weight: 600; }
  #status { font-size: 18px; padding: 4px 10px; border-radius: 6px; background: #374151; }
  #status.live { background: var(--ok); }
  #status.error { background: var(--fail); }
  main { display: grid; grid-template-columns: minmax(0, 1.25fr) minmax(0, 1fr); gap: 16px; padding: 16px 20px; }
  section { background: #fff; border: 2px solid var(--line); border-radius: 10px; padding: 10px 14px; min-width: 0; }
  section h2 { font-size: 24px; margin: 2px 0 10px; display: flex; gap: 12px; align-items: baseline; }
  section h2 small { font-size: 16px; color: var(--muted); font-weight: normal; }
  .wide { grid-column: 1 / -1; }
  table { width: 100%; border-collapse: collapse; }
  th { text-align: left; font-size: 16px; color: var(--muted); font-weight: 600; border-bottom: 2px solid var(--line); padding: 4px 6px; }
  td { padding: 5px 6px; border-bottom: 1px solid #e5e9ef; vertical-align: middle; }
  tr.clickable { cursor: pointer; }
  tr.clickable:hover td { filter: brightness(.96); }
  .mono { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 17px; overflow-wrap: anywhere; }
  .badge { display: inline-block; padding: 2px 10px; border-radius: 999px; font-weight: 700; font-size: 17px; white-space: nowrap; }
  .b-ok { background: var(--ok-bg); color: var(--ok); }
  .b-replay { background: var(--replay-bg); color: var(--replay); }
  .b-flight { background: var(--flight-bg); color: var(--flight); }
  .b-fail { background: var(--fail-bg); color: var(--fail); }
  .b-muted { background: #eef1f5; color: var(--muted); }
  tr.r-ok td:first-child { border-left: 8px solid var(--ok); }
  tr.r-replay td { background: #f5f0ff; } tr.r-replay td:first-child { border-left: 8px solid var(--replay); }
  tr.r-fail td { background: #fff2f4; } tr.r-fail td:first-child { border-left: 8px solid var(--fail); }
  tr.r-flight td { background: var(--flight-bg); } tr.r-flight td:first-child { border-left: 8px solid var(--flight); }
  tr.r-dropped td { background: #ffe4e8; } tr.r-dropped td:first-child { border-left: 8px solid #7a0016; }
  .keyrow { border: 2px solid var(--line); border-radius: 8px; padding: 8px 10px; margin-bottom: 8px; cursor: pointer; }
  .keyrow.locked { border-color: var(--flight); background: var(--flight-bg); animation: pulse 1.2s ease-in-out infinite; }
  .keyrow.finished { border-color: #9fd8b0; }
  @keyframes pulse { 50% { box-shadow: 0 0 0 5px rgba(179, 92, 0, .25); } }
  .keyhead { display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; margin-bottom: 6px; }
  .timeline { display: flex; align-items: center; flex-wrap: wrap; gap: 4px; }
  .step { padding: 3px 10px; border-radius: 6px; font-size: 16px; font-weight: 600; background: #eef1f5; color: #8a94a3; border: 2px solid transparent; }
  .step.done { background: var(--ok-bg); color: var(--ok); }
  .step.current { border-color: var(--ink); color: var(--ink); background: #fff; }
  .step.current.flight { background: var(--flight); color: #fff; border-color: var(--flight); }
  .step.current.finished { background: var(--ok); color: #fff; border-color: var(--ok); }
  .arrow { color: #8a94a3; font-weight: 700; }
  .faults { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; }
  .legend { display: flex; gap: 10px; flex-wrap: wrap; font-size: 16px; }
  .empty { color: var(--muted); font-style: italic; padding: 6px; }
  #detail { position: fixed; inset: 6% 8%; background: #fff; border: 3px solid var(--ink); border-radius: 12px; box-shadow: 0 20px 60px rgba(0,0,0,.35); display: none; flex-direction: column; z-index: 10; }
  #detail.open { display: flex; }
  #detail header { justify-content: space-between; }
  #detail h3 { margin: 0; font-size: 24px; }
  #detail pre { margin: 0; padding: 16px 20px; overflow: auto; font-size: 18px; flex: 1; white-space: pre-wrap; overflow-wrap: anywhere; }
  #hint { padding: 40px; font-size: 24px; color: var(--muted); text-align: center; }
  .amount { font-variant-numeric: tabular-nums; font-weight: 600; }
  .hidden { display: none !important; }
</style>
</head>
<body>
<header>
  <h1>oncepay</h1>
  <label for="key-input">Secret key</label>
  <input id="key-input" placeholder="sk_test_..." autocomplete="off" spellcheck="false">
  <button id="connect">Connect</button>
  <span id="status">not connected</span>
  <span style="flex:1"></span>
  <button id="reset" class="danger" title="Delete every object of this account">Reset account</button>
</header>
<div id="hint">Paste the secret key your client uses (for example the one <b>npm run demo</b> prints) and press Connect.</div>
<main id="board" class="hidden">
  <section class="wide" id="faults-panel">
    <h2>Faults <small>the next matching request misbehaves</small></h2>
    <div class="faults">
      <label>on <select id="fault-path">
        <option>/v1/charges</option><option>/v1/charges/:id/capture</option><option>/v1/refunds</option><option>/v1/customers</option>
      </select></label>
      <label>times <input id="fault-count" type="number" min="1" max="100" value="1" style="width:4.5em"></label>
      <button class="fault" data-fault="drop_response" title="The request commits; the connection is then closed with no response">Drop response</button>
      <button class="fault" data-fault="processor_timeout" title="The card network authorizes but its answer is lost">Processor timeout</button>
      <button class="fault" data-fault="crash_after_phase" title="The process dies right after this phase commits; the key stays locked">Crash after</button>
      <select id="fault-phase">
        <option>started</option><option selected>charge_created</option><option>payment_processed</option>
        <option>capture_requested</option><option>refund_created</option><option>refund_processed</option><option>finished</option>
      </select>
      <button id="clear-faults">Clear faults</button>
      <span id="armed" class="legend"></span>
    </div>
  </section>
  <section id="requests-panel">
    <h2>Requests <small>newest first · click for params and response</small></h2>
    <div class="legend">
      <span class="badge b-ok">2xx</span><span class="badge b-replay">replayed</span>
      <span class="badge b-flight">409 in flight</span><span class="badge b-fail">error</span><span class="badge b-fail">no response</span>
    </div>
    <table><thead><tr><th>time</th><th>request</th><th>status</th><th>idempotency key</th><th>ms</th></tr></thead>
    <tbody id="requests"></tbody></table>
  </section>
  <section id="keys-panel">
    <h2>Idempotency keys <small>recovery points · click for the stored response</small></h2>
    <div id="keys"></div>
  </section>
  <section id="charges-panel">
    <h2>Charges</h2>
    <table><thead><tr><th>id</th><th>amount</th><th>status</th><th>refunded</th><th>created</th></tr></thead>
    <tbody id="charges"></tbody></table>
  </section>
  <section id="refunds-panel">
    <h2>Refunds</h2>
    <table><thead><tr><th>id</th><th>charge</th><th>amount</th><th>status</th></tr></thead>
    <tbody id="refunds"></tbody></table>
  </section>
  <section id="events-panel" class="hidden">
    <h2>Events</h2>
    <table><thead><tr><th>id</th><th>type</th><th>object</th><th>created</th></tr></thead>
    <tbody id="events"></tbody></table>
  </section>
  <section id="deliveries-panel" class="hidden">
    <h2>Webhook deliveries</h2>
    <table><thead><tr><th>event</th><th>type</th><th>attempt</th><th>result</th><th>status</th></tr></thead>
    <tbody id="deliveries"></tbody></table>
  </section>
</main>
<div id="detail">
  <header><h3 id="detail-title"></h3><button id="detail-close">Close</button></header>
  <pre id="detail-body"></pre>
</div>
<script>
(function () {
  'use strict';
  var POLL_MS = 1000;
  var STEPS = {
    charge: ['started', 'charge_created', 'payment_processed', 'finished'],
    refund: ['started', 'refund_created', 'refund_processed', 'finished'],
    other: ['started', 'finished']
  };
  var key = localStorage.getItem('oncepay.key') || '';
  var timer = null;
  var last = {};
  var details = {};
  var $ = function (id) { return document.getElementById(id); };

  function esc(v) {
    return String(v === null || v === undefined ? '' : v).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function time(sec) { return sec ? new Date(sec * 1000).toLocaleTimeString() : ''; }
  // The server's own lists, so ¥500 is not shown as 5.00 JPY nor 1.230 KWD as 12.30.
  var ZERO_DECIMAL = ${JSON.stringify([...ZERO_DECIMAL])};
  var THREE_DECIMAL = ${JSON.stringify([...THREE_DECIMAL])};
  function money(amount, currency) {
    var digits = ZERO_DECIMAL.indexOf(currency) >= 0 ? 0 : THREE_DECIMAL.indexOf(currency) >= 0 ? 3 : 2;
    return (amount / Math.pow(10, digits)).toFixed(digits) + ' ' + String(currency || '').toUpperCase();
  }
  function badge(cls, text) { return '<span class="badge ' + cls + '">' + esc(text) + '</span>'; }

  function api(method, path, body) {
    var headers = { 'Authorization': 'Bearer ' + key, 'Oncepay-Dashboard': '1' };
    var init = { method: method, headers: headers };
    if (body) { headers['Content-Type'] = 'application/x-www-form-urlencoded'; init.body = new URLSearchParams(body).toString(); }
    return fetch(path, init).then(function (res) {
      return res.text().then(function (text) {
        var json = null;
        try { json = text ? JSON.parse(text) : null; } catch (e) { json = text; }
        return { status: res.status, body: json };
      });
    });
  }

  function showDetail(title, value) {
    $('detail-title').textContent = title;
    $('detail-body').textContent = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
    $('detail').classList.add('open');
  }

  function requestClass(r) {
    if (r.response_dropped) return 'r-dropped';
    if (r.replayed) return 'r-replay';
    if (r.status === 409) return 'r-flight';
    if (r.status >= 400) return 'r-fail';
    return 'r-ok';
  }
  function statusBadge(r) {
    if (r.response_dropped) return badge('b-fail', 'no response');
    var s = badge(r.status === 409 ? 'b-flight' : r.status >= 400 ? 'b-fail' : 'b-ok', r.status);
    if (r.replayed) s += ' ' + badge('b-replay', 'replayed');
    return s;
  }
  function renderRequests(list) {
    details.requests = {};
    var rows = list.data.map(function (r) {
      details.requests[r.id] = r;
      return '<tr class="clickable ' + requestClass(r) + '" data-request-id="' + esc(r.id) + '" data-status="' + esc(r.status) +
        '" data-replayed="' + r.replayed + '"><td>' + time(r.created) + '</td><td><b>' + esc(r.method) + '</b> <span class="mono">' +
        esc(r.path) + '</span></td><td>' + statusBadge(r) + '</td><td class="mono">' + esc(r.idempotency_key || '—') +
        '</td><td>' + esc(r.duration_ms) + '</td></tr>';
    });
    $('requests').innerHTML = rows.join('') || '<tr><td colspan="5" class="empty">No requests yet</td></tr>';
  }

  function stepsFor(k) {
    var steps = /\/refunds$/.test(k.request_path) ? STEPS.refund : k.request_path === '/v1/charges' ? STEPS.charge : STEPS.other;
    if (steps.indexOf(k.recovery_point) < 0) steps = steps.slice(0, -1).concat([k.recovery_point, 'finished']);
    return steps;
  }
  function renderKeys(list) {
    details.keys = {};
    var html = list.data.map(function (k) {
      details.keys[k.key] = k;
      var steps = stepsFor(k);
      var at = steps.indexOf(k.recovery_point);
      var locked = k.locked_at !== null;
      var finished = k.recovery_point === 'finished';
      var line = steps.map(function (s, i) {
        var cls = 'step' + (i < at ? ' done' : '') + (i === at ? ' current' + (finished ? ' finished' : locked ? ' flight' : '') : '');
        return '<span class="' + cls + '">' + esc(s) + '</span>';
      }).join('<span class="arrow">→</span>');
      var state = finished ? badge(k.response_code >= 400 ? 'b-fail' : 'b-ok', 'finished ' + k.response_code)
        : locked ? badge('b-flight', 'locked · in flight') : badge('b-muted', 'unlocked · resumable');
      return '<div class="keyrow' + (locked ? ' locked' : '') + (finished ? ' finished' : '') + '" data-key="' + esc(k.key) +
        '" data-recovery-point="' + esc(k.recovery_point) + '" data-locked="' + locked + '"><div class="keyhead"><b class="mono">' +
        esc(k.key) + '</b><span class="mono">' + esc(k.request_method + ' ' + k.request_path) + '</span>' + state +
        '</div><div class="timeline">' + line + '</div></div>';
    });
    $('keys').innerHTML = html.join('') || '<div class="empty">No idempotency keys yet</div>';
  }

  function chargeBadge(c) {
    if (c.status === 'failed') return badge('b-fail', 'failed');
    if (c.status === 'pending') return badge('b-flight', 'pending');
    if (c.refunded) return badge('b-replay', 'refunded');
    return badge('b-ok', c.captured ? 'succeeded' : 'uncaptured');
  }
  function renderCharges(list) {
    details.charges = {};
    $('charges').innerHTML = list.data.map(function (c) {
      details.charges[c.id] = c;
      return '<tr class="clickable" data-charge-id="' + esc(c.id) + '"><td class="mono">' + esc(c.id) + '</td><td class="amount">' +
        money(c.amount, c.currency) + '</td><td>' + chargeBadge(c) + (c.failure_code ? ' <span class="mono">' + esc(c.failure_code) + '</span>' : '') +
        '</td><td class="amount">' + (c.amount_refunded ? money(c.amount_refunded, c.currency) : '—') + '</td><td>' + time(c.created) + '</td></tr>';
    }).join('') || '<tr><td colspan="5" class="empty">No charges yet</td></tr>';
  }
  function renderRefunds(list) {
    details.refunds = {};
    $('refunds').innerHTML = list.data.map(function (r) {
      details.refunds[r.id] = r;
      var cls = r.status === 'succeeded' ? 'b-ok' : r.status === 'pending' ? 'b-flight' : 'b-fail';
      return '<tr class="clickable" data-refund-id="' + esc(r.id) + '"><td class="mono">' + esc(r.id) + '</td><td class="mono">' + esc(r.charge) +
        '</td><td class="amount">' + money(r.amount, r.currency) + '</td><td>' + badge(cls, r.status) + '</td></tr>';
    }).join('') || '<tr><td colspan="4" class="empty">No refunds yet</td></tr>';
  }
  function renderEvents(list) {
    details.events = {};
    $('events').innerHTML = list.data.map(function (e) {
      details.events[e.id] = e;
      var obj = e.data && e.data.object ? e.data.object.id : '';
      return '<tr class="clickable" data-event-id="' + esc(e.id) + '"><td class="mono">' + esc(e.id) + '</td><td><b>' + esc(e.type) +
        '</b></td><td class="mono">' + esc(obj) + '</td><td>' + time(e.created) + '</td></tr>';
    }).join('') || '<tr><td colspan="4" class="empty">No events yet</td></tr>';
  }
  function renderDeliveries(list) {
    $('deliveries').innerHTML = list.data.map(function (d) {
      var ok = d.status_code >= 200 && d.status_code < 300;
      var result = d.attempt === 0 ? badge('b-flight', 'queued') : ok ? badge('b-ok', d.status_code) : badge('b-fail', d.status_code || d.error || 'failed');
      var st = d.delivery_status === 'succeeded' ? 'b-ok' : d.delivery_status === 'pending' ? 'b-flight' : 'b-fail';
      return '<tr><td class="mono">' + esc(d.event) + '</td><td>' + esc(d.type) + '</td><td>' + esc(d.attempt) + '</td><td>' + result +
        '</td><td>' + badge(st, d.delivery_status) + '</td></tr>';
    }).join('') || '<tr><td colspan="5" class="empty">No deliveries yet</td></tr>';
  }
  function renderFaults(list) {
    $('armed').innerHTML = list.data.length ? 'armed: ' + list.data.map(function (f) {
      return badge('b-flight', f.fault + (f.phase ? ' ' + f.phase : '') + ' on ' + f.path + ' ×' + f.remaining);
    }).join(' ') : '<span class="empty">no faults armed</span>';
  }

  var PANELS = [
    ['requests', '/_control/requests?limit=25', renderRequests],
    ['keys', '/_control/idempotency_keys?limit=12', renderKeys],
    ['charges', '/v1/charges?limit=15', renderCharges],
    ['refunds', '/v1/refunds?limit=10', renderRefunds],
    ['events', '/v1/events?limit=10', renderEvents, 'events-panel'],
    ['deliveries', '/_control/webhook_deliveries?limit=10', renderDeliveries, 'deliveries-panel'],
    ['faults', '/_control/faults', renderFaults]
  ];

  function setStatus(cls, text) { var s = $('status'); s.className = cls; s.textContent = text; }

  function poll() {
    if (!key) return;
    Promise.all(PANELS.map(function (p) {
      return api('GET', p[1]).then(function (res) {
        if (p[3]) $(p[3]).classList.toggle('hidden', res.status !== 200); // optional panels: shown only where the endpoint exists
        if (res.status === 401) throw new Error((res.body && res.body.error && res.body.error.message) || 'invalid key');
        if (res.status !== 200) return;
        var text = JSON.stringify(res.body);
        if (last[p[0]] === text) return; // unchanged: leave the DOM alone (no flicker, hover and scroll kept)
        last[p[0]] = text;
        p[2](res.body);
      });
    })).then(function () {
      setStatus('live', 'live · ' + new Date().toLocaleTimeString());
    }, function (err) {
      setStatus('error', String(err && err.message || err));
    }).then(function () {
      timer = setTimeout(poll, POLL_MS);
    });
  }

  function connect() {
    key = $('key-input').value.trim();
    localStorage.setItem('oncepay.key', key);
    last = {};
    clearTimeout(timer);
    $('board').classList.toggle('hidden', !key);
    $('hint').classList.toggle('hidden', !!key);
    if (key) { setStatus('', 'connecting…'); poll(); }
  }

  $('key-input').value = key;
  $('connect').addEventListener('click', connect);
  $('key-input').addEventListener('keydown', function (e) { if (e.key === 'Enter') connect(); });
  $('detail-close').addEventListener('click', function () { $('detail').classList.remove('open'); });
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape') $('detail').classList.remove('open'); });

  Array.prototype.forEach.call(document.querySelectorAll('button[data-fault]'), function (b) {
    b.addEventListener('click', function () {
      var spec = { path: $('fault-path').value, fault: b.getAttribute('data-fault'), count: $('fault-count').value || '1' };
      if (spec.fault === 'crash_after_phase') spec.phase = $('fault-phase').value;
      api('POST', '/_control/faults', spec).then(function (res) {
        if (res.status !== 200) showDetail('Could not arm the fault', res.body);
        last.faults = null; poll();
      });
    });
  });
  $('clear-faults').addEventListener('click', function () { api('DELETE', '/_control/faults').then(function () { last.faults = null; }); });
  $('reset').addEventListener('click', function () {
    if (!confirm('Delete every charge, refund, customer, key and log entry of this account?')) return;
    api('POST', '/_control/reset').then(function () { last = {}; });
  });

  document.addEventListener('click', function (e) {
    var el = e.target.closest('[data-request-id], [data-key], [data-charge-id], [data-refund-id], [data-event-id]');
    if (!el) return;
    if (el.hasAttribute('data-request-id')) {
      var r = details.requests[el.getAttribute('data-request-id')];
      showDetail(r.method + ' ' + r.path + ' → ' + (r.response_dropped ? 'no response' : r.status) + (r.replayed ? ' (replayed)' : ''),
        { request_id: r.id, idempotency_key: r.idempotency_key, original_request: r.original_request, params: r.params, response_body: r.response_body });
    } else if (el.hasAttribute('data-key')) {
      var k = el.getAttribute('data-key');
      api('GET', '/_control/idempotency_keys/' + encodeURIComponent(k)).then(function (res) {
        var v = res.body || {};
        showDetail('Stored response for ' + k + (v.response_code ? ' (' + v.response_code + ')' : ' (none yet: ' + v.recovery_point + ')'), v.response_body !== undefined && v.response_body !== null ? v.response_body : v);
      });
    } else if (el.hasAttribute('data-charge-id')) {
      showDetail(el.getAttribute('data-charge-id'), details.charges[el.getAttribute('data-charge-id')]);
    } else if (el.hasAttribute('data-refund-id')) {
      showDetail(el.getAttribute('data-refund-id'), details.refunds[el.getAttribute('data-refund-id')]);
    } else {
      showDetail(el.getAttribute('data-event-id'), details.events[el.getAttribute('data-event-id')]);
    }
  });

  if (key) connect();
})();
</script>
</body>
</html>
`;
