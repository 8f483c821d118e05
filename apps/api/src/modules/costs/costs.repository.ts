import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { CampaignCostsTable, CostCategory } from './costs.table.ts'

export type CostRow = Selectable<CampaignCostsTable>

export interface CostFilter {
  campaignId: string
  from?: string
  to?: string
  category?: CostCategory
  limit: number
  offset: number
}

function filtered(db: Kysely<Database>, filter: Omit<CostFilter, 'limit' | 'offset'>) {
  let query = db.selectFrom('campaign_costs').where('campaign_id', '=', filter.campaignId)
  if (filter.from) query = query.where('spent_on', '>=', filter.from)
  if (filter.to) query = query.where('spent_on', '<=', filter.to)
  if (filter.category) query = query.where('category', '=', filter.category)
  return query
}

export async function listCosts(db: Kysely<Database>, filter: CostFilter) {
  const rows = await filtered(db, filter).selectAll()
    .orderBy('spent_on', 'desc').orderBy('created_at', 'desc').orderBy('id')
    .limit(filter.limit).offset(filter.offset).execute()
  const byCategory = await filtered(db, filter)
    .select(['category', sql<string>`sum(amount)::text`.as('amount'), sql<number>`count(*)`.as('entries')])
    .groupBy('category').orderBy(sql`sum(amount)`, 'desc').orderBy('category').execute()
  return { rows, byCategory }
}

export async function findCost(db: Kysely<Database>, campaignId: string, id: string): Promise<CostRow | undefined> {
  return db.selectFrom('campaign_costs').selectAll().where('id', '=', id).where('campaign_id', '=', campaignId).executeTakeFirst()
}

export async function lockCost(db: Kysely<Database>, campaignId: string, id: string): Promise<CostRow | undefined> {
  return db.selectFrom('campaign_costs').selectAll().where('id', '=', id).where('campaign_id', '=', campaignId).forUpdate().executeTakeFirst()
}

export async function insertCost(db: Kysely<Database>, values: Insertable<CampaignCostsTable>): Promise<CostRow> {
  return db.insertInto('campaign_costs').values(values).returningAll().executeTakeFirstOrThrow()
}

export async function updateCost(db: Kysely<Database>, id: string, values: Updateable<CampaignCostsTable>): Promise<CostRow> {
  return db.updateTable('campaign_costs').set({ ...values, updated_at: sql<Date>`now()` }).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
}

export async function deleteCost(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('campaign_costs').where('id', '=', id).execute()
}

/** Whether the campaign exists, locking it so that its actualCost moves by one write at a time. */
export async function lockCampaign(db: Kysely<Database>, campaignId: string): Promise<boolean> {
  const row = await db.selectFrom('campaigns').select('id').where('id', '=', campaignId).forUpdate().executeTakeFirst()
  return row !== undefined
}
