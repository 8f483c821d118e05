import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import { notFound } from '../../errors.ts'
import type { RequestContext } from '../../lib/context.ts'
import { recordAudit } from '../audit/audit.service.ts'
import { assertContactExists } from '../contacts/contacts.service.ts'
import { publishChange } from '../events/events.service.ts'
import { lockOpportunityForContacts, setOpportunityContact } from '../opportunities/opportunities.service.ts'
import * as repo from './contact-roles.repository.ts'
import type { ContactRole } from './contact-roles.table.ts'

export interface ContactRoleView {
  opportunityId: string
  contactId: string
  role: ContactRole
  isPrimary: boolean
  createdAt: string
  contact: { name: string; email: string | null; title: string | null; accountId: string | null }
}

const toContactRole = (row: repo.ContactRoleRow): ContactRoleView => ({
  opportunityId: row.opportunity_id,
  contactId: row.contact_id,
  role: row.role,
  isPrimary: row.is_primary,
  createdAt: row.created_at.toISOString(),
  contact: { name: row.name, email: row.email, title: row.title, accountId: row.account_id },
})

/** The role a contact gets when it becomes primary without one: the opportunity's contact field, a lead conversion. */
const DEFAULT_PRIMARY_ROLE: ContactRole = 'other'

export async function listContactRoles(db: Kysely<Database>, opportunityId: string): Promise<ContactRoleView[]> {
  return db.transaction().setAccessMode('read only').execute(async (trx) => {
    const opportunity = await trx.selectFrom('opportunities').select('id').where('id', '=', opportunityId).executeTakeFirst()
    if (!opportunity) throw notFound('Opportunity', opportunityId)
    return (await repo.listContactRoles(trx, opportunityId)).map(toContactRole)
  })
}

/**
 * Keeps the primary contact role and the opportunity's `contactId` the same person, in the
 * caller's transaction: the opportunities service calls this when `contactId` is written.
 */
export async function syncPrimaryContactRole(trx: Kysely<Database>, opportunityId: string, contactId: string | null): Promise<void> {
  await repo.clearOtherPrimaries(trx, opportunityId, contactId)
  if (contactId) await repo.makePrimary(trx, opportunityId, contactId, DEFAULT_PRIMARY_ROLE)
}

export interface ContactRoleInput {
  contactId: string
  role: ContactRole
  isPrimary?: boolean
}

/** Adds the contact to the opportunity or changes its role; 201 when added, 200 when changed. */
export async function putContactRole(
  db: Kysely<Database>, ctx: RequestContext, opportunityId: string, input: ContactRoleInput,
): Promise<{ contactRole: ContactRoleView; created: boolean }> {
  return db.transaction().execute(async (trx) => {
    const opportunity = await lockOpportunityForContacts(trx, opportunityId)
    await assertContactExists(trx, input.contactId)
    const before = await repo.findContactRole(trx, opportunityId, input.contactId)
    const isPrimary = input.isPrimary ?? before?.is_primary ?? false
    if (isPrimary) await repo.clearOtherPrimaries(trx, opportunityId, input.contactId)
    await repo.upsertContactRole(trx, { opportunityId, contactId: input.contactId, role: input.role, isPrimary })
    const primaryContactId = isPrimary ? input.contactId : before?.is_primary ? null : opportunity.contactId
    if (primaryContactId !== opportunity.contactId) await setOpportunityContact(trx, opportunityId, primaryContactId)
    const after = toContactRole((await repo.findContactRole(trx, opportunityId, input.contactId))!)
    await recordAudit(trx, ctx, {
      entity: 'opportunity_contact_role', entityId: opportunityId, action: before ? 'update' : 'create',
      before: before ? toContactRole(before) : null, after,
    })
    await publishChange(trx, { entity: 'opportunity', id: opportunityId, action: 'update', campaignIds: [opportunity.campaignId] })
    return { contactRole: after, created: !before }
  })
}

export async function deleteContactRole(db: Kysely<Database>, ctx: RequestContext, opportunityId: string, contactId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const opportunity = await lockOpportunityForContacts(trx, opportunityId)
    const before = await repo.findContactRole(trx, opportunityId, contactId)
    if (!before) throw notFound('Contact role of contact', contactId)
    await repo.deleteContactRole(trx, opportunityId, contactId)
    if (before.is_primary) await setOpportunityContact(trx, opportunityId, null)
    await recordAudit(trx, ctx, { entity: 'opportunity_contact_role', entityId: opportunityId, action: 'delete', before: toContactRole(before) })
    await publishChange(trx, { entity: 'opportunity', id: opportunityId, action: 'update', campaignIds: [opportunity.campaignId] })
  })
}
