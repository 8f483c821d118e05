import type { ColumnType, Generated } from 'kysely'
import type { Role } from '../../lib/permissions.ts'

export interface ApiTokensTable {
  id: Generated<string>
  name: string
  role: Role
  token_hash: string
  token_prefix: string
  created_by: string
  expires_at: Date | null
  last_used_at: Date | null
  revoked_at: Date | null
  created_at: ColumnType<Date, Date | undefined, never>
}
