import type { Insertable, Kysely, Updateable } from 'kysely'
import type { OpportunityStage } from '@yardstick/roi-core'
import type { Database } from '../../db/database.ts'
import { containsPattern } from '../../lib/list-query.ts'
import type { OpportunitiesTable } from './opportunities.table.ts'

export type OpportunityRow = Awaited<ReturnType<typeof findOpportunityById>> & {}

export async function findOpportunityById(db: Kysely<Database>, id: string) {
  return db.selectFrom('opportunities').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Row lock for a write that reads the row first (win, lose, re-link). */
export async function lockOpportunity(db: Kysely<Database>, id: string) {
  return db.selectFrom('opportunities').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

/** Share lock for an order being entered against the opportunity: its campaign cannot move meanwhile. */
export async function shareLockOpportunity(db: Kysely<Database>, id: string) {
  return db.selectFrom('opportunities').selectAll().where('id', '=', id).forShare().executeTakeFirst()
}

export const OPPORTUNITY_SORTS = ['name', 'amount', 'stage', 'probability', 'expectedCloseDate', 'closedAt', 'createdAt', 'updatedAt'] as const
export type OpportunitySort = (typeof OPPORTUNITY_SORTS)[number]

const SORT_COLUMNS = {
  name: 'name', amount: 'amount', stage: 'stage', probability: 'probability', expectedCloseDate: 'expected_close_date',
  closedAt: 'closed_at', createdAt: 'created_at', updatedAt: 'updated_at',
} as const satisfies Record<OpportunitySort, keyof OpportunitiesTable>

export interface OpportunityFilter {
  q?: string
  stage?: OpportunityStage
  campaignId?: string
  accountId?: string
  contactId?: string
  leadId?: string
  ownerId?: string
  sort?: OpportunitySort
  order: 'asc' | 'desc'
  limit: number
  offset: number
}

export async function listOpportunities(db: Kysely<Database>, filter: OpportunityFilter) {
  let query = db.selectFrom('opportunities')
  if (filter.q) query = query.where('name', 'ilike', containsPattern(filter.q))
  if (filter.stage) query = query.where('stage', '=', filter.stage)
  if (filter.campaignId) query = query.where('campaign_id', '=', filter.campaignId)
  if (filter.accountId) query = query.where('account_id', '=', filter.accountId)
  if (filter.contactId) query = query.where('contact_id', '=', filter.contactId)
  if (filter.leadId) query = query.where('lead_id', '=', filter.leadId)
  if (filter.ownerId) query = query.where('owner_id', '=', filter.ownerId)
  const column = SORT_COLUMNS[filter.sort ?? 'createdAt']
  const [rows, count] = await Promise.all([
    query.selectAll()
      .orderBy(column, (ob) => (filter.order === 'asc' ? ob.asc() : ob.desc()).nullsLast())
      .orderBy('id', filter.order)
      .limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: count.total }
}

export async function insertOpportunity(db: Kysely<Database>, values: Insertable<OpportunitiesTable>) {
  return db.insertInto('opportunities').values(values).returningAll().executeTakeFirstOrThrow()
}

export async function updateOpportunity(db: Kysely<Database>, id: string, patch: Updateable<OpportunitiesTable>) {
  return db
    .updateTable('opportunities')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function deleteOpportunity(db: Kysely<Database>, id: string) {
  return db.deleteFrom('opportunities').where('id', '=', id).returningAll().executeTakeFirst()
}
