import { Global, Module } from '@nestjs/common';
import { CardNetworkClient } from './card-network.client.js';
import { SimulatedCardNetwork } from './simulated-card-network.js';

@Global()
@Module({ providers: [SimulatedCardNetwork, CardNetworkClient], exports: [CardNetworkClient, SimulatedCardNetwork] })
export class CardNetworkModule {}
