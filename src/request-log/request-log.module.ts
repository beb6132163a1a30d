import { Global, Module } from '@nestjs/common';
import { RequestLogController } from './request-log.controller.js';
import { RequestLogRecorder } from './request-log.recorder.js';
import { RequestLogService } from './request-log.service.js';
import { RequestLogStore } from './request-log.store.js';

/**
 * Registered with the control API: with CONTROL_API=off nothing could read the log, so nothing records
 * it. Global so that the control API's reset can clear an account's log.
 */
@Global()
@Module({
  controllers: [RequestLogController],
  providers: [RequestLogRecorder, RequestLogService, RequestLogStore],
  exports: [RequestLogStore],
})
export class RequestLogModule {}
