import type { Channels, Funnel, GroupBy, LeadTrend, Overview, RoiViews, Team } from './types.ts'

// What the analytics endpoints answer for a small CRM, typed against the generated client so
// a change of the API's shape breaks the tests that use them.

export const PERIOD = { from: '2026-10-25', to: '2026-11-23' }
export const EXPO = '22222222-2222-4222-8222-222222222222'
export const SEARCH = '33333333-3333-4333-8333-333333333333'
export const CHEN = '44444444-4444-4444-8444-444444444444'

export function overviewFixture(revenue = '120000.00'): Overview {
  return {
    period: PERIOD,
    previousPeriod: { from: '2026-09-25', to: '2026-10-24' },
    model: 'primary_source',
    cost: { value: '25000.00', previous: '20000.00', change: '5000.00', changePct: 25 },
    revenue: { value: revenue, previous: '100000.00', change: '20000.00', changePct: 20 },
    expectedRevenue: { value: '0.00', previous: '125000.00', change: '-125000.00', changePct: -100 },
    roiPct: { value: 380, previous: 400, change: -20 },
    achievementPct: { value: null, previous: 80, change: null },
    leads: { value: 42, previous: 0, change: 42, changePct: null },
    opportunities: { value: 10, previous: 12, change: -2, changePct: -16.67 },
    wonDeals: { value: 3, previous: 3, change: 0, changePct: 0 },
  }
}

export function leadTrendFixture(interval: LeadTrend['interval'] = 'day'): LeadTrend {
  return {
    period: PERIOD,
    interval,
    buckets: ['2026-10-25', '2026-10-26', '2026-10-27'],
    series: [
      { type: 'trade_show', counts: [3, 0, 2], total: 5 },
      { type: 'paid_search', counts: [1, 4, 0], total: 5 },
    ],
    totals: [4, 4, 2],
  }
}

export function channelsFixture(): Channels {
  return {
    period: PERIOD,
    model: 'primary_source',
    channels: [
      {
        type: 'trade_show', campaigns: 2, cost: '20000.00', leads: 30, validLeadRate: 90, opportunities: 8, wins: 2, revenue: '100000.00',
        leadToOpportunityRate: 26.67, winRate: 50, costPerLead: '666.67', costPerWon: '10000.00', roiPct: 400,
      },
      {
        type: 'paid_search', campaigns: 1, cost: '5000.00', leads: 12, validLeadRate: 75, opportunities: 2, wins: 0, revenue: '0.00',
        leadToOpportunityRate: 16.67, winRate: null, costPerLead: '416.67', costPerWon: null, roiPct: -100,
      },
    ],
    total: {
      cost: '25000.00', leads: 42, validLeadRate: 85.71, opportunities: 10, wins: 2, revenue: '100000.00',
      leadToOpportunityRate: 23.81, winRate: 50, costPerLead: '595.24', costPerWon: '12500.00', roiPct: 300,
    },
  }
}

const stages = (leads: number, qualified: number, opportunities: number, won: number): Funnel['groups'][number]['stages'] => {
  const rate = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10000) / 100)
  return [
    { stage: 'leads', count: leads, rateFromPrevious: null, rateFromFirst: rate(leads, leads) },
    { stage: 'qualified', count: qualified, rateFromPrevious: rate(qualified, leads), rateFromFirst: rate(qualified, leads) },
    { stage: 'opportunities', count: opportunities, rateFromPrevious: rate(opportunities, qualified), rateFromFirst: rate(opportunities, leads) },
    { stage: 'won', count: won, rateFromPrevious: rate(won, opportunities), rateFromFirst: rate(won, leads) },
  ]
}

export function funnelFixture(groupBy: GroupBy = 'none'): Funnel {
  if (groupBy === 'none') return { period: PERIOD, groupBy, groups: [{ key: null, label: null, stages: stages(42, 20, 10, 2) }] }
  if (groupBy === 'type') {
    return {
      period: PERIOD, groupBy, groups: [
        { key: 'trade_show', label: null, stages: stages(30, 16, 8, 2) },
        { key: 'paid_search', label: null, stages: stages(12, 4, 2, 0) },
      ],
    }
  }
  return { period: PERIOD, groupBy, groups: [{ key: EXPO, label: '2026 上海工业博览会', stages: stages(30, 16, 8, 2) }] }
}

export function teamFixture(): Team {
  return {
    period: PERIOD,
    members: [
      { ownerId: CHEN, name: '陈静', leads: 20, opportunities: 6, wins: 2, winRate: 66.67, revenue: '100000.00', medianDaysLeadToWon: 12.5, medianFirstResponseHours: 3.2 },
      { ownerId: '55555555-5555-4555-8555-555555555555', name: 'Li, "Lei"', leads: 22, opportunities: 4, wins: 0, winRate: null, revenue: '25000.00', medianDaysLeadToWon: null, medianFirstResponseHours: null },
    ],
  }
}

export function roiViewsFixture(horizonMonths = 12): RoiViews {
  const figures = {
    cost: '25000.00', revenue: '100000.00', revenueRoiPct: 300,
    short: { leads: 42, costPerLead: '595.24', leadRoi: 16.8 },
    medium: { opportunities: 10, leadToOpportunityRate: 23.81, wins: 2, winRate: 66.67, avgDaysLeadToWon: 12.5, customersWon: 2, conversionRoi: 0.8 },
    long: { lifetimeRevenue: '150000.00', lifetimeRoiPct: 500 },
  }
  return {
    period: PERIOD,
    model: 'primary_source',
    horizonMonths,
    total: figures,
    campaigns: [
      { campaignId: EXPO, name: '2026 上海工业博览会', code: 'EXPO-2026-SH', type: 'trade_show', ...figures, cost: '20000.00', revenueRoiPct: 400 },
      { campaignId: SEARCH, name: '=HYPERLINK("http://evil.example")', code: 'SEM-01', type: 'paid_search', ...figures, revenue: '0.00', revenueRoiPct: -100 },
    ],
  }
}
