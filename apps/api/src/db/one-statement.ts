import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { Database } from './database.ts'

/**
 * Runs several writes and a final SELECT as one statement (data-modifying CTEs), so a hot path
 * pays one round trip instead of one per write. The writes must touch different rows: they all
 * see the same snapshot.
 */
export async function runAsOneStatement(db: Kysely<Database>, writes: readonly RawBuilder<unknown>[], last: RawBuilder<unknown>): Promise<void> {
  if (writes.length === 0) {
    await last.execute(db)
    return
  }
  const ctes = sql.join(writes.map((write, i) => sql`${sql.raw(`w${i}`)} AS (${write})`))
  await sql`WITH ${ctes} ${last}`.execute(db)
}
