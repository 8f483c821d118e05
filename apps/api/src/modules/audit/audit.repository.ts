import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { AuditChanges } from './audit.table.ts'

export interface AuditEntry {
  actorUserId: string | null
  actorTokenId: string | null
  actorLabel: string
  entity: string
  entityId: string
  action: string
  changes: AuditChanges
  requestId: string | null
}

export async function insertAuditEntry(db: Kysely<Database>, entry: AuditEntry): Promise<void> {
  await auditInsertStatement(entry).execute(db)
}

/** The insert as a statement, for callers that run it together with other writes. */
export function auditInsertStatement(entry: AuditEntry): RawBuilder<unknown> {
  return sql`INSERT INTO audit_log (actor_user_id, actor_token_id, actor_label, entity, entity_id, action, changes, request_id)
    VALUES (${entry.actorUserId}, ${entry.actorTokenId}, ${entry.actorLabel}, ${entry.entity}, ${entry.entityId},
            ${entry.action}, ${JSON.stringify(entry.changes)}::jsonb, ${entry.requestId})`
}

export interface AuditFilter {
  entity?: string
  entityId?: string
  actorUserId?: string
  action?: string
  from?: string
  to?: string
  limit: number
  offset: number
}

export async function listAuditEntries(db: Kysely<Database>, filter: AuditFilter) {
  let query = db.selectFrom('audit_log')
  if (filter.entity) query = query.where('entity', '=', filter.entity)
  if (filter.entityId) query = query.where('entity_id', '=', filter.entityId)
  if (filter.actorUserId) query = query.where('actor_user_id', '=', filter.actorUserId)
  if (filter.action) query = query.where('action', '=', filter.action)
  if (filter.from) query = query.where('occurred_at', '>=', new Date(filter.from))
  if (filter.to) query = query.where('occurred_at', '<', new Date(filter.to))
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('id', 'desc').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: count.total }
}
