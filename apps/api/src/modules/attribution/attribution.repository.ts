import { sql, type Kysely } from 'kysely'
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

export async function hasStale(db: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{ stale: boolean }>`SELECT EXISTS (SELECT 1 FROM attribution_stale) AS stale`.execute(db)
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
 * confirmed order. Times in epoch milliseconds.
 */
export async function loadOpportunityUnits(db: Kysely<Database>, scope: UnitScope): Promise<OpportunityUnitRow[]> {
  const { rows } = await sql<OpportunityUnitRow>`
    SELECT o.id, o.campaign_id, o.stage, o.amount::text AS amount,
           (extract(epoch FROM o.created_at) * 1000)::float8 AS created_ms,
           (extract(epoch FROM l.created_at) * 1000)::float8 AS lead_created_ms,
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

export interface CountedTouchRow {
  opportunity_id: string
  id: string
  campaign_id: string
  occurred_ms: number
}

/**
 * The touches that count for each opportunity: of its contacts (contact roles) and of the lead it
 * came from, from its creation minus the lookback window up to its win (no end while open).
 * A touch reached through both the lead and a contact counts once.
 */
export async function loadCountedTouches(db: Kysely<Database>, scope: UnitScope, lookbackDays: number): Promise<CountedTouchRow[]> {
  const { rows } = await sql<CountedTouchRow>`
    WITH opp AS (
      SELECT o.id, o.lead_id, o.created_at - make_interval(days => ${lookbackDays}::int) AS window_start,
             CASE WHEN o.stage = 'won' THEN o.closed_at END AS window_end
      FROM opportunities o WHERE ${inScope(scope, 'o.id', 'opportunityIds')}
    )
    SELECT opp.id AS opportunity_id, t.id, t.campaign_id, (extract(epoch FROM t.occurred_at) * 1000)::float8 AS occurred_ms
    FROM opp
    JOIN opportunity_contact_roles r ON r.opportunity_id = opp.id
    JOIN touchpoints t ON t.contact_id = r.contact_id
    WHERE t.occurred_at >= opp.window_start AND (opp.window_end IS NULL OR t.occurred_at <= opp.window_end)
    UNION
    SELECT opp.id, t.id, t.campaign_id, (extract(epoch FROM t.occurred_at) * 1000)::float8
    FROM opp
    JOIN touchpoints t ON t.lead_id = opp.lead_id
    WHERE t.occurred_at >= opp.window_start AND (opp.window_end IS NULL OR t.occurred_at <= opp.window_end)`.execute(db)
  return rows
}

export async function deleteCredits(db: Kysely<Database>, scope: UnitScope): Promise<void> {
  if (scope.all) {
    await sql`TRUNCATE attribution_credits`.execute(db)
    return
  }
  await db.deleteFrom('attribution_credits').where('unit_id', 'in', [...scope.opportunityIds, ...scope.orderIds]).execute()
}

export interface CreditRow {
  unitId: string
  measure: 'revenue' | 'pipeline'
  campaignId: string | null
  creditedOn: string | null
  won: boolean
  /** Array literals, '{…}', one entry per model. */
  cents: string
  weights: string
}

const INSERT_CHUNK = 20_000

export async function insertCredits(db: Kysely<Database>, rows: readonly CreditRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    const chunk = rows.slice(start, start + INSERT_CHUNK)
    const column = <K extends keyof CreditRow>(key: K) => chunk.map((r) => r[key])
    await sql`
      INSERT INTO attribution_credits (unit_id, measure, campaign_id, credited_on, won, cents, weights)
      SELECT unit_id, measure, campaign_id, credited_on, won, cents::bigint[], weights::float8[]
      FROM unnest(${column('unitId')}::uuid[], ${column('measure')}::text[], ${column('campaignId')}::uuid[],
                  ${column('creditedOn')}::date[], ${column('won')}::boolean[], ${column('cents')}::text[], ${column('weights')}::text[])
        AS c (unit_id, measure, campaign_id, credited_on, won, cents, weights)`.execute(db)
  }
}

export interface ModelTotalsRow {
  campaign_id: string | null
  /** Per requested model, in the order asked: Σ cents as text, Σ won weight, Σ pipeline cents as text. */
  revenue: string[]
  won: number[]
  pipeline: string[]
}

/**
 * Each campaign's credited revenue (on `from`..`to` by credit date), fractional won deals and
 * pipeline under the models at these 1-based positions; campaignId narrows to one campaign.
 */
export async function sumCredits(
  db: Kysely<Database>,
  positions: readonly number[],
  range: { from?: string; to?: string },
  campaignId?: string,
): Promise<ModelTotalsRow[]> {
  const inRange = sql`measure = 'revenue'
    AND (${range.from ?? null}::date IS NULL OR credited_on >= ${range.from ?? null}::date)
    AND (${range.to ?? null}::date IS NULL OR credited_on <= ${range.to ?? null}::date)`
  const revenue = sql.join(positions.map((i) => sql`coalesce(sum(cents[${sql.lit(i)}]) FILTER (WHERE ${inRange}), 0)::text`))
  const won = sql.join(positions.map((i) => sql`coalesce(sum(weights[${sql.lit(i)}]) FILTER (WHERE ${inRange} AND won), 0)`))
  const pipeline = sql.join(positions.map((i) => sql`coalesce(sum(cents[${sql.lit(i)}]) FILTER (WHERE measure = 'pipeline'), 0)::text`))
  const { rows } = await sql<ModelTotalsRow>`
    SELECT campaign_id, ARRAY[${revenue}] AS revenue, ARRAY[${won}]::float8[] AS won, ARRAY[${pipeline}] AS pipeline
    FROM attribution_credits
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

export async function campaignsForComparison(db: Kysely<Database>, type?: string) {
  let query = db.selectFrom('campaigns').select(['id', 'name', 'code', 'type', 'parent_id', 'actual_cost'])
  if (type) query = query.where('type', '=', type as never)
  return query.orderBy('name').execute()
}
