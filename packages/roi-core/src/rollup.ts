import type { OrderStatus } from './vocabulary.ts'

/** The fields of an order that feed its campaign's revenue. */
export interface OrderRollupState {
  campaignId: string | null
  amountCents: bigint
  status: OrderStatus
}

/** A change to apply to one campaign's stored revenue and order count. */
export interface CampaignDelta {
  campaignId: string
  revenueCents: bigint
  orderCount: number
}

export interface RollupTotals {
  revenueCents: bigint
  orderCount: number
}

export interface RollupDrift {
  campaignId: string
  storedRevenueCents: bigint
  recomputedRevenueCents: bigint
  storedOrderCount: number
  recomputedOrderCount: number
}

/**
 * The per-campaign changes one order change causes: `before` is `null` on create, `after` is
 * `null` on delete. Only confirmed orders with a campaign count. Zero changes are left out, and
 * the result is sorted by campaign id so that every writer locks campaign rows in the same order.
 *
 * @example
 * ```ts
 * // An order of 500.00 moves from campaign b to campaign a and grows to 800.00:
 * orderRollupDeltas(
 *   { campaignId: 'b', amountCents: 50000n, status: 'confirmed' },
 *   { campaignId: 'a', amountCents: 80000n, status: 'confirmed' },
 * )
 * // [{ campaignId: 'a', revenueCents: 80000n, orderCount: 1 },
 * //  { campaignId: 'b', revenueCents: -50000n, orderCount: -1 }]
 *
 * orderRollupDeltas({ campaignId: 'a', amountCents: 50000n, status: 'cancelled' }, null) // []
 * ```
 */
export function orderRollupDeltas(before: OrderRollupState | null, after: OrderRollupState | null): CampaignDelta[] {
  const deltas = new Map<string, RollupTotals>()
  addOrder(deltas, before, -1)
  addOrder(deltas, after, 1)
  return [...deltas]
    .filter(([, totals]) => !isZero(totals))
    .sort(([a], [b]) => compareIds(a, b))
    .map(([campaignId, totals]) => ({ campaignId, ...totals }))
}

/**
 * Applies deltas to per-campaign totals, returning a new map; campaigns that drop to zero
 * revenue and zero orders are removed, as if they had never had an order.
 *
 * @example
 * ```ts
 * const totals = new Map([['a', { revenueCents: 50000n, orderCount: 1 }]])
 * applyDeltas(totals, [{ campaignId: 'a', revenueCents: -50000n, orderCount: -1 },
 *                      { campaignId: 'b', revenueCents: 80000n, orderCount: 1 }])
 * // Map { 'b' => { revenueCents: 80000n, orderCount: 1 } }
 * ```
 */
export function applyDeltas(
  totals: ReadonlyMap<string, RollupTotals>,
  deltas: Iterable<CampaignDelta>,
): Map<string, RollupTotals> {
  const next = new Map<string, RollupTotals>()
  for (const [campaignId, t] of totals) next.set(campaignId, { ...t })
  for (const d of deltas) add(next, d.campaignId, d.revenueCents, d.orderCount)
  return dropZeros(next)
}

/**
 * Per-campaign totals computed from scratch, the reference the incremental roll-up must match.
 *
 * @example
 * ```ts
 * recomputeRollup([
 *   { campaignId: 'a', amountCents: 50000n, status: 'confirmed' },
 *   { campaignId: 'a', amountCents: 30000n, status: 'cancelled' },
 *   { campaignId: null, amountCents: 10000n, status: 'confirmed' },
 *   { campaignId: 'a', amountCents: 1999n, status: 'confirmed' },
 * ])
 * // Map { 'a' => { revenueCents: 51999n, orderCount: 2 } }
 * ```
 */
export function recomputeRollup(orders: Iterable<OrderRollupState>): Map<string, RollupTotals> {
  const totals = new Map<string, RollupTotals>()
  for (const order of orders) addOrder(totals, order, 1)
  return dropZeros(totals)
}

/**
 * The campaigns whose stored totals differ from the recomputed ones, sorted by campaign id;
 * a campaign missing from one side counts as zero there.
 *
 * @example
 * ```ts
 * rollupDrift(
 *   new Map([['a', { revenueCents: 50000n, orderCount: 1 }]]),
 *   new Map([['a', { revenueCents: 80000n, orderCount: 1 }]]),
 * )
 * // [{ campaignId: 'a', storedRevenueCents: 50000n, recomputedRevenueCents: 80000n,
 * //    storedOrderCount: 1, recomputedOrderCount: 1 }]
 * ```
 */
export function rollupDrift(
  stored: ReadonlyMap<string, RollupTotals>,
  recomputed: ReadonlyMap<string, RollupTotals>,
): RollupDrift[] {
  const ids = [...new Set([...stored.keys(), ...recomputed.keys()])].sort(compareIds)
  const drift: RollupDrift[] = []
  for (const campaignId of ids) {
    const s = stored.get(campaignId) ?? ZERO
    const r = recomputed.get(campaignId) ?? ZERO
    if (s.revenueCents !== r.revenueCents || s.orderCount !== r.orderCount) {
      drift.push({
        campaignId,
        storedRevenueCents: s.revenueCents,
        recomputedRevenueCents: r.revenueCents,
        storedOrderCount: s.orderCount,
        recomputedOrderCount: r.orderCount,
      })
    }
  }
  return drift
}

const ZERO: RollupTotals = Object.freeze({ revenueCents: 0n, orderCount: 0 })

function addOrder(totals: Map<string, RollupTotals>, order: OrderRollupState | null, sign: 1 | -1): void {
  if (order === null || order.status !== 'confirmed' || order.campaignId === null) return
  add(totals, order.campaignId, BigInt(sign) * order.amountCents, sign)
}

function add(totals: Map<string, RollupTotals>, campaignId: string, revenueCents: bigint, orderCount: number): void {
  const t = totals.get(campaignId) ?? { revenueCents: 0n, orderCount: 0 }
  totals.set(campaignId, { revenueCents: t.revenueCents + revenueCents, orderCount: t.orderCount + orderCount })
}

function dropZeros(totals: Map<string, RollupTotals>): Map<string, RollupTotals> {
  for (const [campaignId, t] of totals) if (isZero(t)) totals.delete(campaignId)
  return totals
}

function isZero(t: RollupTotals): boolean {
  return t.revenueCents === 0n && t.orderCount === 0
}

// Code-unit order, not localeCompare: the lock order must not depend on the runtime's locale.
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
