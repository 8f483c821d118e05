import { divRound, moneyPerUnit, pct } from './ratio.ts'
import type { LeadStatus } from './vocabulary.ts'

/** What the database aggregates for one campaign; money in cents. */
export interface CampaignAggregates {
  costCents: bigint
  budgetCents: bigint
  expectedRevenueCents: bigint
  actualRevenueCents: bigint
  leads: { total: number; byStatus: Record<LeadStatus, number> }
  /** Leads converted to an opportunity. */
  leadsConverted: number
  opportunities: {
    total: number
    open: number
    won: number
    lost: number
    pipelineCents: bigint
    weightedPipelineCents: bigint
    wonCents: bigint
  }
  orders: { count: number; revenueCents: bigint }
  avgDaysLeadToWon: number | null
}

/** The body of `GET /campaigns/:id/roi`, money still in cents; rates are `null` when undefined. */
export interface CampaignMetrics {
  cost: bigint
  budget: bigint
  expectedRevenue: bigint
  actualRevenue: bigint
  achievementPct: number | null
  roiPct: number | null
  leads: { total: number; byStatus: Record<LeadStatus, number>; valid: number; validRate: number | null }
  opportunities: {
    total: number
    open: number
    won: number
    lost: number
    pipelineAmount: bigint
    weightedPipelineAmount: bigint
    wonAmount: bigint
    winRate: number | null
  }
  orders: { count: number; revenue: bigint }
  leadToOpportunityRate: number | null
  costPerLead: bigint | null
  costPerOpportunity: bigint | null
  costPerWon: bigint | null
  avgDaysLeadToWon: number | null
}

export interface HeadlineFigures {
  achievementPct: number | null
  roiPct: number | null
}

/**
 * The two figures a campaign list row shows: achievement (actual ÷ expected revenue) and
 * ROI ((actual revenue − cost) ÷ cost), as percentages.
 *
 * @example
 * ```ts
 * headlineFigures({ costCents: 4000000n, expectedRevenueCents: 20000000n, actualRevenueCents: 10000000n })
 * // { achievementPct: 50, roiPct: 150 }
 * headlineFigures({ costCents: 0n, expectedRevenueCents: 0n, actualRevenueCents: 500n })
 * // { achievementPct: null, roiPct: null }
 * ```
 */
export function headlineFigures(input: {
  costCents: bigint
  expectedRevenueCents: bigint
  actualRevenueCents: bigint
}): HeadlineFigures {
  return {
    achievementPct: pct(input.actualRevenueCents, input.expectedRevenueCents),
    roiPct: pct(input.actualRevenueCents - input.costCents, input.costCents),
  }
}

/**
 * Turns a campaign's aggregates into its ROI report, with the glossary's formulas.
 *
 * @example
 * ```ts
 * const m = campaignMetrics({
 *   costCents: 4000000n, budgetCents: 5000000n,                       // spent 40,000.00
 *   expectedRevenueCents: 20000000n, actualRevenueCents: 10000000n,   // 100,000.00 of 200,000.00
 *   leads: { total: 120, byStatus: { new: 30, contacted: 20, qualified: 25, disqualified: 15, converted: 30 } },
 *   leadsConverted: 30,
 *   opportunities: { total: 40, open: 25, won: 9, lost: 6, pipelineCents: 0n, weightedPipelineCents: 0n, wonCents: 0n },
 *   orders: { count: 12, revenueCents: 10000000n },
 *   avgDaysLeadToWon: 41.5,
 * })
 * m.achievementPct           // 50
 * m.roiPct                   // 150
 * m.leads.valid              // 105, validRate 87.5
 * m.opportunities.winRate    // 60     (9 ÷ 15)
 * m.leadToOpportunityRate    // 25
 * m.costPerLead              // 33333n  (333.33)
 * m.costPerWon               // 444444n (4,444.44)
 * ```
 */
export function campaignMetrics(input: CampaignAggregates): CampaignMetrics {
  const { leads, opportunities: opps } = input
  const valid = leads.total - leads.byStatus.disqualified
  const cost = input.costCents
  return {
    cost,
    budget: input.budgetCents,
    expectedRevenue: input.expectedRevenueCents,
    actualRevenue: input.actualRevenueCents,
    ...headlineFigures(input),
    leads: {
      total: leads.total,
      byStatus: { ...leads.byStatus },
      valid,
      validRate: pct(BigInt(valid), BigInt(leads.total)),
    },
    opportunities: {
      total: opps.total,
      open: opps.open,
      won: opps.won,
      lost: opps.lost,
      pipelineAmount: opps.pipelineCents,
      weightedPipelineAmount: opps.weightedPipelineCents,
      wonAmount: opps.wonCents,
      winRate: pct(BigInt(opps.won), BigInt(opps.won + opps.lost)),
    },
    orders: { count: input.orders.count, revenue: input.orders.revenueCents },
    leadToOpportunityRate: pct(BigInt(input.leadsConverted), BigInt(leads.total)),
    costPerLead: moneyPerUnit(cost, leads.total),
    costPerOpportunity: moneyPerUnit(cost, opps.total),
    costPerWon: moneyPerUnit(cost, opps.won),
    avgDaysLeadToWon: input.avgDaysLeadToWon,
  }
}

/**
 * An opportunity's amount weighted by its win probability (an integer percentage), exact to the
 * cent with half-up rounding, so the weighted pipeline is a sum of cents rather than of floats.
 *
 * @example
 * ```ts
 * weightedAmount(1000000n, 25) // 250000n  (10,000.00 at 25% = 2,500.00)
 * weightedAmount(333n, 50)     // 167n     (1.665 rounds to 1.67)
 * weightedAmount(999n, 0)      // 0n
 * ```
 */
export function weightedAmount(amountCents: bigint, probabilityPct: number): bigint {
  if (!Number.isInteger(probabilityPct) || probabilityPct < 0 || probabilityPct > 100) {
    throw new RangeError(`probability must be an integer from 0 to 100, got ${probabilityPct}`)
  }
  return divRound(amountCents * BigInt(probabilityPct), 100n)
}
