import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { campaignMetrics, headlineFigures, weightedAmount } from './campaign-metrics.ts'
import type { CampaignAggregates } from './campaign-metrics.ts'
import { DEFAULT_STAGE_PROBABILITY, OPPORTUNITY_STAGES } from './vocabulary.ts'

// A trade show: 40,000.00 spent of a 50,000.00 budget, 100,000.00 earned of 200,000.00 expected.
const tradeShow: CampaignAggregates = {
  costCents: 4000000n,
  budgetCents: 5000000n,
  expectedRevenueCents: 20000000n,
  actualRevenueCents: 10000000n,
  leads: { total: 120, byStatus: { new: 30, contacted: 20, qualified: 25, disqualified: 15, converted: 30 } },
  leadsConverted: 30,
  opportunities: {
    total: 40,
    open: 25,
    won: 9,
    lost: 6,
    pipelineCents: 30000000n,
    weightedPipelineCents: 12500000n,
    wonCents: 10000000n,
  },
  orders: { count: 12, revenueCents: 10000000n },
  avgDaysLeadToWon: 41.5,
}

const nothingYet: CampaignAggregates = {
  costCents: 0n,
  budgetCents: 0n,
  expectedRevenueCents: 0n,
  actualRevenueCents: 0n,
  leads: { total: 0, byStatus: { new: 0, contacted: 0, qualified: 0, disqualified: 0, converted: 0 } },
  leadsConverted: 0,
  opportunities: { total: 0, open: 0, won: 0, lost: 0, pipelineCents: 0n, weightedPipelineCents: 0n, wonCents: 0n },
  orders: { count: 0, revenueCents: 0n },
  avgDaysLeadToWon: null,
}

describe('campaignMetrics', () => {
  it('reports a campaign with the glossary formulas', () => {
    expect(campaignMetrics(tradeShow)).toEqual({
      cost: 4000000n,
      budget: 5000000n,
      expectedRevenue: 20000000n,
      actualRevenue: 10000000n,
      achievementPct: 50, // 100,000 ÷ 200,000
      roiPct: 150, // (100,000 − 40,000) ÷ 40,000
      leads: {
        total: 120,
        byStatus: { new: 30, contacted: 20, qualified: 25, disqualified: 15, converted: 30 },
        valid: 105, // 120 − 15 disqualified
        validRate: 87.5,
      },
      opportunities: {
        total: 40,
        open: 25,
        won: 9,
        lost: 6,
        pipelineAmount: 30000000n,
        weightedPipelineAmount: 12500000n,
        wonAmount: 10000000n,
        winRate: 60, // 9 ÷ (9 + 6)
      },
      orders: { count: 12, revenue: 10000000n },
      leadToOpportunityRate: 25, // 30 ÷ 120
      costPerLead: 33333n, // 40,000.00 ÷ 120 = 333.333…
      costPerOpportunity: 100000n, // 40,000.00 ÷ 40
      costPerWon: 444444n, // 40,000.00 ÷ 9 = 4,444.444…
      avgDaysLeadToWon: 41.5,
    })
  })

  it('shows a loss as a negative ROI', () => {
    const m = campaignMetrics({ ...tradeShow, actualRevenueCents: 1000000n })
    expect(m.roiPct).toBe(-75) // (10,000 − 40,000) ÷ 40,000
    expect(m.achievementPct).toBe(5)
  })

  it('leaves every rate empty for a campaign with nothing in it yet', () => {
    const m = campaignMetrics(nothingYet)
    expect(m.achievementPct).toBeNull()
    expect(m.roiPct).toBeNull()
    expect(m.leads.validRate).toBeNull()
    expect(m.opportunities.winRate).toBeNull()
    expect(m.leadToOpportunityRate).toBeNull()
    expect(m.costPerLead).toBeNull()
    expect(m.costPerOpportunity).toBeNull()
    expect(m.costPerWon).toBeNull()
    expect(m.avgDaysLeadToWon).toBeNull()
  })

  it('has no win rate while every opportunity is still open', () => {
    const m = campaignMetrics({ ...tradeShow, opportunities: { ...tradeShow.opportunities, open: 40, won: 0, lost: 0 } })
    expect(m.opportunities.winRate).toBeNull()
    expect(m.costPerWon).toBeNull()
    expect(m.costPerOpportunity).toBe(100000n)
  })

  it('does not share the status counts with its input', () => {
    const m = campaignMetrics(tradeShow)
    m.leads.byStatus.new = 999
    expect(tradeShow.leads.byStatus.new).toBe(30)
  })
})

describe('headlineFigures', () => {
  it('gives the achievement and ROI a campaign list row shows', () => {
    expect(
      headlineFigures({ costCents: 4000000n, expectedRevenueCents: 20000000n, actualRevenueCents: 10000000n }),
    ).toEqual({ achievementPct: 50, roiPct: 150 })
  })

  it('agrees with the full report', () => {
    const { achievementPct, roiPct } = campaignMetrics(tradeShow)
    expect(headlineFigures(tradeShow)).toEqual({ achievementPct, roiPct })
  })

  it('is empty when there is neither an expectation nor a cost', () => {
    expect(headlineFigures({ costCents: 0n, expectedRevenueCents: 0n, actualRevenueCents: 500n })).toEqual({
      achievementPct: null,
      roiPct: null,
    })
  })
})

describe('weightedAmount', () => {
  it('weights an amount by its probability, exact to the cent', () => {
    expect(weightedAmount(1000000n, 25)).toBe(250000n)
    expect(weightedAmount(333n, 50)).toBe(167n) // 1.665 → 1.67
    expect(weightedAmount(333n, 10)).toBe(33n) // 0.333 → 0.33
    expect(weightedAmount(999n, 0)).toBe(0n)
    expect(weightedAmount(999n, 100)).toBe(999n)
  })

  it('rejects a probability outside 0..100 or with decimals', () => {
    expect(() => weightedAmount(100n, -1)).toThrow(RangeError)
    expect(() => weightedAmount(100n, 101)).toThrow(RangeError)
    expect(() => weightedAmount(100n, 12.5)).toThrow(RangeError)
  })

  it('is within half a cent of amount × probability', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 18n - 1n }), fc.integer({ min: 0, max: 100 }), (amount, p) => {
        const weighted = weightedAmount(amount, p)
        const error = weighted * 100n - amount * BigInt(p)
        expect(error >= -50n && error <= 50n).toBe(true)
        expect(weighted <= amount).toBe(true)
      }),
    )
  })
})

describe('DEFAULT_STAGE_PROBABILITY', () => {
  it('rises through the open stages and ends at 100 for won and 0 for lost', () => {
    expect(OPPORTUNITY_STAGES.map((stage) => DEFAULT_STAGE_PROBABILITY[stage])).toEqual([10, 25, 50, 75, 100, 0])
  })
})
