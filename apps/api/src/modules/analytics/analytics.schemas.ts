import Type from 'typebox'
import { Money } from '../../lib/money-input.ts'
import { described, Uuid } from '../../lib/schemas.ts'
import { AttributionModelSchema } from '../attribution/attribution.schemas.ts'
import { CampaignTypeSchema } from '../campaigns/campaigns.schemas.ts'

const DateOnly = Type.String({ format: 'date', description: 'YYYY-MM-DD, inclusive' })
const Count = Type.Integer({ minimum: 0 })
const Interval = Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')])
const GroupBy = Type.Union([Type.Literal('none'), Type.Literal('type'), Type.Literal('campaign')])
const Pct = Type.Union([Type.Number(), Type.Null()], { description: 'A percentage rounded to two decimals; null when the denominator is zero' })
const NullableMoney = Type.Union([Money, Type.Null()], { description: 'null when the denominator is zero' })
const PerTenThousand = Type.Union([Type.Number(), Type.Null()], { description: 'Per 10,000 of cost, two decimals; null without cost' })

/** The filters every analytics endpoint takes. */
export const FilterFields = {
  from: Type.Optional(Type.String({ format: 'date', description: 'First day (inclusive); defaults to 29 days before `to`' })),
  to: Type.Optional(Type.String({ format: 'date', description: 'Last day (inclusive); defaults to today in CRM_TIME_ZONE' })),
  type: Type.Optional(CampaignTypeSchema),
  campaignId: Type.Optional(described(Uuid, 'This campaign and its sub-campaigns at any depth')),
  ownerId: Type.Optional(described(Uuid, 'Campaigns owned by this user (in `team`: this salesperson\'s own records)')),
}

const ModelField = {
  model: Type.Optional(described(AttributionModelSchema,
    'How revenue is credited to campaigns; primary_source (default) is each order\'s campaign, as in actualRevenue')),
}

export const OverviewQuery = Type.Object({ ...FilterFields, ...ModelField }, { additionalProperties: false })
export const LeadTrendQuery = Type.Object({
  ...FilterFields,
  interval: Type.Optional(described(Interval, 'Bucket size (default day); weeks start on Monday')),
}, { additionalProperties: false })
export const ChannelsQuery = Type.Object({ ...FilterFields, ...ModelField }, { additionalProperties: false })
export const FunnelQuery = Type.Object({
  ...FilterFields,
  groupBy: Type.Optional(described(GroupBy, 'One funnel overall (default), one per campaign type, or one per campaign')),
}, { additionalProperties: false })
export const TeamQuery = Type.Object({ ...FilterFields }, { additionalProperties: false })
export const RoiViewsQuery = Type.Object({
  ...FilterFields,
  ...ModelField,
  horizonMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 120, description: 'Long-term ROI counts a won customer\'s confirmed orders for this many months after the win (default 12)' })),
}, { additionalProperties: false })

const Period = Type.Object({ from: DateOnly, to: DateOnly })

const ChangePct = Type.Union([Type.Number(), Type.Null()], { description: 'change ÷ previous × 100, two decimals; null when previous is zero' })
const MoneyKpi = Type.Object({ value: Money, previous: Money, change: Money, changePct: ChangePct })
const CountKpi = Type.Object({ value: Count, previous: Count, change: Type.Integer(), changePct: ChangePct })
const PctKpi = Type.Object({
  value: Pct, previous: Pct,
  change: Type.Union([Type.Number(), Type.Null()], { description: 'In percentage points; null when either is null' }),
})

export const OverviewSchema = Type.Object({
  period: Period,
  previousPeriod: described(Period, 'The equal period just before'),
  model: AttributionModelSchema,
  cost: described(MoneyKpi, 'Cost entries dated in the period'),
  revenue: described(MoneyKpi, 'Revenue credited to the campaigns in the period under `model`'),
  expectedRevenue: described(MoneyKpi, 'Each campaign\'s expected revenue spread evenly over its run, the part falling in the period'),
  roiPct: described(PctKpi, '(revenue − cost) ÷ cost'),
  achievementPct: described(PctKpi, 'revenue ÷ expectedRevenue'),
  leads: described(CountKpi, 'Leads created in the period'),
  opportunities: described(CountKpi, 'Opportunities created in the period'),
  wonDeals: described(CountKpi, 'Opportunities won in the period'),
}, { $id: 'AnalyticsOverview', title: 'AnalyticsOverview' })

export const LeadTrendSchema = Type.Object({
  period: Period,
  interval: Interval,
  buckets: Type.Array(DateOnly, { description: 'First day of each bucket, oldest first; the first and last may be cut by the period' }),
  series: Type.Array(Type.Object({
    type: CampaignTypeSchema,
    counts: Type.Array(Count, { description: 'New leads per bucket, aligned with buckets' }),
    total: Count,
  }), { description: 'One per campaign type that has campaigns in scope' }),
  totals: Type.Array(Count, { description: 'All types together, per bucket' }),
}, { $id: 'AnalyticsLeadTrend', title: 'AnalyticsLeadTrend' })

