import type { ColumnType, Generated } from 'kysely'

export const COST_CATEGORIES = ['media', 'venue', 'material', 'staff', 'agency', 'other'] as const
export type CostCategory = (typeof COST_CATEGORIES)[number]

export interface CampaignCostsTable {
  id: Generated<string>
  campaign_id: string
  /** The day the money was spent: the API's `date`. */
  spent_on: string
  category: CostCategory
  /** numeric(18,2), a decimal string. */
  amount: string
  note: string | null
  created_by: string | null
  created_at: ColumnType<Date, Date | undefined, never>
  updated_at: ColumnType<Date, Date | undefined, Date>
}
