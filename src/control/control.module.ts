import { Module } from '@nestjs/common';
import { ChargesModule } from '../charges/charges.module.js';
import { ControlController } from './control.controller.js';
import { ControlService } from './control.service.js';

@Module({ imports: [ChargesModule], controllers: [ControlController], providers: [ControlService] })
export class ControlModule {}
