import type { CampaignStatus, CampaignType } from '@yardstick/roi-core'
import type { ColumnType, Generated } from 'kysely'

/** numeric(18,2): read and written as decimal text, never as a float. */
type Money = ColumnType<string, string | undefined, string>

export interface CampaignsTable {
  id: Generated<string>
  name: string
  code: string
  type: CampaignType
  status: ColumnType<CampaignStatus, CampaignStatus | undefined, CampaignStatus>
  /** 'YYYY-MM-DD' (the DATE type parser keeps it a string). */
  start_date: string | null
  end_date: string | null
  budget: Money
  actual_cost: Money
  expected_revenue: Money
  description: string | null
  parent_id: string | null
  owner_id: string | null
  created_at: ColumnType<Date, Date | undefined, never>
  updated_at: ColumnType<Date, Date | undefined, Date>
}
