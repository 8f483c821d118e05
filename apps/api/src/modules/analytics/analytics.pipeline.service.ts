import { CAMPAIGN_TYPES, pct, type CampaignType } from '@yardstick/roi-core'
import type { Db } from '../../db/database.ts'
import { invalidField } from '../../errors.ts'
import { addDays, daysInclusive } from '../../lib/dates.ts'
import { moneyFromDb } from '../../lib/money-input.ts'
import { inReadSnapshot } from '../../lib/snapshot.ts'
import { periodDays, type AnalyticsFilters, type Period } from './analytics.filters.ts'
import * as repo from './analytics.pipeline.repository.ts'
import { FUNNEL_STAGES } from './analytics.schemas.ts'

/** As LeadTrendSchema. */
export interface LeadTrend {
  period: Period
  interval: repo.TrendInterval
  buckets: string[]
  series: { type: CampaignType; counts: number[]; total: number }[]
  totals: number[]
}

export interface FunnelStage {
  stage: (typeof FUNNEL_STAGES)[number]
  count: number
  rateFromPrevious: number | null
  rateFromFirst: number | null
}

/** As FunnelSchema. */
export interface Funnel {
  period: Period
  groupBy: repo.FunnelGrouping
  groups: { key: string | null; label: string | null; stages: FunnelStage[] }[]
}

export interface TeamMember {
  ownerId: string
  name: string
  leads: number
  opportunities: number
  wins: number
  winRate: number | null
  revenue: string
  medianDaysLeadToWon: number | null
  medianFirstResponseHours: number | null
}

/** As TeamSchema. */
export interface Team {
  period: Period
  members: TeamMember[]
}

/** The most buckets one lead trend may have (a day interval over about 2¾ years). */
export const MAX_TREND_BUCKETS = 1000

const typeOrder = (type: CampaignType): number => CAMPAIGN_TYPES.indexOf(type)

/** The Monday of a date's ISO week. @example mondayOf('2026-03-04') // '2026-03-02' */
function mondayOf(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay()
  return addDays(date, -((weekday + 6) % 7))
}

/**
 * Buckets from the one holding `from` to the one holding `to`.
 * @example bucketCount({ from: '2026-03-04', to: '2026-03-17' }, 'week') // 3 (from Monday 2026-03-02)
 */
export function bucketCount(period: Period, interval: repo.TrendInterval): number {
  if (interval === 'day') return periodDays(period)
  if (interval === 'week') return (daysInclusive(mondayOf(period.from), mondayOf(period.to)) - 1) / 7 + 1
  const month = (date: string) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7))
  return month(period.to) - month(period.from) + 1
}

/** New leads per day, week (from Monday) or month in the company time zone, one series per campaign type in scope. */
export async function leadTrend(db: Db, filters: AnalyticsFilters, interval: repo.TrendInterval): Promise<LeadTrend> {
  const buckets = bucketCount(filters.period, interval)
  if (buckets > MAX_TREND_BUCKETS) {
    throw invalidField('interval', `gives ${buckets} buckets over this period, more than ${MAX_TREND_BUCKETS}; choose a longer interval or a shorter period`)
  }
  const { dates, rows } = await inReadSnapshot(db, async (trx) => ({
    dates: await repo.trendBuckets(trx, filters.period, interval),
    rows: await repo.leadTrendSeries(trx, filters, interval),
  }))
  const series = rows
    .map((row) => ({ type: row.type, counts: row.counts, total: row.counts.reduce((n, c) => n + c, 0) }))
    .sort((a, b) => typeOrder(a.type) - typeOrder(b.type))
  const totals = dates.map((_, i) => series.reduce((n, s) => n + s.counts[i]!, 0))
  return { period: filters.period, interval, buckets: dates, series, totals }
}

type FunnelGroup = Funnel['groups'][number]

function funnelGroup(row: repo.FunnelRow): FunnelGroup {
  const counts = FUNNEL_STAGES.map((stage) => row[stage])
  return {
    key: row.key,
    label: row.label,
    // The first stage's "previous" is itself: 100 % of a non-empty cohort.
    stages: FUNNEL_STAGES.map((stage, i) => ({
      stage,
      count: counts[i]!,
      rateFromPrevious: pct(BigInt(counts[i]!), BigInt(counts[Math.max(i - 1, 0)]!)),
      rateFromFirst: pct(BigInt(counts[i]!), BigInt(counts[0]!)),
    })),
  }
}

const emptyFunnelRow = (key: string): repo.FunnelRow => ({ key, label: null, leads: 0, qualified: 0, opportunities: 0, won: 0 })

/**
 * The leads created in the period followed to qualified, opportunity and won: overall, per
 * campaign type in scope (an empty type shows zeros), or per campaign with leads in the period.
 */
export async function funnel(db: Db, filters: AnalyticsFilters, groupBy: repo.FunnelGrouping): Promise<Funnel> {
  const { types, rows } = await inReadSnapshot(db, async (trx) => ({
    types: groupBy === 'type' ? await repo.campaignTypesInScope(trx, filters) : [],
    rows: await repo.funnelCounts(trx, filters, groupBy),
  }))
  let groups: repo.FunnelRow[] = rows
  if (groupBy === 'type') {
    const byType = new Map(rows.map((row) => [row.key, row]))
    groups = [...types].sort((a, b) => typeOrder(a) - typeOrder(b)).map((type) => byType.get(type) ?? emptyFunnelRow(type))
  }
  return { period: filters.period, groupBy, groups: groups.map(funnelGroup) }
}

/** Per salesperson: leads, opportunities, wins, win rate, revenue and the two medians over the period. */
export async function team(db: Db, filters: AnalyticsFilters): Promise<Team> {
  // One statement: a consistent snapshot by itself.
  const rows = await repo.teamFigures(db, filters)
  return {
    period: filters.period,
    members: rows.map((row) => ({
      ownerId: row.owner_id,
      name: row.name,
      leads: row.leads,
      opportunities: row.opportunities,
      wins: row.wins,
      winRate: pct(BigInt(row.wins), BigInt(row.wins + row.losses)),
      revenue: moneyFromDb(row.revenue),
      medianDaysLeadToWon: row.median_days_lead_to_won === null ? null : Number(row.median_days_lead_to_won),
      medianFirstResponseHours: row.median_first_response_hours === null ? null : Number(row.median_first_response_hours),
    })),
  }
}
