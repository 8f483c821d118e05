import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { decodeUnit, encodeUnit, SHARE_SCALE, TotalsDelta, unitCredits, type Unit } from './attribution.credits.ts'

const CAMPAIGNS = ['c-a', 'c-b', 'c-c', 'c-d']

const arbitraryUnit = fc.record({
  touches: fc.array(fc.record({ campaign: fc.constantFrom(...CAMPAIGNS), at: fc.integer({ min: 0, max: 1e9 }) }), { maxLength: 12 }),
  primary: fc.option(fc.constantFrom(...CAMPAIGNS), { nil: null }),
  lead: fc.option(fc.integer({ min: 0, max: 1e9 }), { nil: null }),
  amount: fc.bigInt({ min: 0n, max: 10n ** 14n }),
  won: fc.boolean(),
  creditedOn: fc.option(fc.constantFrom('2026-01-01', '2026-02-01'), { nil: null }),
}).map(({ touches, primary, lead, amount, won, creditedOn }): Unit => ({
  id: 'u', measure: 'revenue', creditedOn, won, amountCents: amount,
  touches: touches.map((t, i) => `t${i} ${t.campaign} ${t.at}`).join(','),
  primaryCampaignId: primary, leadCreatedAt: lead, opportunityCreatedAt: 7e8,
}))

describe('unit credits', () => {
  it('give every model the whole amount and a whole unit of share, over the campaigns', () => {
    fc.assert(fc.property(arbitraryUnit, (unit) => {
      const credits = unitCredits(unit, 7)
      for (let model = 0; model < 11; model++) {
        expect(credits.reduce((sum, c) => sum + c.cents[model]!, 0n)).toBe(unit.amountCents)
        // Each campaign's share is rounded to 10^-10 on its own: the sum is one within that.
        expect(Math.abs(credits.reduce((sum, c) => sum + c.shares[model]!, 0) - SHARE_SCALE)).toBeLessThanOrEqual(credits.length)
      }
    }))
  })
})

describe('a stored unit', () => {
  it('comes back as it was stored, with the half-life it was shared out with', () => {
    fc.assert(fc.property(arbitraryUnit, fc.constantFrom(7, 3.5, 30), (unit, halfLifeDays) => {
      const stored = { id: unit.id, measure: unit.measure, creditedOn: unit.creditedOn, won: unit.won, inputs: encodeUnit(unit, halfLifeDays) }
      expect(decodeUnit(stored)).toEqual({ unit, halfLifeDays })
    }))
  })
})

describe('TotalsDelta', () => {
  it('cancels out when a unit is added and, once stored, taken back, whatever came between', () => {
    fc.assert(fc.property(arbitraryUnit, arbitraryUnit, (first, second) => {
      const delta = new TotalsDelta()
      delta.add(first, unitCredits(first, 7), 1)
      delta.add(second, unitCredits(second, 3.5), 1)
      for (const [unit, halfLife] of [[second, 3.5], [first, 7]] as const) {
        const back = decodeUnit({ id: unit.id, measure: unit.measure, creditedOn: unit.creditedOn, won: unit.won, inputs: encodeUnit(unit, halfLife) })
        delta.add(back.unit, unitCredits(back.unit, back.halfLifeDays), -1)
      }
      expect([...delta.lines()]).toEqual([])
    }))
  })

  it('writes one line per campaign, measure, date and won, in the totals columns', () => {
    const delta = new TotalsDelta()
    const unit: Unit = {
      id: 'u', measure: 'pipeline', creditedOn: null, won: false, amountCents: 100n,
      touches: '', primaryCampaignId: null, leadCreatedAt: null, opportunityCreatedAt: null,
    }
    delta.add(unit, unitCredits(unit, 7), 1)
    delta.add(unit, unitCredits(unit, 7), 1)
    expect([...delta.lines()]).toEqual([`\\N\tpipeline\t\\N\tf\t${Array(11).fill('200').join('\t')}\t${Array(11).fill(String(2 * SHARE_SCALE)).join('\t')}`])
  })
})
