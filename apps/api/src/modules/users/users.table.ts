import type { ColumnType, Generated } from 'kysely'
import type { Role } from '../../lib/permissions.ts'

export interface UsersTable {
  id: Generated<string>
  email: string
  name: string
  role: Role
  active: Generated<boolean>
  password_hash: string
  token_version: Generated<number>
  locale: Generated<'zh-CN' | 'en'>
  last_login_at: Date | null
  created_at: ColumnType<Date, Date | undefined, never>
  updated_at: ColumnType<Date, Date | undefined, Date>
}
