import type { RequestLogEntity } from './request-log.entity.js';

export function serializeRequestLog(row: RequestLogEntity) {
  return {
    object: 'request_log' as const,
    id: row.id,
    method: row.method,
    path: row.path,
    status: row.status,
    /** True when the connection closed with no response (drop_response, crash_after_phase). */
    response_dropped: row.status === null,
    idempotency_key: row.idempotency_key,
    replayed: !!row.replayed,
    original_request: row.original_request,
    duration_ms: row.duration_ms,
    params: JSON.parse(row.params),
    response_body: parseBody(row.response_body),
    created: Math.floor(Number(row.created_at) / 1000),
  };
}

function parseBody(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text; // truncated, or not JSON
  }
}
