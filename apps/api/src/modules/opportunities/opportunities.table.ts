import type { ColumnType, Generated } from 'kysely'
import type { OpportunityStage } from '@yardstick/roi-core'

export interface OpportunitiesTable {
  id: Generated<string>
  name: string
  account_id: string | null
  contact_id: string | null
  lead_id: string | null
  campaign_id: string | null
  /** numeric(18,2): read and written as decimal text, never as a float. */
  amount: ColumnType<string, string | undefined, string>
  stage: ColumnType<OpportunityStage, OpportunityStage | undefined, OpportunityStage>
  probability: number
  expected_close_date: string | null
  closed_at: Date | null
  lost_reason: string | null
  owner_id: string | null
  created_at: ColumnType<Date, Date | undefined, never>
  updated_at: ColumnType<Date, Date | undefined, Date>
}
