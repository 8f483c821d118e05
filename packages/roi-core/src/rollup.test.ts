import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { applyDeltas, orderRollupDeltas, recomputeRollup, rollupDrift } from './rollup.ts'
import type { OrderRollupState, RollupTotals } from './rollup.ts'

const confirmed = (campaignId: string | null, amountCents: bigint): OrderRollupState => ({
  campaignId,
  amountCents,
  status: 'confirmed',
})
const cancelled = (campaignId: string | null, amountCents: bigint): OrderRollupState => ({
  campaignId,
  amountCents,
  status: 'cancelled',
})

describe('orderRollupDeltas', () => {
  it('adds a new confirmed order to its campaign', () => {
    expect(orderRollupDeltas(null, confirmed('a', 8000000n))).toEqual([
      { campaignId: 'a', revenueCents: 8000000n, orderCount: 1 },
    ])
  })

  it('ignores orders that are cancelled or have no campaign', () => {
    expect(orderRollupDeltas(null, cancelled('a', 8000000n))).toEqual([])
    expect(orderRollupDeltas(null, confirmed(null, 8000000n))).toEqual([])
    expect(orderRollupDeltas(cancelled('a', 100n), null)).toEqual([])
  })

  it('takes a deleted confirmed order back out', () => {
    expect(orderRollupDeltas(confirmed('a', 50000n), null)).toEqual([
      { campaignId: 'a', revenueCents: -50000n, orderCount: -1 },
    ])
  })

  it('moves only the difference when an amount is edited', () => {
    // 500.00 → 800.00: revenue +300.00, still one order.
    expect(orderRollupDeltas(confirmed('a', 50000n), confirmed('a', 80000n))).toEqual([
      { campaignId: 'a', revenueCents: 30000n, orderCount: 0 },
    ])
  })

  it('returns nothing when an edit leaves the figures unchanged', () => {
    expect(orderRollupDeltas(confirmed('a', 50000n), confirmed('a', 50000n))).toEqual([])
    expect(orderRollupDeltas(cancelled('a', 50000n), cancelled('b', 90000n))).toEqual([])
  })

  it('removes a cancelled order and restores it when it is confirmed again', () => {
    expect(orderRollupDeltas(confirmed('a', 50000n), cancelled('a', 50000n))).toEqual([
      { campaignId: 'a', revenueCents: -50000n, orderCount: -1 },
    ])
    expect(orderRollupDeltas(cancelled('a', 50000n), confirmed('a', 50000n))).toEqual([
      { campaignId: 'a', revenueCents: 50000n, orderCount: 1 },
    ])
  })

  it('moves a re-linked order between campaigns, ordered by campaign id', () => {
    expect(orderRollupDeltas(confirmed('b', 50000n), confirmed('a', 80000n))).toEqual([
      { campaignId: 'a', revenueCents: 80000n, orderCount: 1 },
      { campaignId: 'b', revenueCents: -50000n, orderCount: -1 },
    ])
  })

  it('treats linking to or unlinking from a campaign as adding or removing', () => {
    expect(orderRollupDeltas(confirmed(null, 50000n), confirmed('a', 50000n))).toEqual([
      { campaignId: 'a', revenueCents: 50000n, orderCount: 1 },
    ])
    expect(orderRollupDeltas(confirmed('a', 50000n), confirmed(null, 50000n))).toEqual([
      { campaignId: 'a', revenueCents: -50000n, orderCount: -1 },
    ])
  })

  it('still counts a confirmed order of zero', () => {
    expect(orderRollupDeltas(null, confirmed('a', 0n))).toEqual([{ campaignId: 'a', revenueCents: 0n, orderCount: 1 }])
  })
})

describe('applyDeltas', () => {
  it('adds deltas into a new map and leaves the input alone', () => {
    const totals = new Map([['a', { revenueCents: 50000n, orderCount: 1 }]])
    const next = applyDeltas(totals, [
      { campaignId: 'a', revenueCents: 30000n, orderCount: 0 },
      { campaignId: 'b', revenueCents: 1999n, orderCount: 1 },
    ])
    expect([...next]).toEqual([
      ['a', { revenueCents: 80000n, orderCount: 1 }],
      ['b', { revenueCents: 1999n, orderCount: 1 }],
    ])
    expect(totals.get('a')).toEqual({ revenueCents: 50000n, orderCount: 1 })
  })

  it('drops a campaign whose last order went away', () => {
    const totals = new Map([['a', { revenueCents: 50000n, orderCount: 1 }]])
    expect(applyDeltas(totals, [{ campaignId: 'a', revenueCents: -50000n, orderCount: -1 }]).size).toBe(0)
  })
})

