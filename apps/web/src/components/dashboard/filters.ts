import type { LocationQuery } from 'vue-router'
import { CAMPAIGN_TYPES, type CampaignType } from '../../api/types.ts'
import { ATTRIBUTION_MODELS, type AttributionModel } from '../campaigns/attribution/models.ts'
import { GROUP_BYS, INTERVALS, type GroupBy, type Interval, type Scope } from './types.ts'

/** What the dashboard shows; all of it lives in the URL, so a link shows the same view. */
export interface DashboardFilters {
  /** First and last day, inclusive; both null: the server's default (the last 30 days). */
  from: string | null
  to: string | null
  type: CampaignType | null
  campaignId: string | null
  ownerId: string | null
  model: AttributionModel
  interval: Interval
  groupBy: GroupBy
  horizonMonths: number
}

export const DEFAULT_FILTERS: Readonly<DashboardFilters> = Object.freeze({
  from: null,
  to: null,
  type: null,
  campaignId: null,
  ownerId: null,
  model: 'primary_source',
  interval: 'day',
  groupBy: 'none',
  horizonMonths: 12,
})

export const HORIZON_MIN = 1
export const HORIZON_MAX = 120

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A real calendar day written YYYY-MM-DD (2026-02-30 is not). */
export function isIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!match) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

const single = (value: LocationQuery[string] | undefined): string | null => {
  const first = Array.isArray(value) ? value[0] : value
  return typeof first === 'string' && first !== '' ? first : null
}

const oneOf = <T extends string>(values: readonly T[], value: string | null, fallback: T): T =>
  value !== null && (values as readonly string[]).includes(value) ? (value as T) : fallback

/**
 * The filters of a dashboard URL; a value that is missing or wrong (an unknown type, a
 * malformed id, a period ending before it starts) falls back to its default.
 */
export function parseFilters(query: LocationQuery): DashboardFilters {
  const from = single(query.from)
  const to = single(query.to)
  const periodOk = from !== null && to !== null && isIsoDate(from) && isIsoDate(to) && from <= to
  const campaignId = single(query.campaignId)
  const ownerId = single(query.ownerId)
  const horizon = single(query.horizonMonths)
  const months = horizon !== null && /^\d{1,3}$/.test(horizon) ? Number(horizon) : NaN
  return {
    from: periodOk ? from : null,
    to: periodOk ? to : null,
    type: oneOf<CampaignType | ''>(CAMPAIGN_TYPES, single(query.type), '') || null,
    campaignId: campaignId !== null && UUID.test(campaignId) ? campaignId.toLowerCase() : null,
    ownerId: ownerId !== null && UUID.test(ownerId) ? ownerId.toLowerCase() : null,
    model: oneOf(ATTRIBUTION_MODELS, single(query.model), DEFAULT_FILTERS.model),
    interval: oneOf(INTERVALS, single(query.interval), DEFAULT_FILTERS.interval),
    groupBy: oneOf(GROUP_BYS, single(query.groupBy), DEFAULT_FILTERS.groupBy),
    horizonMonths: months >= HORIZON_MIN && months <= HORIZON_MAX ? months : DEFAULT_FILTERS.horizonMonths,
  }
}

/** The URL query of some filters: only what differs from the defaults, so the plain link stays plain. */
export function filtersToQuery(filters: DashboardFilters): Record<string, string> {
  const query: Record<string, string> = {}
  if (filters.from && filters.to) Object.assign(query, { from: filters.from, to: filters.to })
  if (filters.type) query.type = filters.type
  if (filters.campaignId) query.campaignId = filters.campaignId
  if (filters.ownerId) query.ownerId = filters.ownerId
  if (filters.model !== DEFAULT_FILTERS.model) query.model = filters.model
  if (filters.interval !== DEFAULT_FILTERS.interval) query.interval = filters.interval
  if (filters.groupBy !== DEFAULT_FILTERS.groupBy) query.groupBy = filters.groupBy
  if (filters.horizonMonths !== DEFAULT_FILTERS.horizonMonths) query.horizonMonths = String(filters.horizonMonths)
  return query
}

/** Whether two queries say the same thing (the order of the keys aside). */
export function sameQuery(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  return [...keys].every((key) => JSON.stringify(a[key]) === JSON.stringify(b[key]))
}

/** The part of the filters every analytics endpoint takes. */
export function scopeOf(filters: DashboardFilters): Scope {
  return {
    from: filters.from ?? undefined,
    to: filters.to ?? undefined,
    type: filters.type ?? undefined,
    campaignId: filters.campaignId ?? undefined,
    ownerId: filters.ownerId ?? undefined,
  }
}

/** Whether anything narrows the view beyond the defaults (the reset button shows then). */
export function isFiltered(filters: DashboardFilters): boolean {
  return filters.from !== null || filters.type !== null || filters.campaignId !== null || filters.ownerId !== null || filters.model !== DEFAULT_FILTERS.model
}

const iso = (date: Date) => `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`

export type PeriodShortcut = 'last7' | 'last30' | 'last90' | 'thisMonth' | 'thisQuarter' | 'thisYear'
export const PERIOD_SHORTCUTS: readonly PeriodShortcut[] = ['last7', 'last30', 'last90', 'thisMonth', 'thisQuarter', 'thisYear']

/**
 * The days a shortcut stands for, up to and including `today` (the browser's calendar day).
 * @example shortcutPeriod('thisQuarter', new Date(2026, 10, 23)) // ['2026-10-01', '2026-11-23']
 */
export function shortcutPeriod(shortcut: PeriodShortcut, today: Date = new Date()): [string, string] {
  const end = new Date(today.getFullYear(), today.getMonth(), today.getDate())
  const daysBack = (n: number) => new Date(end.getFullYear(), end.getMonth(), end.getDate() - (n - 1))
  switch (shortcut) {
    case 'last7': return [iso(daysBack(7)), iso(end)]
    case 'last30': return [iso(daysBack(30)), iso(end)]
    case 'last90': return [iso(daysBack(90)), iso(end)]
    case 'thisMonth': return [iso(new Date(end.getFullYear(), end.getMonth(), 1)), iso(end)]
    case 'thisQuarter': return [iso(new Date(end.getFullYear(), end.getMonth() - (end.getMonth() % 3), 1)), iso(end)]
    case 'thisYear': return [iso(new Date(end.getFullYear(), 0, 1)), iso(end)]
  }
}
