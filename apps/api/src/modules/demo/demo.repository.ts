import { sql, type Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'

/** The demo set is keyed on its first campaign's code: present means loaded. */
export async function demoLoaded(db: Kysely<Database>, markerCode: string): Promise<boolean> {
  const row = await db.selectFrom('campaigns').select('id').where(sql`lower(code)`, '=', markerCode.toLowerCase()).executeTakeFirst()
  return row !== undefined
}

/**
 * Services stamp records with now(); a demo spread over a year needs them dated in the past.
 * Only the demo loader calls these, on records it has just created.
 */
export async function backdateLead(db: Kysely<Database>, id: string, createdAt: Date, convertedAt: Date | null): Promise<void> {
  await sql`UPDATE leads SET created_at = ${createdAt}, updated_at = coalesce(${convertedAt}::timestamptz, ${createdAt}::timestamptz),
    converted_at = CASE WHEN converted_at IS NULL THEN NULL ELSE ${convertedAt}::timestamptz END WHERE id = ${id}`.execute(db)
}

export async function backdateOpportunity(db: Kysely<Database>, id: string, createdAt: Date, closedAt: Date | null): Promise<void> {
  await sql`UPDATE opportunities SET created_at = ${createdAt}, updated_at = coalesce(${closedAt}::timestamptz, ${createdAt}::timestamptz),
    closed_at = CASE WHEN closed_at IS NULL THEN NULL ELSE ${closedAt}::timestamptz END WHERE id = ${id}`.execute(db)
}

export async function backdateCampaign(db: Kysely<Database>, id: string, createdAt: Date): Promise<void> {
  await sql`UPDATE campaigns SET created_at = ${createdAt}, updated_at = ${createdAt} WHERE id = ${id}`.execute(db)
}

export async function withSessionLock<T>(db: Kysely<Database>, key: number, work: () => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${key})`.execute(conn)
    try {
      return await work()
    } finally {
      await sql`SELECT pg_advisory_unlock(${key})`.execute(conn)
    }
  })
}
