import { maskPans } from './mask.js';
import { responseText, type RequestLogEntry } from './request-log.store.js';

export function serializeRequestLog(entry: RequestLogEntry) {
  return {
    object: 'request_log' as const,
    id: entry.id,
    method: entry.method,
    path: entry.path,
    status: entry.status,
    /** True when the connection closed with no response (drop_response, crash_after_phase). */
    response_dropped: entry.status === null,
    idempotency_key: entry.idempotency_key,
    replayed: entry.replayed,
    original_request: entry.original_request,
    duration_ms: entry.duration_ms,
    params: entry.params,
    // Masked here rather than on every request: the log is read far less often than it is written.
    response_body: parseBody(responseText(entry)),
    created: Math.floor(entry.created_at / 1000),
  };
}

function parseBody(raw: string | null): unknown {
  if (raw === null) return null;
  const text = maskPans(raw);
  try {
    return JSON.parse(text);
  } catch {
    return text; // truncated, or not JSON
  }
}
