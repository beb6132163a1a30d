import { Global, Module } from '@nestjs/common';
import { CardsRepository } from './cards.repository.js';
import { CardsService } from './cards.service.js';

@Global()
@Module({ providers: [CardsService, CardsRepository], exports: [CardsService, CardsRepository] })
export class CardsModule {}
