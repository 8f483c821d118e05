import type { Db } from '../../db/database.ts'
import type { AnalyticsFilters } from './analytics.filters.ts'

export async function leadTrend(db: Db, filters: AnalyticsFilters, interval: 'day' | 'week' | 'month'): Promise<never> {
  throw new Error(`not implemented: ${String(db)} ${JSON.stringify(filters)} ${interval}`)
}

export async function funnel(db: Db, filters: AnalyticsFilters, groupBy: 'none' | 'type' | 'campaign'): Promise<never> {
  throw new Error(`not implemented: ${String(db)} ${JSON.stringify(filters)} ${groupBy}`)
}

export async function team(db: Db, filters: AnalyticsFilters): Promise<never> {
  throw new Error(`not implemented: ${String(db)} ${JSON.stringify(filters)}`)
}
