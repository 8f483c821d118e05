import type { CampaignType } from '@yardstick/roi-core'
import { sql, type RawBuilder } from 'kysely'
import type { Db } from '../../db/database.ts'
import { campaignCondition, withinDays, type AnalyticsFilters, type CampaignFilters, type Period } from './analytics.filters.ts'

export type TrendInterval = 'day' | 'week' | 'month'

/** A timestamp column inside the period's days in the company time zone. */
const createdInPeriod = (column: RawBuilder<unknown> | ReturnType<typeof sql.ref>, filters: AnalyticsFilters): RawBuilder<boolean> =>
  withinDays(column, filters.period, filters.timeZone)

/** The local midnight starting each bucket, from the one holding `from` to the one holding `to`. */
const bucketStarts = (period: Period, interval: TrendInterval): RawBuilder<unknown> => sql`generate_series(
  date_trunc(${interval}, ${period.from}::date::timestamp), date_trunc(${interval}, ${period.to}::date::timestamp), ${`1 ${interval}`}::interval)`

/** The first day of each bucket from the one holding `from` to the one holding `to`, oldest first. */
export async function trendBuckets(db: Db, period: Period, interval: TrendInterval): Promise<string[]> {
  const { rows } = await sql<{ buckets: string[] }>`
    SELECT array_agg(to_char(b, 'YYYY-MM-DD') ORDER BY b) AS buckets
    FROM ${bucketStarts(period, interval)} AS b`.execute(db)
  return rows[0]!.buckets
}

/** The campaign types that have campaigns matching the filters. */
export async function campaignTypesInScope(db: Db, filters: CampaignFilters): Promise<CampaignType[]> {
  const { rows } = await sql<{ type: CampaignType }>`
    SELECT DISTINCT c.type FROM campaigns c WHERE ${campaignCondition(sql.ref('c.id'), filters)}`.execute(db)
  return rows.map((r) => r.type)
}

export interface TrendSeriesRow {
  type: CampaignType
  /** New leads per bucket, aligned with trendBuckets. */
  counts: number[]
}

/**
 * New leads per campaign type and bucket, one row per type in scope. Every bucket of the
 * series is present (generate_series), so an empty one is 0; the first and last buckets only
 * count the leads inside the period. A lead finds its bucket by a binary search over the
 * buckets' first instants (width_bucket), which costs far less per lead than converting each
 * created_at to the time zone.
 */
export async function leadTrendSeries(db: Db, filters: AnalyticsFilters, interval: TrendInterval): Promise<TrendSeriesRow[]> {
  const { period, timeZone } = filters
  const { rows } = await sql<TrendSeriesRow>`
    WITH buckets AS (
      SELECT b.i, b.start AT TIME ZONE ${timeZone} AS starts_at
      FROM ${bucketStarts(period, interval)} WITH ORDINALITY AS b (start, i)
    ), thresholds AS (
      SELECT array_agg(starts_at ORDER BY i) AS starts FROM buckets
    ), types AS (
      SELECT DISTINCT c.type FROM campaigns c WHERE ${campaignCondition(sql.ref('c.id'), filters)}
    ), counts AS (
      SELECT c.type, width_bucket(l.created_at, t.starts) AS i, count(*)::int AS leads
      FROM thresholds t
      CROSS JOIN leads l
      JOIN campaigns c ON c.id = l.campaign_id
      WHERE ${createdInPeriod(sql.ref('l.created_at'), filters)}
        AND ${campaignCondition(sql.ref('l.campaign_id'), filters)}
      GROUP BY 1, 2
    )
    SELECT t.type, array_agg(coalesce(n.leads, 0) ORDER BY b.i) AS counts
    FROM types t
    CROSS JOIN buckets b
    LEFT JOIN counts n ON n.type = t.type AND n.i = b.i
    GROUP BY t.type`.execute(db)
  return rows
}

export type FunnelGrouping = 'none' | 'type' | 'campaign'

export interface FunnelRow {
  /** null overall, else the campaign type or the campaign id. */
  key: string | null
  /** The campaign's name when grouped by campaign. */
  label: string | null
  leads: number
  qualified: number
  opportunities: number
  won: number
}

const FUNNEL_KEYS: Record<FunnelGrouping, { key: RawBuilder<unknown>; label: RawBuilder<unknown>; groupBy: RawBuilder<unknown> }> = {
  none: { key: sql`NULL::text`, label: sql`NULL::text`, groupBy: sql`` },
  type: { key: sql`c.type`, label: sql`NULL::text`, groupBy: sql`GROUP BY c.type` },
  campaign: { key: sql`c.id::text`, label: sql`c.name`, groupBy: sql`GROUP BY c.id, c.name ORDER BY leads DESC, c.name, c.id` },
}

/**
 * The cohort of leads created in the period, followed down the funnel: qualified (or
 * converted), converted to an opportunity, that opportunity won. `none` always yields one row;
 * `type` and `campaign` yield only the groups that have leads.
 */
export async function funnelCounts(db: Db, filters: AnalyticsFilters, grouping: FunnelGrouping): Promise<FunnelRow[]> {
  const { key, label, groupBy } = FUNNEL_KEYS[grouping]
  const { rows } = await sql<FunnelRow>`
    SELECT ${key} AS key, ${label} AS label,
      count(*)::int AS leads,
      (count(*) FILTER (WHERE l.status IN ('qualified', 'converted')))::int AS qualified,
      (count(*) FILTER (WHERE l.converted_opportunity_id IS NOT NULL))::int AS opportunities,
      -- One lookup in opportunities_won_idx per converted lead of the period: a join would hash
      -- every won opportunity ever, and grow with the history rather than with the period.
      (count(*) FILTER (WHERE l.converted_opportunity_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM opportunities w WHERE w.id = l.converted_opportunity_id AND w.stage = 'won')))::int AS won
    FROM leads l
    JOIN campaigns c ON c.id = l.campaign_id
    WHERE ${createdInPeriod(sql.ref('l.created_at'), filters)}
      AND ${campaignCondition(sql.ref('l.campaign_id'), filters)}
    ${groupBy}`.execute(db)
  return rows
}