describe('recomputeRollup', () => {
  it('sums the confirmed orders of each campaign', () => {
    const totals = recomputeRollup([
      confirmed('a', 50000n),
      cancelled('a', 30000n),
      confirmed(null, 10000n),
      confirmed('a', 1999n),
      confirmed('b', 0n),
    ])
    expect([...totals]).toEqual([
      ['a', { revenueCents: 51999n, orderCount: 2 }],
      ['b', { revenueCents: 0n, orderCount: 1 }],
    ])
  })

  it('is empty without confirmed, linked orders', () => {
    expect(recomputeRollup([cancelled('a', 100n), confirmed(null, 100n)]).size).toBe(0)
  })
})

describe('rollupDrift', () => {
  it('lists the campaigns whose stored totals differ, by campaign id', () => {
    const stored = new Map([
      ['c', { revenueCents: 100n, orderCount: 1 }],
      ['a', { revenueCents: 50000n, orderCount: 1 }],
      ['b', { revenueCents: 700n, orderCount: 2 }],
    ])
    const recomputed = new Map([
      ['a', { revenueCents: 80000n, orderCount: 1 }],
      ['b', { revenueCents: 700n, orderCount: 2 }],
      ['d', { revenueCents: 5n, orderCount: 1 }],
    ])
    expect(rollupDrift(stored, recomputed)).toEqual([
      { campaignId: 'a', storedRevenueCents: 50000n, recomputedRevenueCents: 80000n, storedOrderCount: 1, recomputedOrderCount: 1 },
      { campaignId: 'c', storedRevenueCents: 100n, recomputedRevenueCents: 0n, storedOrderCount: 1, recomputedOrderCount: 0 },
      { campaignId: 'd', storedRevenueCents: 0n, recomputedRevenueCents: 5n, storedOrderCount: 0, recomputedOrderCount: 1 },
    ])
  })

  it('does not report a stored zero row as drift', () => {
    const stored = new Map([['a', { revenueCents: 0n, orderCount: 0 }]])
    expect(rollupDrift(stored, new Map())).toEqual([])
  })
})

describe('the incremental roll-up', () => {
  type Command =
    | { kind: 'create'; order: number; campaignId: string | null; amountCents: bigint; confirmed: boolean }
    | { kind: 'edit'; order: number; amountCents: bigint }
    | { kind: 'cancel' | 'confirm' | 'delete'; order: number }
    | { kind: 'relink'; order: number; campaignId: string | null }

  const order = fc.integer({ min: 0, max: 4 })
  const campaignId = fc.constantFrom('c1', 'c2', 'c3', null)
  const amountCents = fc.bigInt({ min: 0n, max: 10n ** 18n - 1n })
  const command: fc.Arbitrary<Command> = fc.oneof(
    fc.record({ kind: fc.constant('create' as const), order, campaignId, amountCents, confirmed: fc.boolean() }),
    fc.record({ kind: fc.constant('edit' as const), order, amountCents }),
    fc.record({ kind: fc.constantFrom('cancel' as const, 'confirm' as const, 'delete' as const), order }),
    fc.record({ kind: fc.constant('relink' as const), order, campaignId }),
  )

  function next(before: OrderRollupState | null, c: Command): OrderRollupState | null {
    if (c.kind === 'create') {
      return before ?? { campaignId: c.campaignId, amountCents: c.amountCents, status: c.confirmed ? 'confirmed' : 'cancelled' }
    }
    if (before === null) return null
    switch (c.kind) {
      case 'edit':
        return { ...before, amountCents: c.amountCents }
      case 'cancel':
        return { ...before, status: 'cancelled' }
      case 'confirm':
        return { ...before, status: 'confirmed' }
      case 'delete':
        return null
      case 'relink':
        return { ...before, campaignId: c.campaignId }
    }
  }

  it('always equals recomputing from the final orders', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 60 }), (commands) => {
        const orders = new Map<number, OrderRollupState>()
        let totals = new Map<string, RollupTotals>()
        for (const c of commands) {
          const before = orders.get(c.order) ?? null
          const after = next(before, c)
          if (before === null && after === null) continue
          const deltas = orderRollupDeltas(before, after)
          const ids = deltas.map((d) => d.campaignId)
          expect(ids).toEqual([...new Set(ids)].sort())
          totals = applyDeltas(totals, deltas)
          if (after === null) orders.delete(c.order)
          else orders.set(c.order, after)
        }
        const recomputed = recomputeRollup(orders.values())
        expect(rollupDrift(totals, recomputed)).toEqual([])
        expect([...totals].sort(([a], [b]) => (a < b ? -1 : 1))).toEqual(
          [...recomputed].sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      }),
      { numRuns: 500 },
    )
  })
})
