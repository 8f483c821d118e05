import type { ColumnType, Generated } from 'kysely'

export interface ContactsTable {
  id: Generated<string>
  account_id: string | null
  name: string
  email: string | null
  phone: string | null
  title: string | null
  owner_id: string | null
  created_at: ColumnType<Date, Date | undefined, never>
  updated_at: ColumnType<Date, Date | undefined, Date>
}
