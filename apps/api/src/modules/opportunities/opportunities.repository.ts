import type { Insertable, Kysely, Updateable } from 'kysely'
import type { OpportunityStage } from '@yardstick/roi-core'
import type { Database } from '../../db/database.ts'
import type { OpportunitiesTable } from './opportunities.table.ts'

export type OpportunityRow = Awaited<ReturnType<typeof findOpportunityById>> & {}

export async function findOpportunityById(db: Kysely<Database>, id: string) {
  return db.selectFrom('opportunities').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Row lock for a write that reads the row first (win, lose, re-link). */
export async function lockOpportunity(db: Kysely<Database>, id: string) {
  return db.selectFrom('opportunities').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

export const OPPORTUNITY_SORT_COLUMNS = {
  name: 'name',
  amount: 'amount',
  stage: 'stage',
  probability: 'probability',
  expectedCloseDate: 'expected_close_date',
  closedAt: 'closed_at',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
} as const satisfies Record<string, keyof OpportunitiesTable>

export type OpportunitySortField = keyof typeof OPPORTUNITY_SORT_COLUMNS

export interface OpportunityFilter {
  q?: string
  stage?: OpportunityStage
  campaignId?: string
  accountId?: string
  ownerId?: string
  leadId?: string
  sort: { field: OpportunitySortField; direction: 'asc' | 'desc' }
  limit: number
  offset: number
}

export async function listOpportunities(db: Kysely<Database>, filter: OpportunityFilter) {
  let query = db.selectFrom('opportunities')
  if (filter.q) query = query.where('name', 'ilike', `%${filter.q.replace(/[\\%_]/g, '\\$&')}%`)
  if (filter.stage) query = query.where('stage', '=', filter.stage)
  if (filter.campaignId) query = query.where('campaign_id', '=', filter.campaignId)
  if (filter.accountId) query = query.where('account_id', '=', filter.accountId)
  if (filter.ownerId) query = query.where('owner_id', '=', filter.ownerId)
  if (filter.leadId) query = query.where('lead_id', '=', filter.leadId)
  const column = OPPORTUNITY_SORT_COLUMNS[filter.sort.field]
  const [rows, count] = await Promise.all([
    query.selectAll()
      .orderBy(column, filter.sort.direction)
      .orderBy('id')
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
