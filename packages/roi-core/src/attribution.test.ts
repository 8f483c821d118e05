import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { ATTRIBUTION_MODELS, attribute, attributeAllModels, isAttributionModel, shareByTouch } from './attribution.ts'
import type { AttributionModel, AttributionPath, AttributionTouch, CampaignCredit } from './attribution.ts'

const DAY = 86_400_000
const settings = { halfLifeDays: 7 }
const touch = (id: string, campaignId: string, day: number): AttributionTouch => ({ id, campaignId, occurredAt: day * DAY })
const path = (touches: AttributionTouch[], rest: Partial<Omit<AttributionPath, 'touches'>> = {}): AttributionPath => ({
  touches,
  primaryCampaignId: 'primary',
  leadCreatedAt: null,
  opportunityCreatedAt: null,
  ...rest,
})
const cents = (model: AttributionModel, p: AttributionPath, amount: bigint): bigint[] =>
  shareByTouch(model, p, amount, settings).map((s) => s.cents)
const credits = (model: AttributionModel, p: AttributionPath, amount: bigint): [string | null, bigint][] =>
  attribute(model, p, amount, settings).map((c) => [c.campaignId, c.cents])

// A (day 1), B (day 3), C (day 5), D (day 9) on campaigns a..d, given out of order; the lead was
// created on day 2 (lead-creation touch: A), the opportunity on day 6 (opportunity-creation touch: C).
const A = touch('A', 'a', 1)
const B = touch('B', 'b', 3)
const C = touch('C', 'c', 5)
const D = touch('D', 'd', 9)
const fourTouches = path([C, A, D, B], { leadCreatedAt: 2 * DAY, opportunityCreatedAt: 6 * DAY })

describe('ATTRIBUTION_MODELS', () => {
  it('keeps the stored order of the models', () => {
    expect(ATTRIBUTION_MODELS).toEqual([
      'primary_source',
      'first_touch',
      'last_touch',
      'linear',
      'u_shaped',
      'w_shaped',
      'full_path',
      'time_decay',
      'u_shaped_lead',
      'j_shaped',
      'inverse_j',
    ])
  })

  it('recognises model names and nothing else', () => {
    for (const model of ATTRIBUTION_MODELS) expect(isAttributionModel(model)).toBe(true)
    expect(isAttributionModel('W_SHAPED')).toBe(false)
    expect(isAttributionModel('')).toBe(false)
    expect(isAttributionModel('toString')).toBe(false)
  })
})

describe('shareByTouch on a four-touch path of 1000.00', () => {
  const amount = 100000n

  it('returns the touches in path order', () => {
    expect(shareByTouch('linear', fourTouches, amount, settings).map((s) => s.touch)).toEqual([A, B, C, D])
  })

  it('gives everything to the first touch under first_touch and the last under last_touch', () => {
    expect(cents('first_touch', fourTouches, amount)).toEqual([100000n, 0n, 0n, 0n])
    expect(cents('last_touch', fourTouches, amount)).toEqual([0n, 0n, 0n, 100000n])
  })

  it('splits equally under linear', () => {
    expect(cents('linear', fourTouches, amount)).toEqual([25000n, 25000n, 25000n, 25000n])
  })

  it('gives 40/20/40 under u_shaped, the 20% shared by the middle touches', () => {
    expect(cents('u_shaped', fourTouches, amount)).toEqual([40000n, 10000n, 10000n, 40000n])
  })

  it('adds first and lead-creation shares on A under w_shaped', () => {
    // first A 30% + lead A 30%, opportunity C 30%, rest B and D share 10%.
    expect(cents('w_shaped', fourTouches, amount)).toEqual([60000n, 5000n, 30000n, 5000n])
  })

  it('gives 22.5% to each of the four anchors under full_path', () => {
    // first A 22.5 + lead A 22.5, opportunity C 22.5, last D 22.5, rest B 10.
    expect(cents('full_path', fourTouches, amount)).toEqual([45000n, 10000n, 22500n, 22500n])
  })

  it('halves a touch’s weight every half-life back from the last touch under time_decay', () => {
    // Half-life 7 days; ages from D (day 9): A 8, B 6, C 4, D 0 days.
    // Weights round(2^(-age/7) × 2^40):
    //   A 2^(-8/7) ≈ 0.452862 → 497926850205
    //   B 2^(-6/7) ≈ 0.552045 → 606979629195
    //   C 2^(-4/7) ≈ 0.672950 → 739916455813
    //   D 2^0      = 1        → 1099511627776          W = 2944334563989
    // 100000 × w / W ≈ A 16911.354, B 20615.172, C 25130.176, D 37343.298: the floors add up to
    // 99999 and the cent left goes to the largest remainder, A's .354.
    expect(cents('time_decay', fourTouches, amount)).toEqual([16912n, 20615n, 25130n, 37343n])
  })

  it('gives 40% first, 40% lead creation and 20% the rest under u_shaped_lead', () => {
    // A is first and lead-creation touch: 80%. B, C, D share 20%: 6666.67 each; the two cents
    // left over go to B and C (equal remainders, earlier first).
    expect(cents('u_shaped_lead', fourTouches, amount)).toEqual([80000n, 6667n, 6667n, 6666n])
  })

  it('gives 20/60 under j_shaped and 60/20 under inverse_j, 20% to the middle', () => {
    expect(cents('j_shaped', fourTouches, amount)).toEqual([20000n, 10000n, 10000n, 60000n])
    expect(cents('inverse_j', fourTouches, amount)).toEqual([60000n, 10000n, 10000n, 20000n])
  })

  it('credits no touch under primary_source', () => {
    expect(shareByTouch('primary_source', fourTouches, amount, settings)).toEqual([])
  })

  it('reports each touch’s fraction of the whole as its weight', () => {
    expect(shareByTouch('w_shaped', fourTouches, amount, settings).map((s) => s.weight)).toEqual([0.6, 0.05, 0.3, 0.05])
  })
})

