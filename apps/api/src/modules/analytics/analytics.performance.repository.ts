import type { CampaignType } from '@yardstick/roi-core'
import { sql, type RawBuilder } from 'kysely'
import type { Db } from '../../db/database.ts'
import { campaignCondition, withinDays, type CampaignFilters, type Period } from './analytics.filters.ts'

/*
 * Every query here reads one fact table once, over the span of all the periods it is asked for
 * (a range on the bare date column, so the date indexes of 0005 and 0006 serve it), and sums each period
 * with FILTER into one array element: figures[i] belongs to periods[i]. Money comes back as
 * decimal text, never as a number.
 */

/** The campaign filters and the company time zone in which timestamps fall on days. */
export interface Scope extends CampaignFilters {
  timeZone: string
}

/**
 * How rows are grouped: one total row (key null); per campaign type plus the total row (key null,
 * through GROUPING SETS); per campaign (key the campaign id); or per campaign plus the total row.
 */
export type Grouping = 'total' | 'type' | 'campaign' | 'campaignAndTotal'

type Column = RawBuilder<unknown> | ReturnType<typeof sql.ref>

interface Groups {
  key: RawBuilder<unknown>
  join: RawBuilder<unknown>
  groupBy: RawBuilder<unknown>
}

/**
 * The key, join and GROUP BY of a grouping over a fact table whose campaign is `campaignId`, or
 * over the campaigns themselves (aliased c) when `campaignId` is `c.id`.
 */
function groupsOf(grouping: Grouping, campaignId: Column, overCampaigns = false): Groups {
  switch (grouping) {
    case 'total':
      return { key: sql`NULL::text`, join: sql``, groupBy: sql`` }
    case 'type':
      return {
        key: sql`c.type`,
        join: overCampaigns ? sql`` : sql`JOIN campaigns c ON c.id = ${campaignId}`,
        groupBy: sql`GROUP BY GROUPING SETS ((c.type), ())`,
      }
    case 'campaign':
      return { key: sql`${campaignId}::text`, join: sql``, groupBy: sql`GROUP BY ${campaignId}` }
    case 'campaignAndTotal':
      return { key: sql`${campaignId}::text`, join: sql``, groupBy: sql`GROUP BY GROUPING SETS ((${campaignId}), ())` }
  }
}

/** The first and last day of all the periods together. */
function spanOf(periods: readonly Period[]): Period {
  if (periods.length === 0) throw new RangeError('at least one period is needed')
  return {
    from: periods.reduce((min, p) => (p.from < min ? p.from : min), periods[0]!.from),
    to: periods.reduce((max, p) => (p.to > max ? p.to : max), periods[0]!.to),
  }
}

/** A date column within the period. */
const onDays = (column: Column, period: Period) => sql<boolean>`${column} BETWEEN ${period.from}::date AND ${period.to}::date`

/** `ARRAY[f(periods[0]), f(periods[1]), …]`. */
const perPeriod = (periods: readonly Period[], each: (period: Period, index: number) => RawBuilder<unknown>) =>
  sql`ARRAY[${sql.join(periods.map(each))}]`

export interface MoneyRow {
  key: string | null
  /** Per period, a decimal string. */
  sums: string[]
}

export interface LeadCountsRow {
  key: string | null
  /** Per period: leads created, of which not disqualified, of which converted to an opportunity. */
  leads: number[]
  valid: number[]
  converted: number[]
}

export interface CountsRow {
  key: string | null
  counts: number[]
}

export interface ClosedCountsRow {
  key: string | null
  won: number[]
  lost: number[]
}

export interface WonCustomersRow {
  key: string | null
  /** Per period: distinct accounts won, and their confirmed orders within the horizon of the first win. */
  customers: number[]
  lifetime: string[]
}

/** Cost entries dated in each period. */
export async function sumCosts(db: Db, scope: Scope, periods: readonly Period[], grouping: Grouping): Promise<MoneyRow[]> {
  const g = groupsOf(grouping, sql.ref('x.campaign_id'))
  const { rows } = await sql<MoneyRow>`
    SELECT ${g.key} AS key,
           ${perPeriod(periods, (p) => sql`coalesce(sum(x.amount) FILTER (WHERE ${onDays(sql.ref('x.spent_on'), p)}), 0)::text`)} AS sums
    FROM campaign_costs x ${g.join}
    WHERE ${onDays(sql.ref('x.spent_on'), spanOf(periods))} AND ${campaignCondition(sql.ref('x.campaign_id'), scope)}
    ${g.groupBy}`.execute(db)
  return rows
}