export interface TeamRow {
  owner_id: string
  name: string
  leads: number
  opportunities: number
  wins: number
  losses: number
  /** numeric sum of confirmed orders, as text. */
  revenue: string
  /** numeric, one decimal, as text; null without wins. */
  median_days_lead_to_won: string | null
  /** numeric, one decimal, as text; null without responded leads. */
  median_first_response_hours: string | null
}

/**
 * Which records count for the team: with a campaign type or campaign, those of the matching
 * campaigns; without, every record, with or without a campaign. `ownerId` names the
 * salesperson (the records' owner), not a campaign owner.
 */
function teamScope(alias: string, filters: AnalyticsFilters): RawBuilder<boolean> {
  const conditions: RawBuilder<unknown>[] = [sql`${sql.ref(`${alias}.owner_id`)} IS NOT NULL`]
  if (filters.type || filters.campaignId) {
    conditions.push(campaignCondition(sql.ref(`${alias}.campaign_id`), { type: filters.type, campaignId: filters.campaignId }))
  }
  if (filters.ownerId) conditions.push(sql`${sql.ref(`${alias}.owner_id`)} = ${filters.ownerId}::uuid`)
  return sql<boolean>`${sql.join(conditions, sql` AND `)}`
}

/**
 * One row per user who owns a lead or an opportunity created in the period, an opportunity
 * closed (won or lost) in the period, or a confirmed order dated in it; by revenue, then wins,
 * then name. Each source is aggregated on its own date index before the rows meet per owner.
 */
export async function teamFigures(db: Db, filters: AnalyticsFilters): Promise<TeamRow[]> {
  const { period } = filters
  // The literals 'won', 'lost' and 'confirmed' stay in the SQL text (not parameters) so that
  // the planner matches the partial indexes opportunities_closed_idx and orders_date_idx.
  // Durations are float8 seconds (date_part, not extract's numeric): percentile_cont works in
  // float8 anyway, and whole seconds and their halves are exact in it.
  const { rows } = await sql<TeamRow>`
    WITH lead_figures AS (
      SELECT l.owner_id, count(*)::int AS leads,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY date_part('epoch', l.first_response_at - l.created_at))
          FILTER (WHERE l.first_response_at IS NOT NULL) AS response_seconds
      FROM leads l
      WHERE ${createdInPeriod(sql.ref('l.created_at'), filters)} AND ${teamScope('l', filters)}
      GROUP BY l.owner_id
    ), created_figures AS (
      SELECT o.owner_id, count(*)::int AS opportunities
      FROM opportunities o
      WHERE ${createdInPeriod(sql.ref('o.created_at'), filters)} AND ${teamScope('o', filters)}
      GROUP BY o.owner_id
    ), closed_figures AS (
      SELECT o.owner_id,
        (count(*) FILTER (WHERE o.stage = 'won'))::int AS wins,
        (count(*) FILTER (WHERE o.stage = 'lost'))::int AS losses,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY date_part('epoch', o.closed_at - coalesce(
            -- Only a win needs its lead's creation: one primary-key lookup each, where a join
            -- would read the whole leads table.
            (SELECT l.created_at FROM leads l WHERE l.id = o.lead_id), o.created_at)))
          FILTER (WHERE o.stage = 'won') AS won_seconds
      FROM opportunities o
      WHERE o.stage IN ('won', 'lost') AND ${createdInPeriod(sql.ref('o.closed_at'), filters)} AND ${teamScope('o', filters)}
      GROUP BY o.owner_id
    ), order_figures AS (
      SELECT r.owner_id, sum(r.amount) AS revenue
      FROM orders r
      WHERE r.status = 'confirmed' AND r.order_date >= ${period.from}::date AND r.order_date <= ${period.to}::date
        AND ${teamScope('r', filters)}
      GROUP BY r.owner_id
    ), owners AS (
      SELECT owner_id FROM lead_figures
      UNION SELECT owner_id FROM created_figures
      UNION SELECT owner_id FROM closed_figures
      UNION SELECT owner_id FROM order_figures
    )
    SELECT u.id AS owner_id, u.name,
      coalesce(lf.leads, 0) AS leads,
      coalesce(cr.opportunities, 0) AS opportunities,
      coalesce(cl.wins, 0) AS wins,
      coalesce(cl.losses, 0) AS losses,
      coalesce(rf.revenue, 0) AS revenue,
      round(cl.won_seconds::numeric / 86400, 1) AS median_days_lead_to_won,
      round(lf.response_seconds::numeric / 3600, 1) AS median_first_response_hours
    FROM owners w
    JOIN users u ON u.id = w.owner_id
    LEFT JOIN lead_figures lf ON lf.owner_id = w.owner_id
    LEFT JOIN created_figures cr ON cr.owner_id = w.owner_id
    LEFT JOIN closed_figures cl ON cl.owner_id = w.owner_id
    LEFT JOIN order_figures rf ON rf.owner_id = w.owner_id
    ORDER BY coalesce(rf.revenue, 0) DESC, coalesce(cl.wins, 0) DESC, u.name, u.id`.execute(db)
  return rows
}
