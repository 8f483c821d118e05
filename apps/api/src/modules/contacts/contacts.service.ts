import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import { notFound } from '../../errors.ts'
import type { RequestContext } from '../../lib/context.ts'
import { invalidReference, stillReferenced } from '../../lib/references.ts'
import { definedOnly, optionalText, requiredText } from '../../lib/text.ts'
import { assertAccountExists } from '../accounts/accounts.service.ts'
import { recordAudit } from '../audit/audit.service.ts'
import { publishChange } from '../events/events.service.ts'
import * as repo from './contacts.repository.ts'

type ContactRow = NonNullable<Awaited<ReturnType<typeof repo.findContactById>>>

export interface Contact {
  id: string
  accountId: string | null
  name: string
  email: string | null
  phone: string | null
  title: string | null
  ownerId: string | null
  createdAt: string
  updatedAt: string
}

export const toContact = (row: ContactRow): Contact => ({
  id: row.id,
  accountId: row.account_id,
  name: row.name,
  email: row.email,
  phone: row.phone,
  title: row.title,
  ownerId: row.owner_id,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
})

export interface ContactPatch {
  accountId?: string | null
  name?: string
  email?: string | null
  phone?: string | null
  title?: string | null
  ownerId?: string | null
}

export interface NewContact extends ContactPatch {
  name: string
}

export async function listContacts(db: Kysely<Database>, filter: repo.ContactFilter) {
  const { rows, total } = await repo.listContacts(db, filter)
  return { items: rows.map(toContact), total, limit: filter.limit, offset: filter.offset }
}

export async function getContact(db: Kysely<Database>, id: string): Promise<Contact & { opportunityCount: number }> {
  const row = await repo.findContactById(db, id)
  if (!row) throw notFound('Contact', id)
  const refs = await repo.countContactReferences(db, id)
  return { ...toContact(row), opportunityCount: refs.opportunities }
}

/** Fails with a 400 naming `field` when no contact has this id. */
export async function assertContactExists(db: Kysely<Database>, id: string, field = 'contactId'): Promise<Contact> {
  const row = await repo.findContactById(db, id)
  if (!row) throw invalidReference(field, `no contact has id ${id}`)
  return toContact(row)
}

export async function createContact(db: Kysely<Database>, ctx: RequestContext, input: NewContact): Promise<Contact> {
  return db.transaction().execute((trx) => createContactInTransaction(trx, ctx, input))
}

/** Creates a contact inside the caller's transaction (lead conversion uses this), with its audit entry. */
export async function createContactInTransaction(trx: Kysely<Database>, ctx: RequestContext, input: NewContact): Promise<Contact> {
  const name = requiredText('name', input.name)
  if (input.accountId) await assertAccountExists(trx, input.accountId)
  const row = await repo.insertContact(trx, {
    name,
    account_id: input.accountId ?? null,
    email: optionalText(input.email) ?? null,
    phone: optionalText(input.phone) ?? null,
    title: optionalText(input.title) ?? null,
    owner_id: input.ownerId === undefined ? ctx.actor.userId : input.ownerId,
  })
  const created = toContact(row)
  await recordAudit(trx, ctx, { entity: 'contact', entityId: row.id, action: 'create', after: created })
  await publishChange(trx, { entity: 'contact', id: row.id, action: 'create', campaignIds: [] })
  return created
}

export async function updateContact(db: Kysely<Database>, ctx: RequestContext, id: string, patch: ContactPatch): Promise<Contact> {
  return db.transaction().execute(async (trx) => {
    const before = await repo.lockContact(trx, id)
    if (!before) throw notFound('Contact', id)
    const name = patch.name === undefined ? undefined : requiredText('name', patch.name)
    if (patch.accountId) await assertAccountExists(trx, patch.accountId)
    const row = await repo.updateContact(trx, id, definedOnly({
      name,
      account_id: patch.accountId,
      email: optionalText(patch.email),
      phone: optionalText(patch.phone),
      title: optionalText(patch.title),
      owner_id: patch.ownerId,
    }))
    const updated = toContact(row)
    await recordAudit(trx, ctx, { entity: 'contact', entityId: id, action: 'update', before: toContact(before), after: updated })
    await publishChange(trx, { entity: 'contact', id, action: 'update', campaignIds: [] })
    return updated
  })
}

/** Deletes a contact that nothing points at any more; otherwise a 409 saying what still does. */
export async function deleteContact(db: Kysely<Database>, ctx: RequestContext, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await repo.lockContact(trx, id)
    if (!before) throw notFound('Contact', id)
    const refs = await repo.countContactReferences(trx, id)
    const conflict = stillReferenced('contact', { 'converted leads': refs.leads, opportunities: refs.opportunities })
    if (conflict) throw conflict
    await repo.deleteContact(trx, id)
    await recordAudit(trx, ctx, { entity: 'contact', entityId: id, action: 'delete', before: toContact(before) })
    await publishChange(trx, { entity: 'contact', id, action: 'delete', campaignIds: [] })
  })
}
