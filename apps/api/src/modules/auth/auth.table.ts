import type { ColumnType, Generated } from 'kysely'

export interface RefreshTokensTable {
  id: Generated<string>
  user_id: string
  token_hash: string
  family_id: string
  expires_at: Date
  used_at: Date | null
  revoked_at: Date | null
  created_at: ColumnType<Date, Date | undefined, never>
}

export interface LoginThrottleTable {
  email: string
  failures: number
  window_started_at: Date
  locked_until: Date | null
}
