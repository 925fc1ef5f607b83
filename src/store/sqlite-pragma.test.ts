import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../testing/engines.ts';
import type { Store } from './open-store.ts';
import { setSqlitePragma } from './sqlite-pragma.ts';

const sqlite = testEngines().find((e) => e.name === 'sqlite');

describe('setSqlitePragma', () => {
  let store: Store;
  beforeAll(async () => {
    store = await (sqlite as NonNullable<typeof sqlite>).open();
  });
  afterAll(() => store.close());

  const read = async (name: string) =>
    Number(
      (await sql<Record<string, number>>`${sql.raw(`pragma ${name}`)}`.execute(store.db)).rows[0]?.[name],
    );

  it('sets a pragma and sets back the value the connection had', async () => {
    await sql`pragma cache_size = -3000`.execute(store.db);
    const reset = await setSqlitePragma(store.db, 'cache_size', -1234);
    expect(await read('cache_size')).toBe(-1234);
    await reset();
    expect(await read('cache_size')).toBe(-3000);
  });

  it('takes a keyword value (temp_store = memory) and restores the number', async () => {
    await sql`pragma temp_store = 1`.execute(store.db);
    const reset = await setSqlitePragma(store.db, 'temp_store', 'memory');
    expect(await read('temp_store')).toBe(2);
    await reset();
    expect(await read('temp_store')).toBe(1);
  });
});
