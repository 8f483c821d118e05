import type { Kysely, RawBuilder } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { RequestContext } from '../../lib/context.ts'
import { auditInsertStatement, listAuditEntries, type AuditFilter } from './audit.repository.ts'
import type { AuditChanges } from './audit.table.ts'

// Secrets never reach the audit log, not even hashed.
const REDACTED_FIELDS = new Set(['password', 'passwordHash', 'password_hash', 'tokenHash', 'token_hash', 'token'])

/**
 * The fields that differ between two snapshots of a record, as {before, after}.
 * A create has no before; a delete has no after.
 */
export function diffRecords(before: object | null, after: object | null): AuditChanges {
  const b = (before ?? {}) as Record<string, unknown>
  const a = (after ?? {}) as Record<string, unknown>
  const changes: AuditChanges = {}
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (key === 'updatedAt' || key === 'updated_at') continue
    const was = normalise(b[key])
    const now = normalise(a[key])
    if (JSON.stringify(was) === JSON.stringify(now)) continue
    changes[key] = REDACTED_FIELDS.has(key)
      ? { before: was === undefined ? null : '[redacted]', after: now === undefined ? null : '[redacted]' }
      : { before: was ?? null, after: now ?? null }
  }
  return changes
}

function normalise(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value
}

export interface AuditRecord {
  entity: string
  entityId: string
  action: string
  before?: object | null
  after?: object | null
  changes?: AuditChanges
}

/** Call inside the transaction of the write it describes, so both land or neither does. */
export async function recordAudit(trx: Kysely<Database>, ctx: RequestContext, record: AuditRecord): Promise<void> {
  await auditStatement(ctx, record).execute(trx)
}

/** recordAudit as a statement, for a hot path that runs it together with its other writes. */
export function auditStatement(ctx: RequestContext, record: AuditRecord): RawBuilder<unknown> {
  return auditInsertStatement({
    actorUserId: ctx.actor.userId,
    actorTokenId: ctx.actor.tokenId,
    actorLabel: ctx.actor.label,
    entity: record.entity,
    entityId: record.entityId,
    action: record.action,
    changes: record.changes ?? diffRecords(record.before ?? null, record.after ?? null),
    requestId: ctx.requestId,
  })
}

export async function listAudit(db: Kysely<Database>, filter: AuditFilter) {
  const { rows, total } = await listAuditEntries(db, filter)
  return {
    items: rows.map((r) => ({
      id: r.id,
      occurredAt: r.occurred_at.toISOString(),
      actorUserId: r.actor_user_id,
      actorTokenId: r.actor_token_id,
      actorLabel: r.actor_label,
      entity: r.entity,
      entityId: r.entity_id,
      action: r.action,
      changes: r.changes,
      requestId: r.request_id,
    })),
    total,
    limit: filter.limit,
    offset: filter.offset,
  }
}
