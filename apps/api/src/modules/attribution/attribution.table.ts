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

export interface AttributionCreditsTable {
  unit_id: string
  measure: 'revenue' | 'pipeline'
  campaign_id: string | null
  credited_on: string | null
  won: boolean
  /** c1…c11 (cents, bigint as text) and w1…w11 (shares) per model; see the migration. */
  [modelColumn: `c${number}` | `w${number}`]: string | number
}

/** One row while attribution_credits holds a complete recompute; see migrations/0004_attribution.sql. */
export interface AttributionBuiltTable {
  id: ColumnType<boolean, never, never>
  built_at: ColumnType<Date, Date | undefined, Date>
}
