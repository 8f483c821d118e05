import type { Kysely } from 'kysely'
import type { Database } from '../db/database.ts'

/**
 * Runs several reads in one read-only REPEATABLE READ transaction, so that figures read by
 * separate queries agree with each other (no write lands between them).
 */
export function inReadSnapshot<T>(db: Kysely<Database>, read: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(read)
}
