import {
  formatMoney, orderRollupDeltas, parseMoney,
  type CampaignDelta, type OrderRollupState, type OrderStatus,
} from '@yardstick/roi-core'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import { runAsOneStatement } from '../../db/one-statement.ts'
import { invalidField, invalidState, notFound } from '../../errors.ts'
import type { RequestContext } from '../../lib/context.ts'
import { invalidReference } from '../../lib/references.ts'
import { requiredText } from '../../lib/text.ts'
import { auditStatement, recordAudit } from '../audit/audit.service.ts'
import { changeStatement, publishChange } from '../events/events.service.ts'
import { opportunitySourceForOrder } from '../opportunities/opportunities.service.ts'
import { applyCampaignDeltas, campaignDeltasStatement } from '../rollups/rollups.service.ts'
import * as repo from './orders.repository.ts'

export interface Order {
  id: string
  number: string
  accountId: string | null
  opportunityId: string | null
  campaignId: string | null
  amount: string
  orderDate: string
  status: OrderStatus
  cancelledAt: string | null
  ownerId: string | null
  createdAt: string
  updatedAt: string
}

export const toOrder = (row: repo.OrderRow): Order => ({
  id: row.id,
  number: row.number,
  accountId: row.account_id,
  opportunityId: row.opportunity_id,
  campaignId: row.campaign_id,
  amount: row.amount,
  orderDate: row.order_date,
  status: row.status,
  cancelledAt: row.cancelled_at?.toISOString() ?? null,
  ownerId: row.owner_id,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
})

const rollupState = (row: repo.OrderRow): OrderRollupState => ({
  campaignId: row.campaign_id,
  amountCents: parseMoney(row.amount),
  status: row.status,
})

export async function getOrder(db: Kysely<Database>, id: string): Promise<Order> {
  const row = await repo.findOrderById(db, id)
  if (!row) throw notFound('Order', id)
  return toOrder(row)
}

export async function listOrders(db: Kysely<Database>, filter: repo.OrderFilter) {
  const { rows, total } = await repo.listOrders(db, filter)
  return { items: rows.map(toOrder), total, limit: filter.limit, offset: filter.offset }
}

export interface NewOrder {
  number?: string
  amountCents: bigint
  orderDate?: string
  opportunityId?: string | null
  /** undefined: taken from the opportunity (or none); given with an opportunity, it must match. */
  campaignId?: string | null
  /** undefined: taken from the opportunity (or none). */
  accountId?: string | null
}

export async function createOrder(db: Kysely<Database>, ctx: RequestContext, input: NewOrder): Promise<Order> {
  return db.transaction().execute((trx) => createOrderInTransaction(trx, ctx, input))
}

/**
 * Enters a confirmed order and adds it to its campaign's revenue in the caller's transaction.
 * An order of an opportunity is credited to the opportunity's campaign.
 */
export async function createOrderInTransaction(trx: Kysely<Database>, ctx: RequestContext, input: NewOrder): Promise<Order> {
  let campaignId = input.campaignId ?? null
  let accountId = input.accountId ?? null
  if (input.opportunityId) {
    const source = await opportunitySourceForOrder(trx, input.opportunityId)
    if (!source) {
      throw invalidReference('opportunityId', `opportunity ${input.opportunityId} does not exist`)
    }
    if (input.campaignId !== undefined && input.campaignId !== source.campaignId) {
      throw invalidField('campaignId', `must be the opportunity's campaign (${source.campaignId ?? 'none'}); an order is credited to the campaign of its opportunity`)
    }
    campaignId = source.campaignId
    if (input.accountId === undefined) accountId = source.accountId
  }
  const row = await repo.insertOrder(trx, {
    ...(input.number !== undefined ? { number: requiredText('number', input.number) } : {}),
    amount: formatMoney(input.amountCents),
    ...(input.orderDate !== undefined ? { order_date: input.orderDate } : {}),
    opportunity_id: input.opportunityId ?? null,
    campaign_id: campaignId,
    account_id: accountId,
    owner_id: ctx.actor.userId,
  })
  const order = toOrder(row)
  // The hot path of order entry: audit, roll-up and live event in one round trip, with the
  // campaign's slot row locked only for that last statement before the commit.
  const rollup = campaignDeltasStatement(orderRollupDeltas(null, rollupState(row)))
  await runAsOneStatement(
    trx,
    [auditStatement(ctx, { entity: 'order', entityId: row.id, action: 'create', after: order }), ...(rollup ? [rollup] : [])],
    changeStatement({ entity: 'order', id: row.id, action: 'create', campaignIds: [row.campaign_id] }),
  )
  return order
}

export interface OrderPatch {
  amountCents?: bigint
  orderDate?: string
  campaignId?: string | null
  accountId?: string | null
}