describe('attribute', () => {
  it('credits the four-touch path per campaign, in path order', () => {
    expect(attribute('w_shaped', fourTouches, 100000n, settings)).toEqual([
      { campaignId: 'a', cents: 60000n, weight: 0.6 },
      { campaignId: 'b', cents: 5000n, weight: 0.05 },
      { campaignId: 'c', cents: 30000n, weight: 0.3 },
      { campaignId: 'd', cents: 5000n, weight: 0.05 },
    ])
  })

  it('gives everything to the primary source under primary_source, whatever the touches', () => {
    expect(attribute('primary_source', fourTouches, 100000n, settings)).toEqual([
      { campaignId: 'primary', cents: 100000n, weight: 1 },
    ])
    expect(attribute('primary_source', { ...fourTouches, primaryCampaignId: null }, 100000n, settings)).toEqual([
      { campaignId: null, cents: 100000n, weight: 1 },
    ])
  })

  it('falls back to the primary source, or to unattributed, when there is no touch', () => {
    for (const model of ATTRIBUTION_MODELS) {
      expect(attribute(model, path([]), 100000n, settings)).toEqual([{ campaignId: 'primary', cents: 100000n, weight: 1 }])
      expect(attribute(model, path([], { primaryCampaignId: null }), 100000n, settings)).toEqual([
        { campaignId: null, cents: 100000n, weight: 1 },
      ])
      expect(shareByTouch(model, path([]), 100000n, settings)).toEqual([])
    }
  })

  it('sums the touches of one campaign and orders campaigns by first appearance', () => {
    const p = path([touch('t3', 'web', 5), touch('t1', 'web', 1), touch('t2', 'fair', 3)])
    // u_shaped: t1 40% + t3 40% on web, t2 20% on fair.
    expect(attribute('u_shaped', p, 100000n, settings)).toEqual([
      { campaignId: 'web', cents: 80000n, weight: 0.8 },
      { campaignId: 'fair', cents: 20000n, weight: 0.2 },
    ])
    expect(credits('linear', p, 100n)).toEqual([
      ['web', 67n], // 34 + 33
      ['fair', 33n],
    ])
  })

  it('leaves out campaigns whose touches get no weight', () => {
    expect(credits('first_touch', fourTouches, 100000n)).toEqual([['a', 100000n]])
    expect(credits('last_touch', fourTouches, 100000n)).toEqual([['d', 100000n]])
  })
})