/** Confirmed orders dated in each period, by the order's own campaign: actual revenue (primary source). */
export async function sumConfirmedOrders(db: Db, scope: Scope, periods: readonly Period[], grouping: Grouping): Promise<MoneyRow[]> {
  const g = groupsOf(grouping, sql.ref('x.campaign_id'))
  const { rows } = await sql<MoneyRow>`
    SELECT ${g.key} AS key,
           ${perPeriod(periods, (p) => sql`coalesce(sum(x.amount) FILTER (WHERE ${onDays(sql.ref('x.order_date'), p)}), 0)::text`)} AS sums
    FROM orders x ${g.join}
    WHERE x.status = 'confirmed' AND ${onDays(sql.ref('x.order_date'), spanOf(periods))}
      AND ${campaignCondition(sql.ref('x.campaign_id'), scope)}
    ${g.groupBy}`.execute(db)
  return rows
}

/**
 * Revenue credited on days of each period under the model stored in column c<position> of
 * attribution_totals (the attribution service must have brought them up to date). The totals
 * hold cents; they are turned into money here so that every revenue reads the same.
 */
export async function sumAttributedRevenue(
  db: Db, scope: Scope, periods: readonly Period[], grouping: Grouping, position: number,
): Promise<MoneyRow[]> {
  if (!Number.isInteger(position) || position < 1 || position > 11) throw new RangeError(`no attribution model at position ${position}`)
  const credits = sql.ref(`x.c${position}`)
  const g = groupsOf(grouping, sql.ref('x.campaign_id'))
  const { rows } = await sql<MoneyRow>`
    SELECT ${g.key} AS key,
           ${perPeriod(periods, (p) => sql`(coalesce(sum(${credits}) FILTER (WHERE ${onDays(sql.ref('x.credited_on'), p)}), 0) / 100.0)::numeric(20,2)::text`)} AS sums
    FROM attribution_totals x ${g.join}
    WHERE x.measure = 'revenue' AND ${onDays(sql.ref('x.credited_on'), spanOf(periods))}
      AND ${campaignCondition(sql.ref('x.campaign_id'), scope)}
    ${g.groupBy}`.execute(db)
  return rows
}

/**
 * Each campaign's expected revenue spread evenly over the days of its run, the part on each
 * period's days, rounded per campaign to the cent (half away from zero, as roi-core rounds).
 * A run with one end only is that one day; a run with neither is the day it was created.
 */
export async function sumExpectedRevenue(db: Db, scope: Scope, periods: readonly Period[], grouping: Grouping): Promise<MoneyRow[]> {
  const g = groupsOf(grouping, sql.ref('c.id'), true)
  const created = sql`(c.created_at AT TIME ZONE ${scope.timeZone})::date`
  const share = (p: Period) => sql`round(r.amount * greatest(least(r.last_day, ${p.to}::date) - greatest(r.first_day, ${p.from}::date) + 1, 0)
                                        / (r.last_day - r.first_day + 1), 2)`
  const { rows } = await sql<MoneyRow>`
    SELECT ${g.key} AS key, ${perPeriod(periods, (p) => sql`coalesce(sum(${share(p)}), 0)::text`)} AS sums
    FROM campaigns c
    CROSS JOIN LATERAL (
      SELECT c.expected_revenue AS amount,
             coalesce(c.start_date, c.end_date, ${created}) AS first_day,
             coalesce(c.end_date, c.start_date, ${created}) AS last_day
    ) r
    WHERE ${campaignCondition(sql.ref('c.id'), scope)}
    ${g.groupBy}`.execute(db)
  return rows
}

