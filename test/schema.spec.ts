import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../src/database/data-source.js';

describe('the schema', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await openDatabase({ databasePath: ':memory:', sqliteSynchronous: 'NORMAL' });
  });
  afterAll(() => dataSource.destroy());

  it('is created by migrations alone, and matches the entities exactly', async () => {
    // The queries TypeORM would run to make the database match the entities: none, if the migrations are right.
    const log = await dataSource.driver.createSchemaBuilder().log();
    expect(log.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('records every migration as run', async () => {
    expect(await dataSource.showMigrations()).toBe(false);
    const tables = await dataSource.query(`SELECT name FROM sqlite_master WHERE type = 'table'`);
    expect(tables.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['customers', 'idempotency_keys', 'migrations']));
  });
});
