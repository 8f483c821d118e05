import type { Comparison } from './comparison.ts'

const figures = (model: Comparison['models'][number], revenue: string, cost: string) => ({
  model, attributedRevenue: revenue, attributedWon: 0, attributedPipeline: '0.00',
  roiPct: cost === '0.00' ? null : Math.round(((Number(revenue) - Number(cost)) / Number(cost)) * 10000) / 100,
})

/**
 * 100,000.00 of revenue under three models. Spreads: 展会 60,000.00 (60 % of its highest),
 * 搜索广告 60,000.00 (100 %), 线上研讨会 40,000.00 (100 %).
 */
export function comparisonFixture(): Comparison {
  return {
    models: ['primary_source', 'first_touch', 'u_shaped'],
    from: null,
    to: null,
    totalRevenue: '100000.00',
    campaigns: [
      {
        campaignId: 'c0000000-0000-4000-8000-00000000000a', name: '展会', code: 'EXPO', type: 'trade_show', parentId: null, cost: '10000.00',
        models: [figures('primary_source', '100000.00', '10000.00'), figures('first_touch', '40000.00', '10000.00'), figures('u_shaped', '40000.00', '10000.00')],
        spread: { min: '40000.00', max: '100000.00', range: '60000.00' },
      },
      {
        campaignId: 'c0000000-0000-4000-8000-00000000000b', name: '搜索广告', code: 'SEM', type: 'paid_search', parentId: null, cost: '5000.00',
        models: [figures('primary_source', '0.00', '5000.00'), figures('first_touch', '60000.00', '5000.00'), figures('u_shaped', '20000.00', '5000.00')],
        spread: { min: '0.00', max: '60000.00', range: '60000.00' },
      },
      {
        campaignId: 'c0000000-0000-4000-8000-00000000000c', name: '线上研讨会', code: 'WEB', type: 'webinar', parentId: null, cost: '0.00',
        models: [figures('primary_source', '0.00', '0.00'), figures('first_touch', '0.00', '0.00'), figures('u_shaped', '40000.00', '0.00')],
        spread: { min: '0.00', max: '40000.00', range: '40000.00' },
      },
    ],
    totals: (['primary_source', 'first_touch', 'u_shaped'] as const).map((model) => ({
      model, attributedRevenue: '100000.00', unattributedRevenue: '0.00', totalRevenue: '100000.00',
    })),
  }
}