/** Leads created in each period. */
export async function countLeads(db: Db, scope: Scope, periods: readonly Period[], grouping: Grouping): Promise<CountsRow[]> {
  const g = groupsOf(grouping, sql.ref('x.campaign_id'))
  const created = (p: Period) => withinDays(sql.ref('x.created_at'), p, scope.timeZone)
  const { rows } = await sql<CountsRow>`
    SELECT ${g.key} AS key, ${perPeriod(periods, (p) => sql`count(*) FILTER (WHERE ${created(p)})`)}::int[] AS counts
    FROM leads x ${g.join}
    WHERE ${created(spanOf(periods))} AND ${campaignCondition(sql.ref('x.campaign_id'), scope)}
    ${g.groupBy}`.execute(db)
  return rows
}

/** Leads created in each period, with how many were not disqualified and how many were converted. */
export async function countLeadOutcomes(db: Db, scope: Scope, periods: readonly Period[], grouping: Grouping): Promise<LeadCountsRow[]> {
  const g = groupsOf(grouping, sql.ref('x.campaign_id'))
  const created = (p: Period) => withinDays(sql.ref('x.created_at'), p, scope.timeZone)
  const { rows } = await sql<LeadCountsRow>`
    SELECT ${g.key} AS key,
           ${perPeriod(periods, (p) => sql`count(*) FILTER (WHERE ${created(p)})`)}::int[] AS leads,
           ${perPeriod(periods, (p) => sql`count(*) FILTER (WHERE ${created(p)} AND x.status <> 'disqualified')`)}::int[] AS valid,
           ${perPeriod(periods, (p) => sql`count(*) FILTER (WHERE ${created(p)} AND x.converted_opportunity_id IS NOT NULL)`)}::int[] AS converted
    FROM leads x ${g.join}
    WHERE ${created(spanOf(periods))} AND ${campaignCondition(sql.ref('x.campaign_id'), scope)}
    ${g.groupBy}`.execute(db)
  return rows
}

/** Opportunities created in each period. */
export async function countOpportunitiesCreated(db: Db, scope: Scope, periods: readonly Period[], grouping: Grouping): Promise<CountsRow[]> {
  const g = groupsOf(grouping, sql.ref('x.campaign_id'))
  const created = (p: Period) => withinDays(sql.ref('x.created_at'), p, scope.timeZone)
  const { rows } = await sql<CountsRow>`
    SELECT ${g.key} AS key, ${perPeriod(periods, (p) => sql`count(*) FILTER (WHERE ${created(p)})`)}::int[] AS counts
    FROM opportunities x ${g.join}
    WHERE ${created(spanOf(periods))} AND ${campaignCondition(sql.ref('x.campaign_id'), scope)}
    ${g.groupBy}`.execute(db)
  return rows
}

/** Opportunities won and lost (closed_at) in each period. */
export async function countOpportunitiesClosed(db: Db, scope: Scope, periods: readonly Period[], grouping: Grouping): Promise<ClosedCountsRow[]> {
  const g = groupsOf(grouping, sql.ref('x.campaign_id'))
  const closed = (p: Period) => withinDays(sql.ref('x.closed_at'), p, scope.timeZone)
  const { rows } = await sql<ClosedCountsRow>`
    SELECT ${g.key} AS key,
           ${perPeriod(periods, (p) => sql`count(*) FILTER (WHERE x.stage = 'won' AND ${closed(p)})`)}::int[] AS won,
           ${perPeriod(periods, (p) => sql`count(*) FILTER (WHERE x.stage = 'lost' AND ${closed(p)})`)}::int[] AS lost
    FROM opportunities x ${g.join}
    WHERE x.stage IN ('won', 'lost') AND ${closed(spanOf(periods))} AND ${campaignCondition(sql.ref('x.campaign_id'), scope)}
    ${g.groupBy}`.execute(db)
  return rows
}

/**
 * The mean days from a win's lead creation (the opportunity's, without a lead) to the win, over
 * the opportunities won in the period, to two decimals (the glossary's avgDaysLeadToWon); null
 * without wins. Each win looks its lead up by primary key.
 */
export async function averageDaysLeadToWon(db: Db, scope: Scope, period: Period, grouping: Grouping): Promise<Array<{ key: string | null; days: string | null }>> {
  const g = groupsOf(grouping, sql.ref('x.campaign_id'))
  const { rows } = await sql<{ key: string | null; days: string | null }>`
    SELECT ${g.key} AS key,
           round(avg(date_part('epoch', x.closed_at - coalesce((SELECT l.created_at FROM leads l WHERE l.id = x.lead_id), x.created_at)))::numeric
                 / 86400, 2)::text AS days
    FROM opportunities x ${g.join}
    WHERE x.stage = 'won' AND ${withinDays(sql.ref('x.closed_at'), period, scope.timeZone)} AND ${campaignCondition(sql.ref('x.campaign_id'), scope)}
    ${g.groupBy}`.execute(db)
  return rows
}

