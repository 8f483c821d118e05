import type { Kysely } from 'kysely'
import { randomUUID } from 'node:crypto'
import type { Database } from '../../db/database.ts'
import { invalidField, notFound, type FieldProblem } from '../../errors.ts'
import { invalidReferences } from '../../lib/references.ts'
import type { RequestContext } from '../../lib/context.ts'
import { recordAudit } from '../audit/audit.service.ts'
import { publishChange } from '../events/events.service.ts'
import * as repo from './touchpoints.repository.ts'
import type { PersonType } from './touchpoints.table.ts'

export interface Touchpoint {
  id: string
  personType: PersonType
  personId: string
  leadId: string | null
  contactId: string | null
  campaignId: string
  type: string
  occurredAt: string
  externalId: string | null
  metadata: Record<string, unknown> | null
  memberId: string | null
  createdAt: string
}

export const toTouchpoint = (row: repo.TouchpointRow): Touchpoint => ({
  id: row.id,
  personType: row.person_type,
  personId: (row.person_type === 'lead' ? row.lead_id : row.contact_id)!,
  leadId: row.lead_id,
  contactId: row.contact_id,
  campaignId: row.campaign_id,
  type: row.type,
  occurredAt: row.occurred_at.toISOString(),
  externalId: row.external_id,
  metadata: row.metadata,
  memberId: row.member_id,
  createdAt: row.created_at.toISOString(),
})

export interface NewTouchpoint {
  personType: PersonType
  personId: string
  campaignId: string
  type: string
  occurredAt: string
  externalId?: string
  metadata?: Record<string, unknown>
  /** Set by campaign membership, never by integrators. */
  memberId?: string
}

// A clock a little ahead is tolerated; a touch days in the future is a mistake in the input.
const FUTURE_TOLERANCE_MS = 24 * 3600_000

/**
 * Checks every touch against the records it names and resolves its person: a touch of a lead
 * that was converted is stored as its contact's, keeping the lead. Any problem fails them all.
 */
async function resolveTouches(db: Kysely<Database>, touches: readonly NewTouchpoint[], fieldOf: (index: number, field: string) => string) {
  const problems: FieldProblem[] = []
  const now = Date.now()
  touches.forEach((t, i) => {
    if (Date.parse(t.occurredAt) > now + FUTURE_TOLERANCE_MS) problems.push({ field: fieldOf(i, 'occurredAt'), message: 'is more than a day in the future' })
  })
  const existing = await repo.findExisting(db, {
    leads: touches.filter((t) => t.personType === 'lead').map((t) => t.personId),
    contacts: touches.filter((t) => t.personType === 'contact').map((t) => t.personId),
    campaigns: touches.map((t) => t.campaignId),
  })
  const leads = new Map(existing.filter((r) => r.kind === 'lead').map((r) => [r.id, r.converted_contact_id]))
  const contacts = new Set(existing.filter((r) => r.kind === 'contact').map((r) => r.id))
  const campaigns = new Set(existing.filter((r) => r.kind === 'campaign').map((r) => r.id))
  const resolved = touches.map((t, i): repo.TouchpointInsert => {
    if (!campaigns.has(t.campaignId)) problems.push({ field: fieldOf(i, 'campaignId'), message: `no campaign has id ${t.campaignId}` })
    const known = t.personType === 'lead' ? leads.has(t.personId) : contacts.has(t.personId)
    if (!known) problems.push({ field: fieldOf(i, 'personId'), message: `no ${t.personType} has id ${t.personId}` })
    const convertedTo = t.personType === 'lead' ? leads.get(t.personId) ?? null : null
    return {
      id: randomUUID(),
      personType: convertedTo ? 'contact' : t.personType,
      leadId: t.personType === 'lead' ? t.personId : null,
      contactId: t.personType === 'contact' ? t.personId : convertedTo,
      campaignId: t.campaignId,
      type: t.type,
      occurredAt: t.occurredAt,
      externalId: t.externalId ?? null,
      metadata: t.metadata === undefined ? null : JSON.stringify(t.metadata),
      memberId: t.memberId ?? null,
    }
  })
  if (problems.length > 0) throw invalidReferences(problems)
  return resolved
}

