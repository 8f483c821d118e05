import type { LeadStatus } from '@yardstick/roi-core'
import type { ColumnType, Generated } from 'kysely'

export interface LeadsTable {
  id: Generated<string>
  name: string
  company: string | null
  email: string | null
  phone: string | null
  title: string | null
  industry: string | null
  region: string | null
  campaign_id: string | null
  status: ColumnType<LeadStatus, LeadStatus | undefined, LeadStatus>
  disqualified_reason: string | null
  owner_id: string | null
  converted_at: Date | null
  /** Set by a trigger on the first status change. */
  first_response_at: ColumnType<Date | null, never, never>
  converted_account_id: string | null
  converted_contact_id: string | null
  converted_opportunity_id: string | null
  created_at: ColumnType<Date, Date | undefined, never>
  updated_at: ColumnType<Date, Date | undefined, Date>
}