describe('short paths and coinciding anchors', () => {
  it('gives a single touch everything under every touch-based model', () => {
    const p = path([touch('t', 'web', 1)], { leadCreatedAt: 2 * DAY, opportunityCreatedAt: 3 * DAY })
    for (const model of ATTRIBUTION_MODELS.filter((m) => m !== 'primary_source')) {
      expect(shareByTouch(model, p, 12345n, settings)).toEqual([{ touch: p.touches[0], cents: 12345n, weight: 1 }])
    }
  })

  it('splits a share with no rest touches to receive it among the anchors', () => {
    const p = path([touch('t0', 'a', 1), touch('t1', 'b', 2)])
    expect(cents('u_shaped', p, 100000n)).toEqual([50000n, 50000n]) // 40+10 / 40+10
    expect(cents('j_shaped', p, 100000n)).toEqual([30000n, 70000n]) // 20+10 / 60+10
    expect(cents('inverse_j', p, 100000n)).toEqual([70000n, 30000n])
  })

  it('adds the shares of anchors on one touch and splits the empty rest among distinct anchors', () => {
    // t0 before the lead, t1 after it and before the opportunity: first t0, lead t0, opp t1.
    const p = path([touch('t0', 'a', 1), touch('t1', 'b', 3)], { leadCreatedAt: 2 * DAY, opportunityCreatedAt: 4 * DAY })
    expect(cents('w_shaped', p, 100000n)).toEqual([65000n, 35000n]) // 30+30+5 / 30+5
    expect(cents('full_path', p, 100000n)).toEqual([50000n, 50000n]) // 22.5+22.5+5 / 22.5+22.5+5
    expect(cents('u_shaped_lead', p, 100000n)).toEqual([80000n, 20000n]) // 40+40 / rest 20
  })

  it('puts lead and opportunity creation on one touch when nothing happened between them', () => {
    const p = path([touch('A', 'a', 1), touch('B', 'b', 3), touch('C', 'c', 9)], {
      leadCreatedAt: 4 * DAY,
      opportunityCreatedAt: 5 * DAY,
    })
    // first A 30, lead B 30 + opportunity B 30, rest C 10.
    expect(cents('w_shaped', p, 100000n)).toEqual([30000n, 60000n, 10000n])
  })

  it('counts a touch at the very moment of creation as the creation touch', () => {
    const p = path([touch('A', 'a', 1), touch('B', 'b', 2), touch('C', 'c', 3)], {
      leadCreatedAt: 2 * DAY,
      opportunityCreatedAt: 3 * DAY,
    })
    // first A 30, lead B 30, opportunity C 30, no rest: its 10 split over A, B, C.
    expect(cents('w_shaped', p, 300000n)).toEqual([100000n, 100000n, 100000n])
  })

  it('splits a missing lead anchor’s share among the anchors that exist', () => {
    const noLead = { ...fourTouches, leadCreatedAt: null }
    // first A 30 + 15, lead missing, opportunity C 30 + 15, rest B and D 5 each.
    expect(cents('w_shaped', noLead, 100000n)).toEqual([45000n, 5000n, 45000n, 5000n])
    // A lead created before every touch has no lead-creation touch either.
    expect(cents('w_shaped', { ...fourTouches, leadCreatedAt: 0 }, 100000n)).toEqual([45000n, 5000n, 45000n, 5000n])
    // first A 40 + 40, rest B, C, D 20 together.
    expect(cents('u_shaped_lead', noLead, 100000n)).toEqual([80000n, 6667n, 6667n, 6666n])
    // full_path: first A 22.5, opp C 22.5, last D 22.5, each + 7.5 of the lead's share; rest B 10.
    expect(cents('full_path', noLead, 100000n)).toEqual([30000n, 10000n, 30000n, 30000n])
  })

  it('gives both creation shares to the first touch when revenue has neither lead nor opportunity', () => {
    const bare = { ...fourTouches, leadCreatedAt: null, opportunityCreatedAt: null }
    // first A 30 + 30 + 30, rest B, C, D share 10: 3333.33 each, the cent left to B.
    expect(cents('w_shaped', bare, 100000n)).toEqual([90000n, 3334n, 3333n, 3333n])
  })
})

