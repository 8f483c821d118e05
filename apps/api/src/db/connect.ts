import path from 'node:path'
import type pg from 'pg'
import type { Config } from '../config.ts'
import { createDb, createPool, type Db } from './database.ts'
import { startEmbeddedPostgres } from './embedded.ts'

export interface Connection {
  pool: pg.Pool
  db: Db
  /** 'external' for DATABASE_URL, 'embedded' when this process started PostgreSQL itself. */
  mode: 'external' | 'embedded'
  close(): Promise<void>
}

/** Connects to DATABASE_URL, or starts the embedded PostgreSQL in the data dir when it is unset. */
export async function connect(config: Config, log: (line: string) => void = () => {}): Promise<Connection> {
  let url = config.databaseUrl
  let stopEmbedded: (() => Promise<void>) | undefined
  if (url === null) {
    const embedded = await startEmbeddedPostgres({ dir: path.join(config.dataDir, 'pg'), log })
    url = embedded.url
    stopEmbedded = embedded.stop
  }
  const pool = createPool(url, config.databasePoolSize)
  const db = createDb(pool)
  return {
    pool,
    db,
    mode: stopEmbedded ? 'embedded' : 'external',
    async close() {
      await db.destroy()
      await stopEmbedded?.()
    },
  }
}
