import type { Config } from '../config/config.ts';
import { openStore, type Store } from '../store/open-store.ts';
import type { Writer } from './output.ts';

/** What every command gets: the frozen config and where to write. */
export type CliContext = { config: Config; io: Writer };

/** Opens the workspace store (migrating it), runs `work`, and always closes the store. */
export async function withStore<T>(ctx: CliContext, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore({ url: ctx.config.databaseUrl });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
