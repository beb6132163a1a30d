import { Module } from '@nestjs/common';
import { RequestLogController } from './request-log.controller.js';
import { RequestLogRecorder } from './request-log.recorder.js';
import { RequestLogService } from './request-log.service.js';

/** Registered with the control API: with CONTROL_API=off nothing could read the log, so nothing records it. */
@Module({ controllers: [RequestLogController], providers: [RequestLogRecorder, RequestLogService] })
export class RequestLogModule {}
