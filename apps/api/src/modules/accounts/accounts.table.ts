import type { ColumnType, Generated } from 'kysely'

export interface AccountsTable {
  id: Generated<string>
  name: string
  industry: string | null
  size: string | null
  region: string | null
  website: string | null
  phone: string | null
  address: string | null
  owner_id: string | null
  created_at: ColumnType<Date, Date | undefined, never>
  updated_at: ColumnType<Date, Date | undefined, Date>
}
