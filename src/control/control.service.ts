import { Injectable } from '@nestjs/common';
import { ParameterError, ResourceMissingError } from '../common/errors/stripe-error.js';
import { Messages } from '../common/errors/messages.js';
import { ChargeJsonCache } from '../charges/charge-json.cache.js';
import { toSeconds } from '../common/ids.js';
import { TransactionRunner, type Tx } from '../database/transaction-runner.js';
import type { Fault } from '../faults/fault.js';
import { FaultsService, normaliseFaultPath } from '../faults/faults.service.js';
import { percentDecodes } from '../common/http/percent-decoding.js';
import { ResumableEndpoints } from '../idempotency/resumable-endpoints.js';
import { RequestLogStore } from '../request-log/request-log.store.js';
import type { IdempotencyKeyEntity } from '../idempotency/idempotency-key.entity.js';
import { IdempotencyKeyStore } from '../idempotency/idempotency-key.store.js';
import type { ArmFaultDto } from './dto/arm-fault.dto.js';


@Injectable()
export class ControlService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly keys: IdempotencyKeyStore,
    private readonly faults: FaultsService,
    private readonly requestLog: RequestLogStore,
    private readonly endpoints: ResumableEndpoints,
    private readonly chargeJson: ChargeJsonCache,
  ) {}

  armFault(account: string, dto: ArmFaultDto): Fault {
    if (dto.fault === 'crash_after_phase' && !dto.phase) throw ParameterError.missing('phase');
    if (dto.fault !== 'crash_after_phase' && dto.phase) {
      throw new ParameterError(Messages.phaseOnlyForCrash(dto.fault), 'phase');
    }
    return this.faults.arm(account, { ...dto, path: this.checkCanFire(dto) });
  }

  /**
   * A fault that can never fire would sit armed forever while the lesson it was for silently fails.
   * Returns the path to arm it on: a route written with parameter names of its own
   * (`/v1/charges/:charge/capture`) becomes the endpoint's pattern, which is what requests are matched to.
   */
  private checkCanFire(dto: ArmFaultDto): string {
    const path = normaliseFaultPath(dto.path);
    // A path whose escapes do not decode is no request's path (such a request is refused as malformed).
    if (!percentDecodes(path)) throw new ParameterError(Messages.faultPathUnknown(dto.path), 'path');
    const endpoint = this.endpoints.match(path);
    if (!endpoint) throw new ParameterError(Messages.faultPathUnknown(dto.path), 'path');
    if (dto.fault === 'processor_timeout' && !endpoint.callsNetwork) {
      throw new ParameterError(Messages.faultNeverFires(endpoint.pattern, this.endpoints.networkCallers()), 'fault');
    }
    if (dto.phase && !endpoint.recoveryPoints.includes(dto.phase)) {
      throw new ParameterError(Messages.phaseNeverReached(endpoint.pattern, dto.phase, endpoint.recoveryPoints), 'phase');
    }
    return armedPath(path, endpoint.pattern);
  }

  listFaults(account: string) {
    return { object: 'list' as const, url: '/_control/faults', has_more: false, data: this.faults.list(account) };
  }

  clearFaults(account: string) {
    this.faults.clear(account);
    return { object: 'list' as const, url: '/_control/faults', has_more: false, data: [] };
  }

  idempotencyKey(account: string, key: string) {
    const row = this.db.read((tx) => this.keys.find(tx, account, key));
    if (!row) throw new ResourceMissingError('idempotency_key', key, 'key');
    return serializeKey(row);
  }

  /** The account's keys, newest first (the dashboard draws each as a timeline of recovery points). */
  listIdempotencyKeys(account: string, limit: number, startingAfter: string | null) {
    const rows = this.db.read((tx) => {
      if (!startingAfter) {
        return tx.all<IdempotencyKeyEntity>('SELECT * FROM idempotency_keys WHERE account = ? ORDER BY seq DESC LIMIT ?', account, limit + 1);
      }
      const cursor = tx.get<{ seq: number }>('SELECT seq FROM idempotency_keys WHERE account = ? AND key = ?', account, startingAfter);
      if (!cursor) throw new ResourceMissingError('idempotency_key', startingAfter, 'starting_after');
      return tx.all<IdempotencyKeyEntity>(
        'SELECT * FROM idempotency_keys WHERE account = ? AND seq < ? ORDER BY seq DESC LIMIT ?', account, cursor.seq, limit + 1,
      );
    });
    const hasMore = rows.length > limit;
    return { object: 'list' as const, url: '/_control/idempotency_keys', has_more: hasMore, data: rows.slice(0, limit).map(serializeKey) };
  }

  /**
   * Deletes every object of the caller's account: all rows of every table that has an `account`
   * column (so a new resource is covered without touching this), and its armed faults.
   */
  reset(account: string) {
    const deleted: Record<string, number> = {};
    this.db.runNow((tx) => {
      for (const table of accountTables(tx)) deleted[table] = tx.run(`DELETE FROM "${table}" WHERE account = ?`, account).changes;
    });
    // In the same turn as the commit: no read can serve a deleted charge or key from a cache in between.
    this.chargeJson.forgetAccount(account);
    this.keys.forgetAccount(account);
    this.faults.clear(account);
    deleted.request_log = this.requestLog.clear(account);
    return { object: 'reset', deleted };
  }
}

export function serializeKey(row: IdempotencyKeyEntity) {
  return {
    object: 'idempotency_key' as const,
    key: row.key,
    request_method: row.request_method,
    request_path: row.request_path,
    recovery_point: row.recovery_point,
    resource_id: row.resource_id,
    locked_at: toSeconds(row.locked_at),
    last_run_at: toSeconds(row.last_run_at),
    response_code: row.response_code,
    response_body: row.response_body === null ? null : JSON.parse(row.response_body),
    request_id: row.request_id,
    created: toSeconds(row.created_at),
  };
}

/** Every table with an `account` column, read from the schema itself. */
function accountTables(tx: Tx): string[] {
  return tx
    .all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .map((t) => t.name)
    .filter((name) => tx.all<{ name: string }>(`PRAGMA table_info("${name}")`).some((column) => column.name === 'account'));
}

/** `{id}`, `<id>`, `$CH`, or a `:name` escaped (`%3Aid`), which no longer names the route's parameter. */
function isPlaceholder(segment: string): boolean {
  const decoded = decodeURIComponent(segment);
  return /[{}<>$]/.test(decoded) || (decoded.startsWith(':') && !segment.startsWith(':'));
}

/** A concrete path as it is; a route (every id a `:name`) as the endpoint's own pattern. */
function armedPath(path: string, pattern: string): string {
  const given = path.split('/');
  const route = pattern.split('/');
  const params = route.filter((segment) => segment.startsWith(':')).length;
  const named = route.filter((segment, i) => segment.startsWith(':') && given[i].startsWith(':')).length;
  // No Stripe id holds these: `{id}` copied from docs, `$CH` in single quotes, either escaped by a client
  // (`%7Bid%7D`, `%3Aid`). The path's escapes decode (checked before).
  const placeholder = given.find((segment, i) => route[i].startsWith(':') && isPlaceholder(segment));
  if (placeholder) throw new ParameterError(Messages.faultPathPlaceholder(path, placeholder, pattern), 'path');
  if (named === 0) return path;
  if (named === params) return pattern;
  throw new ParameterError(Messages.faultPathHalfNamed(path, pattern), 'path');
}
