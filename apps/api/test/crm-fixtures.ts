import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import type { Db } from '../src/db/database.ts'

/**
 * A campaign row straight in the database, for tests of orders and opportunities that only need
 * one to point at (the campaigns API has its own tests).
 */
export async function insertCampaign(db: Db, fields: { name?: string; actualCost?: string; expectedRevenue?: string } = {}): Promise<string> {
  const code = `T${randomBytes(4).toString('hex')}`
  const { rows } = await sql<{ id: string }>`
    INSERT INTO campaigns (name, code, type, expected_revenue)
    VALUES (${fields.name ?? `Campaign ${code}`}, ${code}, 'webinar', ${fields.expectedRevenue ?? '0'})
    RETURNING id`.execute(db)
  const id = rows[0]!.id
  // actualCost is the sum of the cost ledger.
  if (fields.actualCost && Number(fields.actualCost) > 0) {
    await sql`INSERT INTO campaign_costs (campaign_id, spent_on, category, amount) VALUES (${id}, current_date, 'other', ${fields.actualCost})`.execute(db)
  }
  return id
}

/** An account row straight in the database. */
export async function insertAccount(db: Db, name = `Account ${randomBytes(3).toString('hex')}`): Promise<string> {
  const { rows } = await sql<{ id: string }>`INSERT INTO accounts (name) VALUES (${name}) RETURNING id`.execute(db)
  return rows[0]!.id
}

export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000'