describe('exact cents', () => {
  it('gives the cent left over to the earliest of equal remainders', () => {
    const p = path([touch('t3', 'c', 3), touch('t1', 'a', 1), touch('t2', 'b', 2)])
    expect(cents('linear', p, 100n)).toEqual([34n, 33n, 33n])
    expect(cents('linear', p, 101n)).toEqual([34n, 34n, 33n])
  })

  it('stays exact for amounts beyond a double’s precision', () => {
    const p = path([touch('t1', 'a', 1), touch('t2', 'b', 2), touch('t3', 'c', 3)])
    expect(cents('linear', p, 10n ** 17n)).toEqual([33333333333333334n, 33333333333333333n, 33333333333333333n])
  })

  it('stays exact on a long path with many leftover cents', () => {
    // 50 touches a minute apart on campaigns c0..c4 in turn; linear 1049 cents = 20.98 each:
    // the floors give 20 × 50 = 1000, and the 49 cents left go to every touch but the last (c4).
    const touches = Array.from({ length: 50 }, (_, i) => ({
      id: `t${String(i).padStart(2, '0')}`,
      campaignId: `c${i % 5}`,
      occurredAt: i * 60_000,
    }))
    expect(credits('linear', path(touches.toReversed()), 1049n)).toEqual([
      ['c0', 210n],
      ['c1', 210n],
      ['c2', 210n],
      ['c3', 210n],
      ['c4', 209n],
    ])
    // 1003 cents: the 3 cents left go to the first three touches.
    expect(credits('linear', path(touches), 1003n)).toEqual([
      ['c0', 201n],
      ['c1', 201n],
      ['c2', 201n],
      ['c3', 200n],
      ['c4', 200n],
    ])
  })

  it('reports weights for an amount of zero', () => {
    expect(shareByTouch('u_shaped', fourTouches, 0n, settings).map((s) => [s.cents, s.weight])).toEqual([
      [0n, 0.4],
      [0n, 0.1],
      [0n, 0.1],
      [0n, 0.4],
    ])
  })

  it('refuses a negative amount and a half-life that is not a positive number', () => {
    expect(() => attribute('linear', fourTouches, -1n, settings)).toThrow(RangeError)
    expect(() => shareByTouch('linear', fourTouches, -1n, settings)).toThrow(RangeError)
    expect(() => attributeAllModels(fourTouches, -1n, settings)).toThrow(RangeError)
    for (const halfLifeDays of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => attribute('time_decay', fourTouches, 100n, { halfLifeDays })).toThrow(RangeError)
    }
  })

  it('refuses a touch without a valid time', () => {
    const p = path([touch('t1', 'a', 1), { id: 't2', campaignId: 'b', occurredAt: Number.NaN }])
    expect(() => attribute('linear', p, 100n, settings)).toThrow(RangeError)
  })
})

describe('path order', () => {
  it('breaks ties in time by id', () => {
    const p = path([touch('b', 'second', 1), touch('a', 'first', 1), touch('c', 'third', 1)])
    expect(credits('first_touch', p, 100n)).toEqual([['first', 100n]])
    expect(credits('last_touch', p, 100n)).toEqual([['third', 100n]])
    expect(shareByTouch('linear', p, 100n, settings).map((s) => [s.touch.id, s.cents])).toEqual([
      ['a', 34n],
      ['b', 33n],
      ['c', 33n],
    ])
  })

  it('compares ids by code unit, not by locale', () => {
    const p = path([touch('a', 'lower', 1), touch('B', 'upper', 1)])
    expect(credits('first_touch', p, 100n)).toEqual([['upper', 100n]])
  })

  it('takes the last of touches tied at the creation time as the creation touch', () => {
    const p = path([touch('x', 'a', 1), touch('z', 'c', 2), touch('y', 'b', 2), touch('w', 'd', 5)], {
      leadCreatedAt: 2 * DAY,
    })
    // path x, y, z, w; lead-creation touch z: first x 40, lead z 40, rest y and w 10 each.
    expect(credits('u_shaped_lead', p, 100000n)).toEqual([
      ['a', 40000n],
      ['b', 10000n],
      ['c', 40000n],
      ['d', 10000n],
    ])
  })
})

