import { sql, type Insertable, type Kysely, type Updateable } from 'kysely'
import type { Database } from '../../db/database.ts'
import { containsPattern } from '../../lib/list-query.ts'
import type { AccountsTable } from './accounts.table.ts'

export const ACCOUNT_SORTS = ['name', 'industry', 'size', 'region', 'createdAt', 'updatedAt'] as const
export type AccountSort = (typeof ACCOUNT_SORTS)[number]

const SORT_COLUMNS = {
  name: 'name', industry: 'industry', size: 'size', region: 'region', createdAt: 'created_at', updatedAt: 'updated_at',
} as const satisfies Record<AccountSort, keyof AccountsTable>

export interface AccountFilter {
  q?: string
  industry?: string
  size?: string
  region?: string
  ownerId?: string
  sort?: AccountSort
  order: 'asc' | 'desc'
  limit: number
  offset: number
}

export async function findAccountById(db: Kysely<Database>, id: string) {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function lockAccount(db: Kysely<Database>, id: string) {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function listAccounts(db: Kysely<Database>, filter: AccountFilter) {
  let query = db.selectFrom('accounts')
  if (filter.q) query = query.where('name', 'ilike', containsPattern(filter.q))
  if (filter.industry) query = query.where('industry', '=', filter.industry)
  if (filter.size) query = query.where('size', '=', filter.size)
  if (filter.region) query = query.where('region', '=', filter.region)
  if (filter.ownerId) query = query.where('owner_id', '=', filter.ownerId)
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

export async function insertAccount(db: Kysely<Database>, values: Insertable<AccountsTable>) {
  return db.insertInto('accounts').values(values).returningAll().executeTakeFirstOrThrow()
}

export async function updateAccount(db: Kysely<Database>, id: string, patch: Updateable<AccountsTable>) {
  return db.updateTable('accounts').set({ ...patch, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
}

export async function deleteAccount(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('accounts').where('id', '=', id).execute()
}

export interface AccountReferences {
  contacts: number
  leads: number
  opportunities: number
  orders: number
}

/** What still points at an account; its foreign keys set null on delete, so a delete checks this first. */
export async function countAccountReferences(db: Kysely<Database>, id: string): Promise<AccountReferences> {
  const { rows } = await sql<AccountReferences>`
    SELECT (SELECT count(*) FROM contacts WHERE account_id = ${id})::int AS contacts,
           (SELECT count(*) FROM leads WHERE converted_account_id = ${id})::int AS leads,
           (SELECT count(*) FROM opportunities WHERE account_id = ${id})::int AS opportunities,
           (SELECT count(*) FROM orders WHERE account_id = ${id})::int AS orders`.execute(db)
  return rows[0]!
}
