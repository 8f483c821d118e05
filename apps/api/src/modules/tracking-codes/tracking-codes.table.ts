import type { ColumnType, Generated } from 'kysely'

export const TRACKING_CODE_KINDS = ['coupon', 'promo', 'hotline'] as const
export type TrackingCodeKind = (typeof TRACKING_CODE_KINDS)[number]

export interface CampaignTrackingCodesTable {
  id: Generated<string>
  campaign_id: string
  kind: TrackingCodeKind
  code: string
  /** Generated: the code upper-cased, or a hotline's digits; unique. */
  match_key: ColumnType<string, never, never>
  note: string | null
  active: ColumnType<boolean, boolean | undefined, boolean>
  created_by: string | null
  created_at: ColumnType<Date, Date | undefined, never>
  updated_at: ColumnType<Date, Date | undefined, Date>
}