describe('attributeAllModels', () => {
  it('gives every model its own result', () => {
    const all = attributeAllModels(fourTouches, 100000n, settings)
    expect(Object.keys(all)).toEqual([...ATTRIBUTION_MODELS])
    expect(all.primary_source).toEqual([{ campaignId: 'primary', cents: 100000n, weight: 1 }])
    expect(all.full_path.map((c) => c.cents)).toEqual([45000n, 10000n, 22500n, 22500n])
    expect(all.time_decay.map((c) => c.cents)).toEqual([16912n, 20615n, 25130n, 37343n])
    expect(all.first_touch).not.toBe(all.last_touch)
  })
})

// ---------------------------------------------------------------------------------------------

/** The rules transcribed directly, in exact fractions and without the module's shortcuts. */
function referenceShares(model: AttributionModel, p: AttributionPath, amount: bigint, halfLifeDays: number): bigint[] {
  const ts = [...p.touches].sort((x, y) => x.occurredAt - y.occurredAt || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
  const n = ts.length
  // Each touch's share as num / den.
  let num: bigint[]
  let den: bigint
  if (model === 'time_decay') {
    const last = ts[n - 1]!.occurredAt
    num = ts.map((t) => BigInt(Math.round(2 ** ((t.occurredAt - last) / (halfLifeDays * DAY)) * 2 ** 40)))
    den = num.reduce((s, x) => s + x, 0n)
  } else {
    const roleShares: Record<string, [number, number, number, number, number]> = {
      first_touch: [1000, 0, 0, 0, 0],
      last_touch: [0, 0, 0, 1000, 0],
      linear: [0, 0, 0, 0, 1000],
      u_shaped: [400, 0, 0, 400, 200],
      w_shaped: [300, 300, 300, 0, 100],
      full_path: [225, 225, 225, 225, 100],
      u_shaped_lead: [400, 400, 0, 0, 200],
      j_shaped: [200, 0, 0, 600, 200],
      inverse_j: [600, 0, 0, 200, 200],
    }
    const shares = roleShares[model]!
    const lastAtOrBefore = (time: number | null) => (time === null ? -1 : ts.findLastIndex((t) => t.occurredAt <= time))
    const where = [0, lastAtOrBefore(p.leadCreatedAt), lastAtOrBefore(p.opportunityCreatedAt), n - 1]
    const anchors = [...new Set(where.filter((at, role) => shares[role]! > 0 && at >= 0))]
    const rest = ts.map((_, i) => i).filter((i) => !anchors.includes(i))
    let orphan = where.reduce((s, at, role) => (at < 0 ? s + shares[role]! : s), 0)
    if (rest.length === 0) orphan += shares[4]
    // Common denominator 1000 × #anchors × #rest (each at least 1).
    const k = BigInt(Math.max(anchors.length, 1))
    const r = BigInt(Math.max(rest.length, 1))
    den = 1000n * k * r
    num = ts.map((_, i) => {
      if (!anchors.includes(i)) return (BigInt(shares[4]) * k * r) / r
      const own = where.reduce((s, at, role) => (at === i ? s + shares[role]! : s), 0)
      return BigInt(own) * k * r + (BigInt(orphan) * k * r) / k
    })
  }
  const floors = num.map((x) => (amount * x) / den)
  const rems = num.map((x) => (amount * x) % den)
  let left = amount - floors.reduce((s, x) => s + x, 0n)
  const byRemainder = ts.map((_, i) => i).sort((i, j) => (rems[j]! > rems[i]! ? 1 : rems[j]! < rems[i]! ? -1 : i - j))
  for (const i of byRemainder) {
    if (left === 0n) break
    floors[i]! += 1n
    left -= 1n
  }
  return floors
}

describe('attribution invariants', () => {
  const campaign = fc.constantFrom('c1', 'c2', 'c3', 'c4')
  // Whole days give many ties in time; milliseconds give arbitrary ages.
  const time = fc.oneof(fc.integer({ min: 0, max: 20 }).map((d) => d * DAY), fc.integer({ min: 0, max: 20 * DAY }))
  const touchArb = fc.record({ id: fc.string({ minLength: 1, maxLength: 3 }), campaignId: campaign, occurredAt: time })
  const pathArb: fc.Arbitrary<AttributionPath> = fc.record({
    touches: fc.uniqueArray(touchArb, { maxLength: 30, selector: (t) => t.id }),
    primaryCampaignId: fc.constantFrom('c1', 'c5', null),
    leadCreatedAt: fc.option(time, { nil: null }),
    opportunityCreatedAt: fc.option(time, { nil: null }),
  })
  // Small amounts take the module's double-precision path, large ones its bigint path.
  const amountArb = fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 6n }), fc.bigInt({ min: 0n, max: 10n ** 15n }))
  const settingsArb = fc.record({
    halfLifeDays: fc.oneof(fc.integer({ min: 1, max: 90 }), fc.double({ min: 0.01, max: 1000, noNaN: true })),
  })
  const modelArb = fc.constantFrom(...ATTRIBUTION_MODELS)
  const touchModelArb = modelArb.filter((m) => m !== 'primary_source')
  const sum = (xs: readonly { cents: bigint }[]) => xs.reduce((s, x) => s + x.cents, 0n)
  const weightSum = (xs: readonly { weight: number }[]) => xs.reduce((s, x) => s + x.weight, 0)

  it('shares out the amount exactly, never negative, with weights summing to 1', () => {
    fc.assert(
      fc.property(modelArb, pathArb, amountArb, settingsArb, (model, p, amount, s) => {
        const credit = attribute(model, p, amount, s)
        expect(sum(credit)).toBe(amount)
        expect(Math.abs(weightSum(credit) - 1)).toBeLessThan(1e-9)
        for (const c of credit) {
          expect(c.cents >= 0n).toBe(true)
          expect(c.weight > 0).toBe(true)
        }
        const shares = shareByTouch(model, p, amount, s)
        if (model === 'primary_source' || p.touches.length === 0) {
          expect(shares).toEqual([])
        } else {
          expect(shares).toHaveLength(p.touches.length)
          expect(sum(shares)).toBe(amount)
          expect(Math.abs(weightSum(shares) - 1)).toBeLessThan(1e-9)
          for (const share of shares) expect(share.cents >= 0n && share.weight >= 0).toBe(true)
        }
      }),
      { numRuns: 1000 },
    )
  })

  it('follows the rules as written, remainder rule included', () => {
    fc.assert(
      fc.property(touchModelArb, pathArb, amountArb, settingsArb, (model, p, amount, s) => {
        if (p.touches.length === 0) return
        const expected = referenceShares(model, p, amount, s.halfLifeDays)
        expect(shareByTouch(model, p, amount, s).map((x) => x.cents)).toEqual(expected)
      }),
      { numRuns: 1000 },
    )
  })

  it('credits each campaign the sum of its touches’ shares', () => {
    fc.assert(
      fc.property(touchModelArb, pathArb, amountArb, settingsArb, (model, p, amount, s) => {
        if (p.touches.length === 0) return
        const expected = new Map<string, bigint>()
        for (const { touch: t, cents: c, weight } of shareByTouch(model, p, amount, s)) {
          if (weight > 0) expected.set(t.campaignId, (expected.get(t.campaignId) ?? 0n) + c)
        }
        expect(attribute(model, p, amount, s).map((c) => [c.campaignId, c.cents])).toEqual([...expected])
      }),
    )
  })

  it('gives attributeAllModels the same answer as attribute model by model', () => {
    fc.assert(
      fc.property(pathArb, amountArb, settingsArb, (p, amount, s) => {
        const all = attributeAllModels(p, amount, s)
        const one = {} as Record<AttributionModel, CampaignCredit[]>
        for (const model of ATTRIBUTION_MODELS) one[model] = attribute(model, p, amount, s)
        expect(all).toEqual(one)
      }),
      { numRuns: 300 },
    )
  })

  it('does not depend on the order the touches come in, and repeats itself', () => {
    const shuffled = pathArb.chain((p) =>
      fc.tuple(
        fc.constant(p),
        fc.shuffledSubarray([...p.touches], { minLength: p.touches.length, maxLength: p.touches.length }),
      ),
    )
    fc.assert(
      fc.property(shuffled, amountArb, settingsArb, ([p, reordered], amount, s) => {
        const first = attributeAllModels(p, amount, s)
        expect(attributeAllModels({ ...p, touches: reordered }, amount, s)).toEqual(first)
        expect(attributeAllModels(p, amount, s)).toEqual(first)
      }),
      { numRuns: 300 },
    )
  })
})
