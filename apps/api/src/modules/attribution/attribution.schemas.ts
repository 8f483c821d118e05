import { ATTRIBUTION_MODELS } from '@yardstick/roi-core'
import Type from 'typebox'
import { Money } from '../../lib/money-input.ts'
import { CampaignTypeSchema } from '../campaigns/campaigns.schemas.ts'

// Money's pattern, for fields that need their own description.
const MONEY_PATTERN = '^-?\\d+\\.\\d{2}$'
const DateOnly = Type.String({ format: 'date', description: 'YYYY-MM-DD, inclusive' })

export const AttributionModelSchema = Type.Enum(ATTRIBUTION_MODELS, {
  description: 'primary_source, first_touch, last_touch, linear, u_shaped (40/20/40), w_shaped (30/30/30 + 10), '
    + 'full_path (22.5 × 4 + 10), time_decay, u_shaped_lead (40 first / 40 lead creation / 20), j_shaped (20/60/20), inverse_j (60/20/20)',
})

const Range = {
  from: Type.Optional(DateOnly),
  to: Type.Optional(DateOnly),
}

export const CampaignAttributionQuery = Type.Object({
  model: Type.Optional(AttributionModelSchema),
  ...Range,
}, { additionalProperties: false })

export const ModelFiguresSchema = Type.Object({
  model: AttributionModelSchema,
  attributedRevenue: Money,
  attributedWon: Type.Number({ description: 'Won opportunities credited to the campaign, fractional (4 decimals)' }),
  attributedPipeline: Money,
  roiPct: Type.Union([Type.Number(), Type.Null()], { description: '(attributedRevenue − actualCost) ÷ actualCost × 100; null without cost' }),
}, { $id: 'AttributionFigures', title: 'AttributionFigures' })

export const CompareQuery = Type.Object({
  models: Type.Optional(Type.String({
    pattern: `^(${ATTRIBUTION_MODELS.join('|')})(,(${ATTRIBUTION_MODELS.join('|')}))*$`,
    description: 'Comma-separated model ids; all models when omitted',
    examples: ['primary_source,first_touch,u_shaped'],
  })),
  type: Type.Optional(CampaignTypeSchema),
  ...Range,
}, { additionalProperties: false })

const FiguresRef = Type.Ref('AttributionFigures')

export const ComparisonSchema = Type.Object({
  models: Type.Array(AttributionModelSchema),
  from: Type.Union([DateOnly, Type.Null()]),
  to: Type.Union([DateOnly, Type.Null()]),
  totalRevenue: Type.String({ pattern: MONEY_PATTERN, description: 'Confirmed order revenue in the range, read from the orders: every model\'s totalRevenue equals it' }),
  campaigns: Type.Array(Type.Object({
    campaignId: Type.String(),
    name: Type.String(),
    code: Type.String(),
    type: Type.String(),
    parentId: Type.Union([Type.String(), Type.Null()]),
    cost: Money,
    models: Type.Array(FiguresRef),
    spread: Type.Object({ min: Money, max: Money, range: Money }, { description: 'Lowest and highest attributed revenue across the models asked for' }),
  })),
  totals: Type.Array(Type.Object({
    model: AttributionModelSchema,
    attributedRevenue: Money,
    unattributedRevenue: Type.String({ pattern: MONEY_PATTERN, description: 'Revenue with neither a counted touch nor a campaign' }),
    totalRevenue: Money,
  })),
})

export const SettingsSchema = Type.Object({
  lookbackDays: Type.Integer({ minimum: 0, maximum: 3650, description: 'Touches count from the opportunity\'s creation minus this many days' }),
  halfLifeDays: Type.Number({ exclusiveMinimum: 0, maximum: 3650, description: 'time_decay: a touch this many days older weighs half' }),
  updatedAt: Type.String({ format: 'date-time' }),
})

export const UpdateSettingsBody = Type.Object({
  lookbackDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
  halfLifeDays: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 3650, multipleOf: 0.01 })),
}, { additionalProperties: false, minProperties: 1 })

export const RefreshResultSchema = Type.Object({
  units: Type.Integer({ description: 'Opportunities and stand-alone orders recomputed' }),
  full: Type.Boolean(),
  durationMs: Type.Number(),
})
