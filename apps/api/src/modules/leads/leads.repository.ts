import type { LeadStatus } from '@yardstick/roi-core'
import { sql, type Insertable, type Kysely, type Updateable } from 'kysely'
import type { Database } from '../../db/database.ts'
import { containsPattern } from '../../lib/list-query.ts'
import type { LeadsTable } from './leads.table.ts'

export const LEAD_SORTS = ['name', 'company', 'status', 'industry', 'region', 'createdAt', 'updatedAt'] as const
export type LeadSort = (typeof LEAD_SORTS)[number]

const SORT_COLUMNS = {
  name: 'name', company: 'company', status: 'status', industry: 'industry', region: 'region', createdAt: 'created_at', updatedAt: 'updated_at',
} as const satisfies Record<LeadSort, keyof LeadsTable>

export interface LeadFilter {
  q?: string
  status?: LeadStatus
  campaignId?: string
  ownerId?: string
  industry?: string
  region?: string
  sort?: LeadSort
  order: 'asc' | 'desc'
  limit: number
  offset: number
}

export type LeadRow = NonNullable<Awaited<ReturnType<typeof findLeadById>>>

export async function findLeadById(db: Kysely<Database>, id: string) {
  return db.selectFrom('leads').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function lockLead(db: Kysely<Database>, id: string) {
  return db.selectFrom('leads').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

/** Locks the leads in id order, so that two bulk writes over overlapping leads cannot deadlock. */
export async function lockLeads(db: Kysely<Database>, ids: readonly string[]) {
  return db.selectFrom('leads').selectAll().where('id', 'in', [...ids]).orderBy('id').forUpdate().execute()
}

export async function listLeads(db: Kysely<Database>, filter: LeadFilter) {
  let query = db.selectFrom('leads')
  if (filter.q) {
    const pattern = containsPattern(filter.q)
    query = query.where((eb) => eb.or([eb('name', 'ilike', pattern), eb('company', 'ilike', pattern), eb('email', 'ilike', pattern)]))
  }
  if (filter.status) query = query.where('status', '=', filter.status)
  if (filter.campaignId) query = query.where('campaign_id', '=', filter.campaignId)
  if (filter.ownerId) query = query.where('owner_id', '=', filter.ownerId)
  if (filter.industry) query = query.where('industry', '=', filter.industry)
  if (filter.region) query = query.where('region', '=', filter.region)
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

export async function insertLead(db: Kysely<Database>, values: Insertable<LeadsTable>) {
  return db.insertInto('leads').values(values).returningAll().executeTakeFirstOrThrow()
}

export async function updateLead(db: Kysely<Database>, id: string, patch: Updateable<LeadsTable>) {
  return db.updateTable('leads').set({ ...patch, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
}

export async function updateLeadOwners(db: Kysely<Database>, ids: readonly string[], ownerId: string | null) {
  return db.updateTable('leads').set({ owner_id: ownerId, updated_at: new Date() }).where('id', 'in', [...ids]).returningAll().execute()
}

export async function deleteLead(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('leads').where('id', '=', id).execute()
}

/** Opportunities that name this lead as their origin; its foreign key sets null on delete, so a delete checks this first. */
export async function countLeadOpportunities(db: Kysely<Database>, id: string): Promise<number> {
  const row = await db.selectFrom('opportunities').select((eb) => eb.fn.countAll<number>().as('n')).where('lead_id', '=', id).executeTakeFirstOrThrow()
  return row.n
}
