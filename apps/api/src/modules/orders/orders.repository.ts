import type { Insertable, Kysely, Updateable } from 'kysely'
import type { OrderStatus } from '@yardstick/roi-core'
import type { Database } from '../../db/database.ts'
import { containsPattern } from '../../lib/list-query.ts'
import type { OrdersTable } from './orders.table.ts'

export type OrderRow = Awaited<ReturnType<typeof findOrderById>> & {}

export const ORDER_SORTS = ['number', 'amount', 'orderDate', 'status', 'createdAt', 'updatedAt'] as const
export type OrderSort = (typeof ORDER_SORTS)[number]

const SORT_COLUMNS = {
  number: 'number', amount: 'amount', orderDate: 'order_date', status: 'status', createdAt: 'created_at', updatedAt: 'updated_at',
} as const satisfies Record<OrderSort, keyof OrdersTable>

export interface OrderFilter {
  q?: string
  status?: OrderStatus
  campaignId?: string
  accountId?: string
  opportunityId?: string
  ownerId?: string
  orderDateFrom?: string
  orderDateTo?: string
  sort?: OrderSort
  order: 'asc' | 'desc'
  limit: number
  offset: number
}

export async function findOrderById(db: Kysely<Database>, id: string) {
  return db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Every write that changes revenue reads the order through this lock, so its before-state is the truth. */
export async function lockOrder(db: Kysely<Database>, id: string) {
  return db.selectFrom('orders').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

/** The orders of an opportunity, locked in id order (a stable lock order for concurrent writers). */
export async function lockOrdersOfOpportunity(db: Kysely<Database>, opportunityId: string) {
  return db.selectFrom('orders').selectAll().where('opportunity_id', '=', opportunityId).orderBy('id').forUpdate().execute()
}

export async function listOrders(db: Kysely<Database>, filter: OrderFilter) {
  let query = db.selectFrom('orders')
  if (filter.q) query = query.where('number', 'ilike', containsPattern(filter.q))
  if (filter.status) query = query.where('status', '=', filter.status)
  if (filter.campaignId) query = query.where('campaign_id', '=', filter.campaignId)
  if (filter.accountId) query = query.where('account_id', '=', filter.accountId)
  if (filter.opportunityId) query = query.where('opportunity_id', '=', filter.opportunityId)
  if (filter.ownerId) query = query.where('owner_id', '=', filter.ownerId)
  if (filter.orderDateFrom) query = query.where('order_date', '>=', filter.orderDateFrom)
  if (filter.orderDateTo) query = query.where('order_date', '<=', filter.orderDateTo)
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

export async function insertOrder(db: Kysely<Database>, values: Insertable<OrdersTable>) {
  return db.insertInto('orders').values(values).returningAll().executeTakeFirstOrThrow()
}

export async function updateOrder(db: Kysely<Database>, id: string, patch: Updateable<OrdersTable>) {
  return db.updateTable('orders').set({ ...patch, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
}

export async function setCampaignOfOpportunityOrders(db: Kysely<Database>, opportunityId: string, campaignId: string | null) {
  return db
    .updateTable('orders')
    .set({ campaign_id: campaignId, updated_at: new Date() })
    .where('opportunity_id', '=', opportunityId)
    .returningAll()
    .execute()
}

export async function deleteOrder(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('orders').where('id', '=', id).execute()
}
