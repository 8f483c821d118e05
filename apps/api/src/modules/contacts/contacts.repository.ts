import { sql, type Insertable, type Kysely, type Updateable } from 'kysely'
import type { Database } from '../../db/database.ts'
import { containsPattern } from '../../lib/list-query.ts'
import type { ContactsTable } from './contacts.table.ts'

export const CONTACT_SORTS = ['name', 'email', 'title', 'createdAt', 'updatedAt'] as const
export type ContactSort = (typeof CONTACT_SORTS)[number]

const SORT_COLUMNS = {
  name: 'name', email: 'email', title: 'title', createdAt: 'created_at', updatedAt: 'updated_at',
} as const satisfies Record<ContactSort, keyof ContactsTable>

export interface ContactFilter {
  q?: string
  accountId?: string
  ownerId?: string
  email?: string
  sort?: ContactSort
  order: 'asc' | 'desc'
  limit: number
  offset: number
}

export async function findContactById(db: Kysely<Database>, id: string) {
  return db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function lockContact(db: Kysely<Database>, id: string) {
  return db.selectFrom('contacts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function listContacts(db: Kysely<Database>, filter: ContactFilter) {
  let query = db.selectFrom('contacts')
  if (filter.q) {
    const pattern = containsPattern(filter.q)
    query = query.where((eb) => eb.or([eb('name', 'ilike', pattern), eb('email', 'ilike', pattern)]))
  }
  if (filter.accountId) query = query.where('account_id', '=', filter.accountId)
  if (filter.ownerId) query = query.where('owner_id', '=', filter.ownerId)
  if (filter.email) query = query.where(sql`lower(email)`, '=', filter.email.toLowerCase())
  const sort = filter.sort ?? 'createdAt'
  // Text sorts ignore case, as people read a list.
  const column = sort === 'createdAt' || sort === 'updatedAt' ? sql.ref(SORT_COLUMNS[sort]) : sql`lower(${sql.ref(SORT_COLUMNS[sort])})`
  const [rows, count] = await Promise.all([
    query.selectAll()
      .orderBy(column, (ob) => (filter.order === 'asc' ? ob.asc() : ob.desc()).nullsLast())
      .orderBy('id', filter.order)
      .limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: count.total }
}

export async function insertContact(db: Kysely<Database>, values: Insertable<ContactsTable>) {
  return db.insertInto('contacts').values(values).returningAll().executeTakeFirstOrThrow()
}

export async function updateContact(db: Kysely<Database>, id: string, patch: Updateable<ContactsTable>) {
  return db.updateTable('contacts').set({ ...patch, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
}

export async function deleteContact(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('contacts').where('id', '=', id).execute()
}

export interface ContactReferences {
  leads: number
  opportunities: number
}

/** What still points at a contact; its foreign keys set null on delete, so a delete checks this first. */
export async function countContactReferences(db: Kysely<Database>, id: string): Promise<ContactReferences> {
  const { rows } = await sql<ContactReferences>`
    SELECT (SELECT count(*) FROM leads WHERE converted_contact_id = ${id})::int AS leads,
           (SELECT count(*) FROM opportunities WHERE contact_id = ${id})::int AS opportunities`.execute(db)
  return rows[0]!
}
