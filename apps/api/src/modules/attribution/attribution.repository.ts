import type { CampaignType } from '@yardstick/roi-core'
import { sql, type Kysely } from 'kysely'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import type { Database } from '../../db/database.ts'

// Any constant: it only has to differ from the other advisory locks of the app.
const REFRESH_LOCK_KEY = 7_265_913_302

export async function getSettings(db: Kysely<Database>) {
  return db.selectFrom('attribution_settings').selectAll().executeTakeFirstOrThrow()
}

export async function updateSettings(db: Kysely<Database>, values: { lookbackDays?: number; halfLifeDays?: number }, userId: string | null) {
  return db.updateTable('attribution_settings')
    .set({
      ...(values.lookbackDays !== undefined ? { lookback_days: values.lookbackDays } : {}),
      ...(values.halfLifeDays !== undefined ? { half_life_days: String(values.halfLifeDays) } : {}),
      updated_at: new Date(),
      updated_by: userId,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function markEverythingStale(db: Kysely<Database>): Promise<void> {
  await db.insertInto('attribution_stale').values({ everything: true }).execute()
}

/** Whether a write left a mark since the last refresh, or the credits were never (or no longer) built. */
export async function hasStale(db: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{ stale: boolean }>`
    SELECT EXISTS (SELECT 1 FROM attribution_stale) OR NOT EXISTS (SELECT 1 FROM attribution_built) AS stale`.execute(db)
  return rows[0]!.stale
}



/** One refresh at a time across every API process, for the rest of the transaction. */
export async function lockRefresh(db: Kysely<Database>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${REFRESH_LOCK_KEY})`.execute(db)
}

/** Takes every stale mark; those committed later stay for the next refresh. */
export async function takeStaleMarks(db: Kysely<Database>) {
  return db.deleteFrom('attribution_stale').returning(['opportunity_id', 'order_id', 'lead_id', 'contact_id', 'everything']).execute()
}

/** The opportunities whose counted touches may include a touch of these people. */
export async function opportunitiesOfPeople(db: Kysely<Database>, leadIds: readonly string[], contactIds: readonly string[]): Promise<string[]> {
  if (leadIds.length === 0 && contactIds.length === 0) return []
  const { rows } = await sql<{ id: string }>`
    SELECT id FROM opportunities WHERE lead_id = ANY(${leadIds}::uuid[])
    UNION SELECT opportunity_id FROM opportunity_contact_roles WHERE contact_id = ANY(${contactIds}::uuid[])`.execute(db)
  return rows.map((r) => r.id)
}

/** Which units to load: these ids, or all of them. */
export type UnitScope = { all: true } | { all: false; opportunityIds: readonly string[]; orderIds: readonly string[] }

const inScope = (scope: UnitScope, column: string, ids: 'opportunityIds' | 'orderIds') =>
  scope.all ? sql`true` : sql`${sql.ref(column)} = ANY(${scope[ids]}::uuid[])`

export interface OpportunityUnitRow {
  id: string
  campaign_id: string | null
  stage: string
  amount: string
  created_ms: number
  lead_created_ms: number | null
  /** Σ confirmed orders; null when it has none. */
  revenue: string | null
  last_order_date: string | null
  closed_on: string | null
}

/**
 * The opportunities that carry revenue or pipeline: open ones, won ones, and any other with a
 * confirmed order. Times in whole epoch milliseconds, floored like the touches' so that a touch
 * at the very moment of the lead's creation stays "at or before" it.
 */
export async function loadOpportunityUnits(db: Kysely<Database>, scope: UnitScope): Promise<OpportunityUnitRow[]> {
  const { rows } = await sql<OpportunityUnitRow>`
    SELECT o.id, o.campaign_id, o.stage, o.amount::text AS amount,
           floor(extract(epoch FROM o.created_at) * 1000)::float8 AS created_ms,
           floor(extract(epoch FROM l.created_at) * 1000)::float8 AS lead_created_ms,
           r.revenue::text AS revenue, r.last_order_date, o.closed_at::date AS closed_on
    FROM opportunities o
    LEFT JOIN leads l ON l.id = o.lead_id
    LEFT JOIN (
      SELECT opportunity_id, sum(amount) AS revenue, max(order_date) AS last_order_date
      FROM orders WHERE status = 'confirmed' AND opportunity_id IS NOT NULL AND ${inScope(scope, 'opportunity_id', 'opportunityIds')}
      GROUP BY opportunity_id
    ) r ON r.opportunity_id = o.id
    WHERE ${inScope(scope, 'o.id', 'opportunityIds')}
      AND (o.stage <> 'lost' OR r.revenue IS NOT NULL)`.execute(db)
  return rows
}

export interface OrderUnitRow {
  id: string
  campaign_id: string | null
  amount: string
  order_date: string
}

/** Confirmed orders without an opportunity: units of their own, credited to their campaign. */
export async function loadOrderUnits(db: Kysely<Database>, scope: UnitScope): Promise<OrderUnitRow[]> {
  const { rows } = await sql<OrderUnitRow>`
    SELECT id, campaign_id, amount::text AS amount, order_date FROM orders
    WHERE opportunity_id IS NULL AND status = 'confirmed' AND ${inScope(scope, 'id', 'orderIds')}`.execute(db)
  return rows
}

export interface CountedTouchesRow {
  opportunity_id: string
  /** The counted touches as `id campaignId epochMs` joined by commas: one short string per opportunity parses far faster than a row per touch. */
  touches: string
}

/**
 * The touches that count for each opportunity: of its contacts (contact roles) and of the lead it
 * came from, from its creation minus the lookback window up to its win (no end while open).
 * A touch reached through both the lead and a contact counts once.
 */
export async function loadCountedTouches(db: Kysely<Database>, scope: UnitScope, lookbackDays: number): Promise<CountedTouchesRow[]> {
  const { rows } = await sql<CountedTouchesRow>`
    WITH opp AS (
      SELECT o.id, o.lead_id, o.created_at - make_interval(days => ${lookbackDays}::int) AS window_start,
             CASE WHEN o.stage = 'won' THEN o.closed_at END AS window_end
      FROM opportunities o WHERE ${inScope(scope, 'o.id', 'opportunityIds')}
    ), counted AS (
      SELECT opp.id AS opportunity_id, t.id, t.campaign_id, t.occurred_at
      FROM opp
      JOIN opportunity_contact_roles r ON r.opportunity_id = opp.id
      JOIN touchpoints t ON t.contact_id = r.contact_id
      WHERE t.occurred_at >= opp.window_start AND (opp.window_end IS NULL OR t.occurred_at <= opp.window_end)
      UNION
      SELECT opp.id, t.id, t.campaign_id, t.occurred_at
      FROM opp
      JOIN touchpoints t ON t.lead_id = opp.lead_id
      WHERE t.occurred_at >= opp.window_start AND (opp.window_end IS NULL OR t.occurred_at <= opp.window_end)
    )
    SELECT opportunity_id,
           string_agg(id::text || ' ' || campaign_id::text || ' ' || floor(extract(epoch FROM occurred_at) * 1000)::bigint::text, ',') AS touches
    FROM counted GROUP BY opportunity_id`.execute(db)
  return rows
}

/** Empties the stored credits and totals, for a full recompute. */
export async function clearAll(db: Kysely<Database>): Promise<void> {
  await sql`TRUNCATE attribution_units, attribution_totals`.execute(db)
}

export type StoredUnitRow = Awaited<ReturnType<typeof takeUnits>>[number]

/** Removes these stored units and returns them, so that what they added to the totals can be taken back. */
export async function takeUnits(db: Kysely<Database>, unitIds: readonly string[]) {
  if (unitIds.length === 0) return []
  return db.deleteFrom('attribution_units').where('unit_id', 'in', [...unitIds]).returningAll().execute()
}

/** COPY text lines into a table, batched; the lines must carry no tab, newline or backslash of their own. */
export async function copyLines(client: pg.PoolClient, table: 'attribution_units' | 'attribution_totals', columns: readonly string[], lines: Iterable<string>): Promise<void> {
  const batches = function* () {
    let batch = ''
    for (const line of lines) {
      batch += line + '\n'
      if (batch.length > 1 << 16) {
        yield batch
        batch = ''
      }
    }
    if (batch) yield batch
  }
  await pipeline(Readable.from(batches()), client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)))
}

const MODEL_COLUMNS = Array.from({ length: 11 }, (_, i) => `c${i + 1}`).concat(Array.from({ length: 11 }, (_, i) => `w${i + 1}`))
export const UNIT_COLUMNS = ['unit_id', 'measure', 'credited_on', 'won', 'inputs'] as const
export const TOTALS_COLUMNS = ['campaign_id', 'measure', 'credited_on', 'won', ...MODEL_COLUMNS] as const

export async function getBuilt(db: Kysely<Database>) {
  return db.selectFrom('attribution_built').select(['folded_rows', 'appended_rows']).executeTakeFirst()
}

/** Records a complete build (or a folding) that left `rows` rows of totals. */
export async function markBuilt(db: Kysely<Database>, rows: number): Promise<void> {
  await sql`
    INSERT INTO attribution_built (folded_rows, appended_rows) VALUES (${rows}, 0)
    ON CONFLICT (id) DO UPDATE SET built_at = now(), folded_rows = EXCLUDED.folded_rows, appended_rows = 0`.execute(db)
}

export async function countAppended(db: Kysely<Database>, rows: number): Promise<void> {
  await db.updateTable('attribution_built').set((eb) => ({ appended_rows: eb('appended_rows', '+', rows) })).execute()
}

/** Folds the appended differences into one row per campaign, date and measure; returns the rows left. */
export async function foldTotals(db: Kysely<Database>): Promise<number> {
  const sums = sql.join(MODEL_COLUMNS.map((c) => sql`sum(${sql.ref(c)})`))
  const nonZero = sql.join(MODEL_COLUMNS.map((c) => sql`sum(${sql.ref(c)}) <> 0`), sql` OR `)
  const result = await sql`
    WITH old AS (DELETE FROM attribution_totals RETURNING *)
    INSERT INTO attribution_totals (${sql.raw(TOTALS_COLUMNS.join(', '))})
    SELECT campaign_id, measure, credited_on, won, ${sums} FROM old
    GROUP BY campaign_id, measure, credited_on, won
    HAVING ${nonZero}`.execute(db)
  return Number(result.numAffectedRows ?? 0)
}

export interface ModelTotalsRow {
  campaign_id: string | null
  /** Per requested model, in the order asked: Σ cents as text, Σ won share, Σ pipeline cents as text. */
  revenue: string[]
  won: number[]
  pipeline: string[]
}

/**
 * Each campaign's credited revenue (on `from`..`to` by credit date), fractional won deals and
 * pipeline under the models at these 1-based positions; campaignId narrows to one campaign.
 */
export async function sumTotals(
  db: Kysely<Database>,
  positions: readonly number[],
  range: { from?: string; to?: string },
  shareScale: number,
  campaignId?: string,
): Promise<ModelTotalsRow[]> {
  const inRange = sql`measure = 'revenue'
    AND (${range.from ?? null}::date IS NULL OR credited_on >= ${range.from ?? null}::date)
    AND (${range.to ?? null}::date IS NULL OR credited_on <= ${range.to ?? null}::date)`
  const revenue = sql.join(positions.map((i) => sql`coalesce(sum(${sql.ref(`c${i}`)}) FILTER (WHERE ${inRange}), 0)::text`))
  const won = sql.join(positions.map((i) => sql`coalesce(sum(${sql.ref(`w${i}`)}) FILTER (WHERE ${inRange} AND won), 0)::float8 / ${sql.lit(shareScale)}`))
  const pipeline = sql.join(positions.map((i) => sql`coalesce(sum(${sql.ref(`c${i}`)}) FILTER (WHERE measure = 'pipeline'), 0)::text`))
  const { rows } = await sql<ModelTotalsRow>`
    SELECT campaign_id, ARRAY[${revenue}] AS revenue, ARRAY[${won}]::float8[] AS won, ARRAY[${pipeline}] AS pipeline
    FROM attribution_totals
    ${campaignId ? sql`WHERE campaign_id = ${campaignId}` : sql``}
    GROUP BY campaign_id`.execute(db)
  return rows
}

/**
 * Confirmed revenue straight from the orders, dated as attribution dates it (an opportunity's
 * orders on the date of its last one): what every model's total must add up to.
 */
export async function confirmedRevenue(db: Kysely<Database>, range: { from?: string; to?: string }): Promise<string> {
  const { rows } = await sql<{ revenue: string }>`
    SELECT coalesce(sum(revenue), 0)::text AS revenue FROM (
      SELECT sum(amount) AS revenue, max(order_date) AS credited_on
      FROM orders WHERE status = 'confirmed' GROUP BY coalesce(opportunity_id, id)
    ) u
    WHERE (${range.from ?? null}::date IS NULL OR credited_on >= ${range.from ?? null}::date)
      AND (${range.to ?? null}::date IS NULL OR credited_on <= ${range.to ?? null}::date)`.execute(db)
  return rows[0]!.revenue
}

export async function campaignsForComparison(db: Kysely<Database>, type?: CampaignType) {
  let query = db.selectFrom('campaigns').select(['id', 'name', 'code', 'type', 'parent_id', 'actual_cost'])
  if (type) query = query.where('type', '=', type)
  return query.orderBy('name').execute()
}
