import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { Database } from '../../db/database.ts'

/** One campaign's change, money as numeric text (never a float). */
export interface SlotDelta {
  campaignId: string
  revenue: string
  orderCount: number
}

/**
 * Adds deltas to the caller's connection's slot of each campaign. Rows go in the order given
 * (campaign id order) so that two writers touching the same campaigns lock them alike.
 */
export async function addToSlots(db: Kysely<Database>, deltas: readonly SlotDelta[]): Promise<void> {
  const statement = addToSlotsStatement(deltas)
  if (statement) await statement.execute(db)
}

/** The upsert as a statement (null when there is nothing to add), to run with other writes. */
export function addToSlotsStatement(deltas: readonly SlotDelta[]): RawBuilder<unknown> | null {
  if (deltas.length === 0) return null
  const rows = sql.join(deltas.map((d) => sql`(${d.campaignId}::uuid, pg_backend_pid() % 16, ${d.revenue}::numeric, ${d.orderCount}::integer)`))
  return sql`
    INSERT INTO campaign_rollup_slots (campaign_id, slot, revenue, order_count)
    VALUES ${rows}
    ON CONFLICT (campaign_id, slot) DO UPDATE
      SET revenue = campaign_rollup_slots.revenue + EXCLUDED.revenue,
          order_count = campaign_rollup_slots.order_count + EXCLUDED.order_count
  `
}

export interface TotalsRow {
  campaign_id: string
  revenue: string
  order_count: number
}

/** The stored totals of the given campaigns: the sum of their slots. */
export async function sumSlots(db: Kysely<Database>, campaignIds: readonly string[]): Promise<TotalsRow[]> {
  if (campaignIds.length === 0) return []
  return db
    .selectFrom('campaign_rollup_slots')
    .select(['campaign_id', sql<string>`sum(revenue)::text`.as('revenue'), sql<number>`sum(order_count)::int`.as('order_count')])
    .where('campaign_id', 'in', [...campaignIds])
    .groupBy('campaign_id')
    .execute()
}

export interface ComparisonRow {
  campaign_id: string
  stored_revenue: string
  stored_order_count: number
  recomputed_revenue: string
  recomputed_order_count: number
}

/**
 * Stored (slots) beside recomputed (confirmed orders) per campaign, in one statement so both
 * sides come from the same snapshot even while orders are being written.
 */
export async function compareStoredWithOrders(db: Kysely<Database>): Promise<ComparisonRow[]> {
  const result = await sql<ComparisonRow>`
    WITH stored AS (
      SELECT campaign_id, sum(revenue) AS revenue, sum(order_count) AS order_count
      FROM campaign_rollup_slots GROUP BY campaign_id
    ), recomputed AS (
      SELECT campaign_id, sum(amount) AS revenue, count(*) AS order_count
      FROM orders WHERE status = 'confirmed' AND campaign_id IS NOT NULL GROUP BY campaign_id
    )
    SELECT campaign_id,
           coalesce(s.revenue, 0)::text AS stored_revenue,
           coalesce(s.order_count, 0)::int AS stored_order_count,
           coalesce(r.revenue, 0)::text AS recomputed_revenue,
           coalesce(r.order_count, 0)::int AS recomputed_order_count
    FROM stored s FULL JOIN recomputed r USING (campaign_id)
    ORDER BY campaign_id
  `.execute(db)
  return result.rows
}

/**
 * Blocks order writes (their slot upserts need ROW EXCLUSIVE) until the caller's transaction
 * ends, while still letting readers sum the slots.
 */
export async function lockSlots(db: Kysely<Database>): Promise<void> {
  await sql`LOCK TABLE campaign_rollup_slots IN SHARE ROW EXCLUSIVE MODE`.execute(db)
}

/** Replaces every slot with one per campaign holding the total of its confirmed orders. */
export async function replaceSlotsFromOrders(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('campaign_rollup_slots').execute()
  await sql`
    INSERT INTO campaign_rollup_slots (campaign_id, slot, revenue, order_count)
    SELECT campaign_id, 0, sum(amount), count(*)
    FROM orders WHERE status = 'confirmed' AND campaign_id IS NOT NULL
    GROUP BY campaign_id
  `.execute(db)
}
