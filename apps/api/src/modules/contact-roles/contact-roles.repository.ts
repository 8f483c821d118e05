import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { ContactRole } from './contact-roles.table.ts'

export type ContactRoleRow = Awaited<ReturnType<typeof listContactRoles>>[number]

const selectWithContact = (db: Kysely<Database>) =>
  db.selectFrom('opportunity_contact_roles as r')
    .innerJoin('contacts as c', 'c.id', 'r.contact_id')
    .select(['r.opportunity_id', 'r.contact_id', 'r.role', 'r.is_primary', 'r.created_at', 'c.name', 'c.email', 'c.title', 'c.account_id'])

export async function listContactRoles(db: Kysely<Database>, opportunityId: string) {
  return selectWithContact(db).where('r.opportunity_id', '=', opportunityId)
    .orderBy('r.is_primary', 'desc').orderBy('r.created_at').orderBy('r.contact_id').execute()
}

export async function findContactRole(db: Kysely<Database>, opportunityId: string, contactId: string) {
  return selectWithContact(db).where('r.opportunity_id', '=', opportunityId).where('r.contact_id', '=', contactId).executeTakeFirst()
}

/** Inserts or changes the contact's role; the primary flag moves only when asked for. */
export async function upsertContactRole(db: Kysely<Database>, values: { opportunityId: string; contactId: string; role: ContactRole; isPrimary: boolean }) {
  await db.insertInto('opportunity_contact_roles')
    .values({ opportunity_id: values.opportunityId, contact_id: values.contactId, role: values.role, is_primary: values.isPrimary })
    .onConflict((oc) => oc.columns(['opportunity_id', 'contact_id']).doUpdateSet({ role: values.role, is_primary: values.isPrimary }))
    .execute()
}

/** Clears the primary flag of every other contact of the opportunity. */
export async function clearOtherPrimaries(db: Kysely<Database>, opportunityId: string, keepContactId: string | null) {
  let query = db.updateTable('opportunity_contact_roles').set({ is_primary: false })
    .where('opportunity_id', '=', opportunityId).where('is_primary', '=', true)
  if (keepContactId) query = query.where('contact_id', '<>', keepContactId)
  await query.execute()
}

/** Makes the contact primary, adding it with `role` when it has no role yet. */
export async function makePrimary(db: Kysely<Database>, opportunityId: string, contactId: string, role: ContactRole) {
  await db.insertInto('opportunity_contact_roles')
    .values({ opportunity_id: opportunityId, contact_id: contactId, role, is_primary: true })
    .onConflict((oc) => oc.columns(['opportunity_id', 'contact_id']).doUpdateSet({ is_primary: true }))
    .execute()
}

export async function deleteContactRole(db: Kysely<Database>, opportunityId: string, contactId: string) {
  return db.deleteFrom('opportunity_contact_roles')
    .where('opportunity_id', '=', opportunityId).where('contact_id', '=', contactId)
    .returningAll().executeTakeFirst()
}
