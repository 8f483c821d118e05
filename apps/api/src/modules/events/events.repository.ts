import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { Database } from '../../db/database.ts'

/**
 * Queues a notification on the caller's connection. Inside a transaction PostgreSQL delivers it
 * only when the transaction commits, and drops it when it rolls back.
 */
export async function notify(db: Kysely<Database>, channel: string, payload: string): Promise<void> {
  await notifyStatement(channel, payload).execute(db)
}

export function notifyStatement(channel: string, payload: string): RawBuilder<unknown> {
  return sql`SELECT pg_notify(${channel}, ${payload})`
}
