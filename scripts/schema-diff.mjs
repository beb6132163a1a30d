// Prints the SQL a new migration needs: what the entities describe that the migrations do not create yet.
//   npm run schema:diff      (test/schema.spec.ts fails while this prints anything)
import 'reflect-metadata';
import { openDatabase } from '../dist/database/data-source.js';

const dataSource = await openDatabase({ databasePath: ':memory:', sqliteSynchronous: 'NORMAL' });
const { upQueries } = await dataSource.driver.createSchemaBuilder().log();
console.log(upQueries.map((q) => `${q.query.trim()};`).join('\n') || '-- entities and migrations agree');
await dataSource.destroy();
