import { Injectable } from '@nestjs/common';
import { paginate, toList } from '../common/pagination/paginate.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import type { ListRequestsDto } from './dto/list-requests.dto.js';
import type { RequestLogEntity } from './request-log.entity.js';
import { RequestLogRecorder } from './request-log.recorder.js';
import { serializeRequestLog } from './request-log.serializer.js';

@Injectable()
export class RequestLogService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly recorder: RequestLogRecorder,
  ) {}

  list(account: string, query: ListRequestsDto) {
    // Requests that already answered may still sit in the buffer: write them first so the list is current.
    this.recorder.flush(account);
    const where: Array<[string, ...unknown[]]> = [];
    if (query.path) where.push(['path = ?', query.path]);
    if (query.status !== undefined && query.status !== null) where.push(['status = ?', query.status]);
    if (query.idempotency_key) where.push(['idempotency_key = ?', query.idempotency_key]);
    const { rows, hasMore } = this.db.read((tx) =>
      paginate<RequestLogEntity>(tx, { table: 'request_logs', resource: 'request', account, where }, { ...query, created: undefined }),
    );
    return toList('/_control/requests', rows.map(serializeRequestLog), hasMore);
  }
}
