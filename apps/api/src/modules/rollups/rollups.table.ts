import type { ColumnType } from 'kysely'

/** A campaign's revenue is the sum of its slots; see migrations/0002_crm.sql. */
export interface CampaignRollupSlotsTable {
  campaign_id: string
  slot: number
  revenue: ColumnType<string, string | undefined, string>
  order_count: ColumnType<number, number | undefined, number>
}
