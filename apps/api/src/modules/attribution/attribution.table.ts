import type { ColumnType, Generated } from 'kysely'

export interface AttributionSettingsTable {
  id: ColumnType<boolean, never, never>
  lookback_days: number
  /** numeric(6,2) as text. */
  half_life_days: ColumnType<string, string | undefined, string>
  updated_at: ColumnType<Date, Date | undefined, Date>
  updated_by: string | null
}

/** What a write made stale; see migrations/0004_attribution.sql. */
export interface AttributionStaleTable {
  id: Generated<number>
  opportunity_id: string | null
  order_id: string | null
  lead_id: string | null
  contact_id: string | null
  everything: ColumnType<boolean, boolean | undefined, never>
}

/** Each unit as it was shared out, to take back what it added; see migrations/0004_attribution.sql. */
export interface AttributionUnitsTable {
  unit_id: string
  measure: 'revenue' | 'pipeline'
  credited_on: string | null
  won: boolean
  inputs: string
}

/** Sums per campaign, measure and date, appended as differences; c1…c11 cents, w1…w11 shares × 10^10. */
export interface AttributionTotalsTable {
  campaign_id: string | null
  measure: 'revenue' | 'pipeline'
  credited_on: string | null
  won: boolean
  [modelColumn: `c${number}` | `w${number}`]: string
}

/** One row while the credits hold a complete recompute; see migrations/0004_attribution.sql. */
export interface AttributionBuiltTable {
  id: ColumnType<boolean, never, never>
  built_at: ColumnType<Date, Date | undefined, Date>
  folded_rows: number
  appended_rows: number
}
