import { sql, type Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { PersonType } from './touchpoints.table.ts'

export type TouchpointRow = NonNullable<Awaited<ReturnType<typeof findTouchpointById>>>

export async function findTouchpointById(db: Kysely<Database>, id: string) {
  return db.selectFrom('touchpoints').selectAll().where('id', '=', id).executeTakeFirst()
}

export interface TouchpointFilter {
  personType?: PersonType
  personId?: string
  campaignId?: string
  from?: string
  to?: string
  limit: number
  offset: number
}

export async function listTouchpoints(db: Kysely<Database>, filter: TouchpointFilter) {
  let query = db.selectFrom('touchpoints')
  if (filter.personId) {
    const personId = filter.personId
    // A contact's touches include those of the lead it was converted from; a lead's stay its own.
    query = filter.personType === 'lead'
      ? query.where('lead_id', '=', personId)
      : filter.personType === 'contact'
        ? query.where('contact_id', '=', personId)
        : query.where((eb) => eb.or([eb('lead_id', '=', personId), eb('contact_id', '=', personId)]))
  } else if (filter.personType) {
    query = query.where('person_type', '=', filter.personType)
  }
  if (filter.campaignId) query = query.where('campaign_id', '=', filter.campaignId)
  if (filter.from) query = query.where('occurred_at', '>=', new Date(filter.from))
  if (filter.to) query = query.where('occurred_at', '<', new Date(filter.to))
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('occurred_at', 'desc').orderBy('id').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: count.total }
}

/** A touch as the insert takes it: the person is already resolved to lead and/or contact. */
export interface TouchpointInsert {
  /** Chosen by the caller, so that the rows inserted can be matched back to the input. */
  id: string
  personType: PersonType
  leadId: string | null
  contactId: string | null
  campaignId: string
  type: string
  occurredAt: string
  externalId: string | null
  metadata: string | null
  memberId: string | null
}

/**
 * Inserts touches in one statement; one whose externalId is already stored (or repeated earlier
 * in the same batch) is skipped. Returns the stored id of every input, in input order, and
 * whether this call created it.
 */
export async function insertTouchpoints(db: Kysely<Database>, touches: readonly TouchpointInsert[]) {
  const column = <K extends keyof TouchpointInsert>(key: K) => touches.map((t) => t[key])
  const { rows } = await sql<{ id: string | null; created: boolean; external_id: string | null }>`
    WITH input AS (
      SELECT * FROM unnest(
        ${column('id')}::uuid[], ${column('personType')}::text[], ${column('leadId')}::uuid[], ${column('contactId')}::uuid[],
        ${column('campaignId')}::uuid[], ${column('type')}::text[], ${column('occurredAt')}::timestamptz[],
        ${column('externalId')}::text[], ${column('metadata')}::jsonb[], ${column('memberId')}::uuid[]
      ) WITH ORDINALITY AS i (id, person_type, lead_id, contact_id, campaign_id, type, occurred_at, external_id, metadata, member_id, ord)
    ),
    inserted AS (
      INSERT INTO touchpoints (id, person_type, lead_id, contact_id, campaign_id, type, occurred_at, external_id, metadata, member_id)
      SELECT id, person_type, lead_id, contact_id, campaign_id, type, occurred_at, external_id, metadata, member_id
      FROM input ORDER BY ord
      ON CONFLICT (external_id) DO NOTHING
      RETURNING id, external_id
    )
    SELECT coalesce(n.id, stored.id, repeated.id) AS id, n.id IS NOT NULL AS created, i.external_id
    FROM input i
    LEFT JOIN inserted n ON n.id = i.id
    -- Skipped: stored before this statement, or inserted by it from an earlier input.
    LEFT JOIN touchpoints stored ON n.id IS NULL AND stored.external_id = i.external_id
    LEFT JOIN inserted repeated ON n.id IS NULL AND repeated.external_id = i.external_id
    ORDER BY i.ord`.execute(db)
  return rows
}

/** The stored ids of these external ids: for touches a concurrent batch stored first. */
export async function findIdsByExternalId(db: Kysely<Database>, externalIds: readonly string[]) {
  if (externalIds.length === 0) return new Map<string, string>()
  const rows = await db.selectFrom('touchpoints').select(['id', 'external_id']).where('external_id', 'in', [...externalIds]).execute()
  return new Map(rows.map((r) => [r.external_id!, r.id]))
}

/** Which of these ids exist, for each kind of record a touch refers to. */
export async function findExisting(db: Kysely<Database>, ids: { leads: string[]; contacts: string[]; campaigns: string[] }) {
  const { rows } = await sql<{ kind: 'lead' | 'contact' | 'campaign'; id: string; converted_contact_id: string | null }>`
    SELECT 'lead' AS kind, id, converted_contact_id FROM leads WHERE id = ANY(${ids.leads}::uuid[])
    UNION ALL SELECT 'contact', id, NULL FROM contacts WHERE id = ANY(${ids.contacts}::uuid[])
    UNION ALL SELECT 'campaign', id, NULL FROM campaigns WHERE id = ANY(${ids.campaigns}::uuid[])`.execute(db)
  return rows
}

export async function deleteTouchpoint(db: Kysely<Database>, id: string) {
  return db.deleteFrom('touchpoints').where('id', '=', id).returningAll().executeTakeFirst()
}

/** A converted lead's touches become its contact's, keeping lead_id so they still count for the lead. */
export async function moveLeadTouchpoints(db: Kysely<Database>, leadId: string, contactId: string): Promise<number> {
  const result = await db.updateTable('touchpoints')
    .set({ person_type: 'contact', contact_id: contactId })
    .where('lead_id', '=', leadId)
    .where('contact_id', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}