const ChannelFigures = {
  cost: Money,
  leads: Count,
  validLeadRate: described(Pct, 'Leads not disqualified ÷ leads'),
  opportunities: Count,
  wins: Count,
  revenue: Money,
  leadToOpportunityRate: described(Pct, 'Leads (created in the period) converted to an opportunity ÷ leads'),
  winRate: described(Pct, 'Won ÷ (won + lost), closed in the period'),
  costPerLead: NullableMoney,
  costPerWon: NullableMoney,
  roiPct: described(Pct, '(revenue − cost) ÷ cost'),
}

export const ChannelsSchema = Type.Object({
  period: Period,
  model: AttributionModelSchema,
  channels: Type.Array(Type.Object({ type: CampaignTypeSchema, campaigns: Count, ...ChannelFigures }), {
    description: 'One row per campaign type that has campaigns in scope, by revenue, highest first',
  }),
  total: Type.Object(ChannelFigures),
}, { $id: 'AnalyticsChannels', title: 'AnalyticsChannels' })

export const FUNNEL_STAGES = ['leads', 'qualified', 'opportunities', 'won'] as const

export const FunnelSchema = Type.Object({
  period: Period,
  groupBy: GroupBy,
  groups: Type.Array(Type.Object({
    key: Type.Union([Type.String(), Type.Null()], { description: 'null (overall), the campaign type or the campaign id' }),
    label: Type.Union([Type.String(), Type.Null()], { description: 'The campaign\'s name when grouped by campaign' }),
    stages: Type.Array(Type.Object({
      stage: Type.Union([Type.Literal('leads'), Type.Literal('qualified'), Type.Literal('opportunities'), Type.Literal('won')]),
      count: Count,
      rateFromPrevious: described(Pct, 'count ÷ the previous stage\'s count'),
      rateFromFirst: described(Pct, 'count ÷ leads'),
    })),
  })),
}, {
  $id: 'AnalyticsFunnel', title: 'AnalyticsFunnel',
  description: 'The leads created in the period, followed: qualified (or converted), converted to an opportunity, that opportunity won',
})

export const TeamSchema = Type.Object({
  period: Period,
  members: Type.Array(Type.Object({
    ownerId: Uuid,
    name: Type.String(),
    leads: described(Count, 'Leads owned, created in the period'),
    opportunities: described(Count, 'Opportunities owned, created in the period'),
    wins: described(Count, 'Opportunities owned, won in the period'),
    winRate: Pct,
    revenue: described(Money, 'Confirmed orders owned, dated in the period'),
    medianDaysLeadToWon: Type.Union([Type.Number(), Type.Null()], { description: 'Of the wins: days from the lead\'s creation (the opportunity\'s, without a lead) to the win, one decimal' }),
    medianFirstResponseHours: Type.Union([Type.Number(), Type.Null()], { description: 'Of the leads: hours from creation to the first status change, one decimal' }),
  }), { description: 'Everyone with a record in the period, by revenue, highest first' }),
}, { $id: 'AnalyticsTeam', title: 'AnalyticsTeam' })

const RoiFigures = {
  cost: Money,
  revenue: Money,
  revenueRoiPct: described(Pct, '(revenue − cost) ÷ cost'),
  short: Type.Object({
    leads: Count,
    costPerLead: NullableMoney,
    leadRoi: described(PerTenThousand, 'Leads per 10,000 of cost (线索ROI)'),
  }, { description: 'Short term (短期): lead acquisition, how many leads and at what cost' }),
  medium: Type.Object({
    opportunities: described(Count, 'Opportunities created in the period'),
    leadToOpportunityRate: described(Pct, 'The period\'s leads converted to an opportunity ÷ its leads'),
    wins: described(Count, 'Opportunities won in the period'),
    winRate: described(Pct, 'Won ÷ (won + lost), closed in the period'),
    avgDaysLeadToWon: Type.Union([Type.Number(), Type.Null()], { description: 'Mean days from the lead\'s creation (the opportunity\'s, without a lead) to the win, two decimals' }),
    customersWon: described(Count, 'Distinct accounts of the opportunities won'),
    conversionRoi: described(PerTenThousand, 'Customers won per 10,000 of cost (转化ROI)'),
  }, { description: 'Medium term (中期): opportunity conversion, how many, how fast and how often won' }),
  long: Type.Object({
    lifetimeRevenue: described(Money, 'All confirmed orders of the customers won, from each first win for horizonMonths'),
    lifetimeRoiPct: described(Pct, '(lifetimeRevenue − cost) ÷ cost (长期ROI)'),
  }, { description: 'Long term (长期): the customers\' lifetime value' }),
}

export const RoiViewsSchema = Type.Object({
  period: Period,
  model: AttributionModelSchema,
  horizonMonths: Type.Integer(),
  total: Type.Object(RoiFigures, { description: 'All campaigns in scope over the period; a customer won by two campaigns counts once' }),
  campaigns: Type.Array(Type.Object({
    campaignId: Uuid,
    name: Type.String(),
    code: Type.String(),
    type: CampaignTypeSchema,
    ...RoiFigures,
  }), { description: 'Each campaign in scope over the period, by revenue, highest first' }),
}, { $id: 'AnalyticsRoiViews', title: 'AnalyticsRoiViews' })
