import 'reflect-metadata';
import { createDataSource } from '../src/database/data-source.js';
const ds = createDataSource({ databasePath: ':memory:', sqliteSynchronous: 'NORMAL' });
await ds.initialize();
const log = await ds.driver.createSchemaBuilder().log();
for (const q of log.upQueries) console.log(q.query + ';');