/**
 * The customers won in each period: distinct accounts of the opportunities won (closed_at) there,
 * by the opportunity's campaign; and their lifetime revenue, every confirmed order of the account
 * (whatever its campaign) dated from the day of its first win in the period to that day plus
 * `horizonMonths` months, exclusive. Per key, so that per campaign an account counts for each
 * campaign that won it. Opportunities without an account have no customer to follow.
 */
export async function wonCustomers(
  db: Db, scope: Scope, periods: readonly Period[], grouping: Grouping, horizonMonths: number,
): Promise<WonCustomersRow[]> {
  // A customer counts once per key: a total must follow accounts, not add up campaigns.
  if (grouping === 'type' || grouping === 'campaignAndTotal') throw new RangeError(`won customers are not grouped by ${grouping}`)
  const g = groupsOf(grouping, sql.ref('x.campaign_id'))
  const first = (i: number) => sql.ref(`f.first_${i}`)
  const horizonEnd = (day: Column) => sql`(${day} + make_interval(months => ${horizonMonths}::int))::date`
  const { rows } = await sql<WonCustomersRow>`
    WITH f AS (
      SELECT ${g.key} AS key, x.account_id,
             ${sql.join(periods.map((p, i) => sql`(min(x.closed_at) FILTER (WHERE ${withinDays(sql.ref('x.closed_at'), p, scope.timeZone)})
                                                   AT TIME ZONE ${scope.timeZone})::date AS ${sql.ref(`first_${i}`)}`))}
      FROM opportunities x
      WHERE x.stage = 'won' AND x.account_id IS NOT NULL AND ${withinDays(sql.ref('x.closed_at'), spanOf(periods), scope.timeZone)}
        AND ${campaignCondition(sql.ref('x.campaign_id'), scope)}
      GROUP BY ${grouping === 'campaign' ? sql`x.campaign_id, ` : sql``}x.account_id
    )
    SELECT f.key,
           ${perPeriod(periods, (_, i) => sql`count(${first(i)})`)}::int[] AS customers,
           ${perPeriod(periods, (_, i) => sql`coalesce(sum(${sql.ref(`r.lifetime_${i}`)}), 0)::text`)} AS lifetime
    FROM f
    LEFT JOIN LATERAL (
      SELECT ${sql.join(periods.map((_, i) => sql`sum(o.amount) FILTER (WHERE o.order_date >= ${first(i)} AND o.order_date < ${horizonEnd(first(i))})
                                                  AS ${sql.ref(`lifetime_${i}`)}`))}
      FROM orders o
      WHERE o.account_id = f.account_id AND o.status = 'confirmed'
        AND o.order_date >= least(${sql.join(periods.map((_, i) => first(i)))})
        AND o.order_date < ${horizonEnd(sql`greatest(${sql.join(periods.map((_, i) => first(i)))})`)}
    ) r ON true
    GROUP BY f.key`.execute(db)
  return rows
}

/** How many campaigns of each type match the filters. */
export async function countCampaignsByType(db: Db, scope: CampaignFilters): Promise<Array<{ type: CampaignType; campaigns: number }>> {
  const { rows } = await sql<{ type: CampaignType; campaigns: number }>`
    SELECT c.type, count(*)::int AS campaigns FROM campaigns c
    WHERE ${campaignCondition(sql.ref('c.id'), scope)}
    GROUP BY c.type`.execute(db)
  return rows
}

/** The campaigns matching the filters. */
export async function campaignsInScope(db: Db, scope: CampaignFilters): Promise<Array<{ id: string; name: string; code: string; type: CampaignType }>> {
  const { rows } = await sql<{ id: string; name: string; code: string; type: CampaignType }>`
    SELECT c.id, c.name, c.code, c.type FROM campaigns c WHERE ${campaignCondition(sql.ref('c.id'), scope)}`.execute(db)
  return rows
}