/** Edits an order; a changed amount or campaign moves its revenue in the same transaction. */
export async function updateOrder(db: Kysely<Database>, ctx: RequestContext, id: string, patch: OrderPatch): Promise<Order> {
  return db.transaction().execute(async (trx) => {
    const before = await repo.lockOrder(trx, id)
    if (!before) throw notFound('Order', id)
    if (patch.campaignId !== undefined && patch.campaignId !== before.campaign_id && before.opportunity_id !== null) {
      throw invalidField('campaignId', 'follows the order\'s opportunity; change the opportunity\'s campaign instead')
    }
    const after = await repo.updateOrder(trx, id, {
      ...(patch.amountCents !== undefined ? { amount: formatMoney(patch.amountCents) } : {}),
      ...(patch.orderDate !== undefined ? { order_date: patch.orderDate } : {}),
      ...(patch.campaignId !== undefined ? { campaign_id: patch.campaignId } : {}),
      ...(patch.accountId !== undefined ? { account_id: patch.accountId } : {}),
    })
    await applyCampaignDeltas(trx, orderRollupDeltas(rollupState(before), rollupState(after)))
    await recordAudit(trx, ctx, { entity: 'order', entityId: id, action: 'update', before: toOrder(before), after: toOrder(after) })
    await publishChange(trx, { entity: 'order', id, action: 'update', campaignIds: [before.campaign_id, after.campaign_id] })
    return toOrder(after)
  })
}

/** Cancels a confirmed order, taking its amount out of its campaign's revenue. */
export async function cancelOrder(db: Kysely<Database>, ctx: RequestContext, id: string): Promise<Order> {
  return db.transaction().execute(async (trx) => {
    const before = await repo.lockOrder(trx, id)
    if (!before) throw notFound('Order', id)
    if (before.status === 'cancelled') throw invalidState(`Order ${before.number} is already cancelled`, 'status')
    const after = await repo.updateOrder(trx, id, { status: 'cancelled', cancelled_at: new Date() })
    await applyCampaignDeltas(trx, orderRollupDeltas(rollupState(before), rollupState(after)))
    await recordAudit(trx, ctx, { entity: 'order', entityId: id, action: 'cancel', before: toOrder(before), after: toOrder(after) })
    await publishChange(trx, { entity: 'order', id, action: 'cancel', campaignIds: [after.campaign_id] })
    return toOrder(after)
  })
}

export async function deleteOrder(db: Kysely<Database>, ctx: RequestContext, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await repo.lockOrder(trx, id)
    if (!before) throw notFound('Order', id)
    await repo.deleteOrder(trx, id)
    await applyCampaignDeltas(trx, orderRollupDeltas(rollupState(before), null))
    await recordAudit(trx, ctx, { entity: 'order', entityId: id, action: 'delete', before: toOrder(before) })
    await publishChange(trx, { entity: 'order', id, action: 'delete', campaignIds: [before.campaign_id] })
  })
}

/**
 * Credits every order of an opportunity to its new campaign, in the caller's transaction
 * (which holds the opportunity's row lock): the confirmed ones' revenue moves exactly.
 */
export async function moveOpportunityOrders(
  trx: Kysely<Database>,
  ctx: RequestContext,
  opportunityId: string,
  campaignId: string | null,
): Promise<void> {
  const before = await repo.lockOrdersOfOpportunity(trx, opportunityId)
  if (before.length === 0) return
  const after = await repo.setCampaignOfOpportunityOrders(trx, opportunityId, campaignId)
  const afterById = new Map(after.map((row) => [row.id, row]))
  const deltas: CampaignDelta[][] = []
  for (const row of before) {
    const moved = afterById.get(row.id)
    if (!moved) continue
    deltas.push(orderRollupDeltas(rollupState(row), rollupState(moved)))
    await recordAudit(trx, ctx, { entity: 'order', entityId: row.id, action: 'update', before: toOrder(row), after: toOrder(moved) })
  }
  await applyCampaignDeltas(trx, mergeDeltas(deltas.flat()))
}

/** Sums deltas per campaign, dropping zeros, in campaign id order (the lock order). */
function mergeDeltas(deltas: readonly CampaignDelta[]): CampaignDelta[] {
  const byCampaign = new Map<string, CampaignDelta>()
  for (const d of deltas) {
    const sum = byCampaign.get(d.campaignId) ?? { campaignId: d.campaignId, revenueCents: 0n, orderCount: 0 }
    byCampaign.set(d.campaignId, { ...sum, revenueCents: sum.revenueCents + d.revenueCents, orderCount: sum.orderCount + d.orderCount })
  }
  return [...byCampaign.values()]
    .filter((d) => d.revenueCents !== 0n || d.orderCount !== 0)
    .sort((a, b) => (a.campaignId < b.campaignId ? -1 : a.campaignId > b.campaignId ? 1 : 0))
}
