import { RouteFlag } from './route-flag.js';

export const PUBLIC_ROUTE = new RouteFlag('oncepay:public');

/** Routes that need no API key (the dashboard page itself; its data calls still authenticate). */
export const Public = PUBLIC_ROUTE.decorator;
