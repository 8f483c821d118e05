import { formatMoney, parseMoney, rollupDrift, type CampaignDelta, type RollupTotals } from '@yardstick/roi-core'
import type { Kysely, RawBuilder } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { RequestContext } from '../../lib/context.ts'
import { recordAudit } from '../audit/audit.service.ts'
import * as repo from './rollups.repository.ts'

/**
 * Applies roll-up deltas (from `orderRollupDeltas`) inside the transaction of the order write
 * that caused them, so the revenue and the order change commit together.
 */
export async function applyCampaignDeltas(trx: Kysely<Database>, deltas: readonly CampaignDelta[]): Promise<void> {
  await repo.addToSlots(trx, toSlotDeltas(deltas))
}

/** applyCampaignDeltas as a statement (null for no deltas), for a hot path that runs it with its other writes. */
export function campaignDeltasStatement(deltas: readonly CampaignDelta[]): RawBuilder<unknown> | null {
  return repo.addToSlotsStatement(toSlotDeltas(deltas))
}

const toSlotDeltas = (deltas: readonly CampaignDelta[]) =>
  deltas.map((d) => ({ campaignId: d.campaignId, revenue: formatMoney(d.revenueCents), orderCount: d.orderCount }))

/**
 * Actual revenue and confirmed order count of each campaign, exact (the sum of its slots);
 * a campaign without orders is in the map with zero.
 */
export async function campaignRevenue(db: Kysely<Database>, campaignIds: readonly string[]): Promise<Map<string, RollupTotals>> {
  const totals = new Map<string, RollupTotals>(campaignIds.map((id) => [id, { revenueCents: 0n, orderCount: 0 }]))
  for (const row of await repo.sumSlots(db, [...new Set(campaignIds)])) {
    totals.set(row.campaign_id, { revenueCents: parseMoney(row.revenue, { allowNegative: true }), orderCount: row.order_count })
  }
  return totals
}

export interface RollupDriftRow {
  campaignId: string
  storedRevenue: string
  recomputedRevenue: string
  storedOrderCount: number
  recomputedOrderCount: number
}

export interface RollupVerification {
  ok: boolean
  /** Campaigns with orders or stored figures that were compared. */
  checked: number
  /** Only the campaigns whose stored figures differ from the recompute. */
  campaigns: RollupDriftRow[]
}

/** Compares the stored figures of every campaign with a recompute from its confirmed orders. */
export async function verifyRollups(db: Kysely<Database>): Promise<RollupVerification> {
  const rows = await repo.compareStoredWithOrders(db)
  const stored = new Map<string, RollupTotals>()
  const recomputed = new Map<string, RollupTotals>()
  for (const row of rows) {
    stored.set(row.campaign_id, { revenueCents: parseMoney(row.stored_revenue, { allowNegative: true }), orderCount: row.stored_order_count })
    recomputed.set(row.campaign_id, { revenueCents: parseMoney(row.recomputed_revenue), orderCount: row.recomputed_order_count })
  }
  const campaigns = rollupDrift(stored, recomputed).map((d) => ({
    campaignId: d.campaignId,
    storedRevenue: formatMoney(d.storedRevenueCents),
    recomputedRevenue: formatMoney(d.recomputedRevenueCents),
    storedOrderCount: d.storedOrderCount,
    recomputedOrderCount: d.recomputedOrderCount,
  }))
  return { ok: campaigns.length === 0, checked: rows.length, campaigns }
}

/**
 * Recomputes every campaign's figures from its confirmed orders and replaces the stored ones.
 * Order writes wait for it (they need the slot table), so none is lost or counted twice.
 */
export async function rebuildRollups(db: Kysely<Database>, ctx: RequestContext): Promise<RollupVerification> {
  await db.transaction().execute(async (trx) => {
    await repo.lockSlots(trx)
    const before = await verifyRollups(trx)
    await repo.replaceSlotsFromOrders(trx)
    await recordAudit(trx, ctx, {
      entity: 'campaign_rollup',
      entityId: 'all',
      action: 'rebuild',
      changes: { driftingCampaigns: { before: before.campaigns.length, after: 0 } },
    })
  })
  return verifyRollups(db)
}
