import { Global, Module } from '@nestjs/common';
import { FaultsService } from './faults.service.js';

/** Always present (the runner consults it); only the control API can arm faults. */
@Global()
@Module({ providers: [FaultsService], exports: [FaultsService] })
export class FaultsModule {}
