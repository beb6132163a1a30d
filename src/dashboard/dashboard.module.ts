import { Module } from '@nestjs/common';
import { DashboardController } from './dashboard.controller.js';

/** Mounted with the control API, which is where all of its data comes from. */
@Module({ controllers: [DashboardController] })
export class DashboardModule {}