/** Stores resolved touches in the caller's transaction; returns each input's stored id and whether it is new. */
async function storeTouches(trx: Kysely<Database>, touches: readonly repo.TouchpointInsert[]) {
  const rows = await repo.insertTouchpoints(trx, touches)
  const lost = rows.filter((r) => r.id === null).map((r) => r.external_id!)
  // Stored by a concurrent request after this statement's snapshot was taken.
  const late = await repo.findIdsByExternalId(trx, lost)
  return rows.map((r) => ({ id: r.id ?? late.get(r.external_id!)!, created: r.created }))
}

/**
 * Records touches inside the caller's transaction (campaign membership calls this); touches
 * with an externalId already stored are left alone. Returns the new touches' campaigns.
 */
export async function recordTouchpointsInTransaction(
  trx: Kysely<Database>,
  touches: readonly NewTouchpoint[],
  fieldOf: (index: number, field: string) => string = (i, field) => `touchpoints[${i}].${field}`,
) {
  const resolved = await resolveTouches(trx, touches, fieldOf)
  const stored = await storeTouches(trx, resolved)
  const createdIds = stored.filter((s) => s.created).map((s) => s.id)
  if (createdIds.length > 0) {
    await publishChange(trx, {
      entity: 'touchpoint',
      id: createdIds.length === 1 ? createdIds[0]! : null,
      action: 'create',
      campaignIds: resolved.filter((_, i) => stored[i]!.created).map((t) => t.campaignId),
    })
  }
  return stored
}

export async function createTouchpoint(db: Kysely<Database>, ctx: RequestContext, input: NewTouchpoint): Promise<{ touchpoint: Touchpoint; created: boolean }> {
  return db.transaction().execute(async (trx) => {
    const [stored] = await recordTouchpointsInTransaction(trx, [input], (_, field) => field)
    const touchpoint = toTouchpoint((await repo.findTouchpointById(trx, stored!.id))!)
    if (stored!.created) await recordAudit(trx, ctx, { entity: 'touchpoint', entityId: touchpoint.id, action: 'create', after: touchpoint })
    return { touchpoint, created: stored!.created }
  })
}

/** Up to 10,000 touches, all or nothing, idempotent by externalId. */
export async function createTouchpointBatch(db: Kysely<Database>, ctx: RequestContext, touches: readonly NewTouchpoint[]) {
  return db.transaction().execute(async (trx) => {
    const stored = await recordTouchpointsInTransaction(trx, touches)
    const created = stored.filter((s) => s.created).length
    if (created > 0) {
      // One entry for the batch: its touches are listed by GET /touchpoints, not copied into the log.
      await recordAudit(trx, ctx, {
        entity: 'touchpoint', entityId: stored.find((s) => s.created)!.id, action: 'batch_create',
        changes: { created: { before: null, after: created }, existing: { before: null, after: stored.length - created } },
      })
    }
    return { created, existing: stored.length - created, ids: stored.map((s) => s.id) }
  })
}

export async function getTouchpoint(db: Kysely<Database>, id: string): Promise<Touchpoint> {
  const row = await repo.findTouchpointById(db, id)
  if (!row) throw notFound('Touchpoint', id)
  return toTouchpoint(row)
}

export async function listTouchpoints(db: Kysely<Database>, filter: repo.TouchpointFilter) {
  if (filter.from && filter.to && filter.from > filter.to) throw invalidField('to', 'must not be before from')
  const { rows, total } = await repo.listTouchpoints(db, filter)
  return { items: rows.map(toTouchpoint), total, limit: filter.limit, offset: filter.offset }
}

export async function deleteTouchpoint(db: Kysely<Database>, ctx: RequestContext, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await repo.deleteTouchpoint(trx, id)
    if (!row) throw notFound('Touchpoint', id)
    await recordAudit(trx, ctx, { entity: 'touchpoint', entityId: id, action: 'delete', before: toTouchpoint(row) })
    await publishChange(trx, { entity: 'touchpoint', id, action: 'delete', campaignIds: [row.campaign_id] })
  })
}

/** Lead conversion: the lead's touches become the contact's, in the conversion's transaction. */
export async function carryLeadTouchpointsOver(trx: Kysely<Database>, leadId: string, contactId: string): Promise<void> {
  await repo.moveLeadTouchpoints(trx, leadId, contactId)
}
