import type { ColumnType, Generated } from 'kysely'

export type AuditChanges = Record<string, { before: unknown; after: unknown }>

export interface AuditLogTable {
  id: Generated<number>
  occurred_at: ColumnType<Date, Date | undefined, never>
  actor_user_id: string | null
  actor_token_id: string | null
  actor_label: string
  entity: string
  entity_id: string
  action: string
  changes: ColumnType<AuditChanges, string, never>
  request_id: string | null
}
