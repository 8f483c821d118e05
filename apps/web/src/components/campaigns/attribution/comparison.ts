import type { paths } from '../../../api/schema'
import { cents, moneyPct, type AttributionModel } from './models.ts'

/** How many campaigns the comparison chart shows at once; a slider reaches the others. */
export const CHART_WINDOW = 15

export type Comparison = paths['/api/v1/attribution/compare']['get']['responses'][200]['content']['application/json']
export type ComparedCampaign = Comparison['campaigns'][number]
export type ModelFigures = ComparedCampaign['models'][number]

/** A campaign of the comparison with its figures by model and its spread as a share of the highest. */
export interface ComparisonRow extends ComparedCampaign {
  byModel: Partial<Record<AttributionModel, ModelFigures>>
  /** (max − min) ÷ max × 100, two decimals; null when every model credits nothing. */
  spreadPct: number | null
}

export function comparisonRows(data: Comparison): ComparisonRow[] {
  return data.campaigns.map((c) => ({
    ...c,
    byModel: Object.fromEntries(c.models.map((m) => [m.model, m])),
    spreadPct: moneyPct(c.spread.range, c.spread.max),
  }))
}

const compareCents = (a: string, b: string) => {
  const x = cents(a)
  const y = cents(b)
  return x < y ? -1 : x > y ? 1 : 0
}

/** ElTable sort methods: money compared exactly, ascending (the table reverses for descending). */
export const bySpread = (a: ComparisonRow, b: ComparisonRow) => compareCents(a.spread.range, b.spread.range) || (a.spreadPct ?? 0) - (b.spreadPct ?? 0)
export const byCost = (a: ComparisonRow, b: ComparisonRow) => compareCents(a.cost, b.cost)
export const byModelRevenue = (model: AttributionModel) => (a: ComparisonRow, b: ComparisonRow) =>
  compareCents(a.byModel[model]?.attributedRevenue ?? '0', b.byModel[model]?.attributedRevenue ?? '0')

/** The campaigns by their highest attributed revenue under any of the models, largest first (ties by name). */
export function byMaxRevenue(rows: readonly ComparisonRow[]): ComparisonRow[] {
  return [...rows].sort((a, b) => compareCents(b.spread.max, a.spread.max) || a.name.localeCompare(b.name))
}

/** Whether each model's total (attributed + unattributed) is the confirmed revenue, to the cent. */
export function totalAgrees(total: Comparison['totals'][number], totalRevenue: string): boolean {
  const expected = cents(totalRevenue)
  return cents(total.totalRevenue) === expected && cents(total.attributedRevenue) + cents(total.unattributedRevenue) === expected
}

export function allTotalsAgree(data: Comparison): boolean {
  return data.totals.every((total) => totalAgrees(total, data.totalRevenue))
}
