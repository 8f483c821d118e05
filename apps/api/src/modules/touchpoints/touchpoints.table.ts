import type { ColumnType, Generated, JSONColumnType } from 'kysely'

export type PersonType = 'lead' | 'contact'

export interface TouchpointsTable {
  id: Generated<string>
  person_type: PersonType
  lead_id: string | null
  contact_id: string | null
  campaign_id: string
  type: string
  occurred_at: Date
  external_id: string | null
  metadata: JSONColumnType<Record<string, unknown> | null, string | null, string | null>
  member_id: string | null
  created_at: ColumnType<Date, Date | undefined, never>
}
