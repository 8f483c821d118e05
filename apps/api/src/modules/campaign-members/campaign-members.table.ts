import type { CampaignType } from '@yardstick/roi-core'
import type { ColumnType, Generated } from 'kysely'
import type { PersonType } from '../touchpoints/touchpoints.table.ts'

export interface MemberStatusFlowsTable {
  campaign_type: CampaignType
  status: string
  position: number
  responded: boolean
}

export interface CampaignMembersTable {
  id: Generated<string>
  campaign_id: string
  person_type: PersonType
  lead_id: string | null
  contact_id: string | null
  status: string
  status_changed_at: ColumnType<Date, Date | undefined, Date>
  responded_at: Date | null
  created_by: string | null
  created_at: ColumnType<Date, Date | undefined, never>
  updated_at: ColumnType<Date, Date | undefined, Date>
}

export interface CampaignMemberStatusHistoryTable {
  id: Generated<number>
  member_id: string
  status: string
  changed_at: ColumnType<Date, Date | undefined, never>
  changed_by: string | null
}
