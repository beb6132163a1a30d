import { Injectable } from '@nestjs/common';
import type { ApiResponse } from '../common/http/api-response.js';
import type { RequestContext } from '../common/http/request-context.js';
import type { Tx } from '../database/transaction-runner.js';
import { RecoveryPoint } from './recovery-point.js';

/** Re-runs an endpoint from its stored params (already canonical strings) and the ids in its path. */
export type Resume = (ctx: RequestContext, params: Record<string, unknown>, pathParams: Record<string, string>) => Promise<ApiResponse>;

/** What a request to an endpoint goes through: where faults armed on it can fire. */
export interface EndpointShape {
  /** The recovery points its phases pass, in order (a `crash_after_phase` can fire after each). */
  recoveryPoints: readonly RecoveryPoint[];
  /** Whether it calls the card network (where a `processor_timeout` fires). */
  callsNetwork: boolean;
}

/** One atomic phase with no foreign call: customers, sources, metadata updates. */
const SINGLE_PHASE: EndpointShape = { recoveryPoints: [RecoveryPoint.Started, RecoveryPoint.Finished], callsNetwork: false };

interface Endpoint extends EndpointShape {
  pattern: string;
  regex: RegExp;
  names: string[];
  resume: Resume;
}

/**
 * Work a keyless request left half-done (a pending charge or refund). With no key row to resume from,
 * the resource itself says where it stands.
 */
export interface KeylessWork {
  /** The endpoint that creates it; faults armed there apply to the resumption too. */
  path: string;
  /** Up to `limit` resources left unfinished since before `before` (seconds), oldest first. */
  find(tx: Tx, before: number, limit: number): Array<{ account: string; id: string }>;
  /** The resources a request in this process is working on now: the completer leaves them to it. */
  inFlight: InFlight<unknown>;
  resume(ctx: RequestContext, id: string): Promise<ApiResponse>;
}

/** Something by (account, id) for each resource a request in this process is working on now. */
export class InFlight<V = true> {
  private readonly entries = new Map<string, V>();

  get size(): number {
    return this.entries.size;
  }

  has(account: string, id: string): boolean {
    return this.entries.has(`${account} ${id}`);
  }

  get(account: string, id: string): V | undefined {
    return this.entries.get(`${account} ${id}`);
  }

  set(account: string, id: string, value: V): void {
    this.entries.set(`${account} ${id}`, value);
  }

  delete(account: string, id: string): void {
    this.entries.delete(`${account} ${id}`);
  }
}

/**
 * The POST endpoints the completer can finish without their client: each feature module registers its
 * mutations here with the same route pattern its controller serves, and the shape of their work, which
 * the control API checks faults against.
 */
@Injectable()
export class ResumableEndpoints {
  private readonly endpoints: Endpoint[] = [];
  private readonly keyless: KeylessWork[] = [];

  registerKeyless(work: KeylessWork): void {
    this.keyless.push(work);
  }

  keylessWork(): readonly KeylessWork[] {
    return this.keyless;
  }

  register(pattern: string, resume: Resume, shape: EndpointShape = SINGLE_PHASE): void {
    const names: string[] = [];
    const source = pattern.replace(/:([a-z_]+)/gi, (_m, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    this.endpoints.push({ pattern, regex: new RegExp(`^${source}$`), names, resume, ...shape });
  }

  /** Named when a `processor_timeout` is refused elsewhere, so the teacher sees where it does fire. */
  networkCallers(): string[] {
    return this.endpoints.filter((endpoint) => endpoint.callsNetwork).map((endpoint) => endpoint.pattern);
  }

  match(path: string): (EndpointShape & { pattern: string; resume: Resume; pathParams: Record<string, string> }) | null {
    for (const endpoint of this.endpoints) {
      const m = endpoint.regex.exec(path);
      if (!m) continue;
      const pathParams = Object.fromEntries(endpoint.names.map((name, i) => [name, decodeURIComponent(m[i + 1])]));
      return { pattern: endpoint.pattern, resume: endpoint.resume, pathParams, recoveryPoints: endpoint.recoveryPoints, callsNetwork: endpoint.callsNetwork };
    }
    return null;
  }
}
