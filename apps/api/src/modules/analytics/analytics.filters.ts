import type { CampaignType } from '@yardstick/roi-core'
import { sql, type RawBuilder } from 'kysely'
import { DomainError } from '../../errors.ts'
import { addDays, daysInclusive, today } from '../../lib/dates.ts'

/** The longest period one request may cover: ten years of days. */
export const MAX_PERIOD_DAYS = 3660

export interface Period {
  /** YYYY-MM-DD, inclusive. */
  from: string
  /** YYYY-MM-DD, inclusive. */
  to: string
}

export interface CampaignFilters {
  type?: CampaignType
  /** The campaign and its sub-campaigns at any depth. */
  campaignId?: string
  /** The campaign's owner. */
  ownerId?: string
}

export interface AnalyticsFilters extends CampaignFilters {
  period: Period
  /** IANA zone in which timestamps fall on days (CRM_TIME_ZONE). */
  timeZone: string
}

/** Days in a period, both ends counted. @example periodDays({ from: '2026-01-01', to: '2026-01-31' }) // 31 */
export const periodDays = (period: Period): number => daysInclusive(period.from, period.to)

/**
 * The period a request asks for: `to` defaults to today, `from` to 29 days before `to` (30 days).
 * A reversed or overlong period is a 400 naming `from`.
 */
export function resolvePeriod(query: { from?: string; to?: string }, timeZone: string, now: Date = new Date()): Period {
  const to = query.to ?? today(timeZone, now)
  const from = query.from ?? addDays(to, -29)
  if (from > to) {
    throw new DomainError(400, 'validation_failed', 'from: must be on or before to', [{ field: 'from', message: 'must be on or before to' }])
  }
  if (periodDays({ from, to }) > MAX_PERIOD_DAYS) {
    const message = `must be at most ${MAX_PERIOD_DAYS} days before to`
    throw new DomainError(400, 'validation_failed', `from: ${message}`, [{ field: 'from', message }])
  }
  return { from, to }
}

/**
 * The equal period just before. @example previousPeriod({ from: '2026-03-01', to: '2026-03-31' })
 * // { from: '2026-01-29', to: '2026-02-28' }
 */
export function previousPeriod(period: Period): Period {
  const days = periodDays(period)
  return { from: addDays(period.from, -days), to: addDays(period.from, -1) }
}

/**
 * A condition on a campaign id column: the campaign matches the filters. Without filters it is
 * any campaign, so records without one (not a marketing result) are left out either way.
 *
 * @example
 * sql`SELECT count(*) FROM leads l WHERE ${campaignCondition(sql.ref('l.campaign_id'), { type: 'webinar' })}`
 */
export function campaignCondition(column: RawBuilder<unknown> | ReturnType<typeof sql.ref>, filters: CampaignFilters): RawBuilder<boolean> {
  if (!filters.type && !filters.campaignId && !filters.ownerId) return sql<boolean>`${column} IS NOT NULL`
  return sql<boolean>`${column} IN (${scopedCampaignIds(filters)})`
}

/** A subquery of the ids of the campaigns matching the filters. */
export function scopedCampaignIds(filters: CampaignFilters): RawBuilder<unknown> {
  const conditions: RawBuilder<unknown>[] = [sql`true`]
  if (filters.type) conditions.push(sql`c.type = ${filters.type}`)
  if (filters.ownerId) conditions.push(sql`c.owner_id = ${filters.ownerId}::uuid`)
  if (filters.campaignId) {
    conditions.push(sql`c.id IN (
      WITH RECURSIVE tree(id) AS (
        SELECT id FROM campaigns WHERE id = ${filters.campaignId}::uuid
        UNION SELECT child.id FROM campaigns child JOIN tree ON child.parent_id = tree.id
      ) SELECT id FROM tree)`)
  }
  return sql`SELECT c.id FROM campaigns c WHERE ${sql.join(conditions, sql` AND `)}`
}

/** The instant a day begins in the time zone. */
function dayStart(date: string, timeZone: string): RawBuilder<Date> {
  return sql<Date>`(${date}::date::timestamp AT TIME ZONE ${timeZone})`
}

/**
 * A timestamp column within the period's days in the time zone, written as a range on the bare
 * column so that its date index serves it.
 */
export function withinDays(column: RawBuilder<unknown> | ReturnType<typeof sql.ref>, period: Period, timeZone: string): RawBuilder<boolean> {
  return sql<boolean>`${column} >= ${dayStart(period.from, timeZone)} AND ${column} < ${dayStart(addDays(period.to, 1), timeZone)}`
}
