import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'oncepay:public';

/** Routes that need no API key (the dashboard page itself; its data calls still authenticate). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
