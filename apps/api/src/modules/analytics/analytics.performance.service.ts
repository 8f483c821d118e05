import type { AttributionModel } from '@yardstick/roi-core'
import type pg from 'pg'
import type { Db } from '../../db/database.ts'
import type { AnalyticsFilters } from './analytics.filters.ts'

export async function overview(db: Db, pool: pg.Pool, filters: AnalyticsFilters, model: AttributionModel): Promise<never> {
  throw new Error(`not implemented: ${String(db)} ${String(pool)} ${JSON.stringify(filters)} ${model}`)
}

export async function channels(db: Db, pool: pg.Pool, filters: AnalyticsFilters, model: AttributionModel): Promise<never> {
  throw new Error(`not implemented: ${String(db)} ${String(pool)} ${JSON.stringify(filters)} ${model}`)
}

export async function roiViews(db: Db, pool: pg.Pool, filters: AnalyticsFilters, model: AttributionModel, horizonMonths: number): Promise<never> {
  throw new Error(`not implemented: ${String(db)} ${String(pool)} ${JSON.stringify(filters)} ${model} ${horizonMonths}`)
}
