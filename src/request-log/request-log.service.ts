import { Injectable } from '@nestjs/common';
import { toList } from '../common/pagination/paginate.js';
import type { ListRequestsDto } from './dto/list-requests.dto.js';
import { serializeRequestLog } from './request-log.serializer.js';
import { RequestLogStore } from './request-log.store.js';

@Injectable()
export class RequestLogService {
  constructor(private readonly store: RequestLogStore) {}

  list(account: string, query: ListRequestsDto) {
    const { rows, hasMore } = this.store.list(account, query);
    return toList('/_control/requests', rows.map(serializeRequestLog), hasMore);
  }
}
