import { CAMPAIGN_STATUSES, CAMPAIGN_TYPES, LEAD_STATUSES } from '@yardstick/roi-core'
import Type from 'typebox'
import { SortField, SortOrder } from '../../lib/list-query.ts'
import { Money, MoneyInput } from '../../lib/money-input.ts'
import { described, PageQuery, Timestamp, Uuid } from '../../lib/schemas.ts'
import { CAMPAIGN_SORTS } from './campaigns.repository.ts'

export const CampaignTypeSchema = Type.Enum(CAMPAIGN_TYPES, { description: CAMPAIGN_TYPES.join(', ') })
export const CampaignStatusSchema = Type.Enum(CAMPAIGN_STATUSES, { description: CAMPAIGN_STATUSES.join(', ') })
const CalendarDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' })
const Pct = Type.Union([Type.Number(), Type.Null()], { description: 'A percentage rounded to two decimals; null when the denominator is zero' })
const NullableMoney = Type.Union([Money, Type.Null()])

export const CampaignSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  code: Type.String(),
  type: CampaignTypeSchema,
  status: CampaignStatusSchema,
  startDate: Type.Union([CalendarDate, Type.Null()]),
  endDate: Type.Union([CalendarDate, Type.Null()]),
  budget: Money,
  actualCost: described(Money, 'Marketing spend: the sum of the campaign\'s cost ledger (/campaigns/:id/costs)'),
  expectedRevenue: Money,
  description: Type.Union([Type.String(), Type.Null()]),
  parentId: Type.Union([Uuid, Type.Null()]),
  ownerId: Type.Union([Uuid, Type.Null()]),
  actualRevenue: Type.String({ description: 'Sum of the confirmed orders attributed to this campaign' }),
  achievementPct: Pct,
  roiPct: Pct,
  createdAt: Timestamp,
  updatedAt: Timestamp,
}, { $id: 'Campaign', title: 'Campaign' })

const Code = Type.String({
  minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$',
  description: 'Unique short code (letters, digits, - _ .), case-insensitive; used for tracking',
})

const CampaignFields = {
  status: Type.Optional(CampaignStatusSchema),
  startDate: Type.Optional(Type.Union([CalendarDate, Type.Null()])),
  endDate: Type.Optional(Type.Union([CalendarDate, Type.Null()])),
  budget: Type.Optional(MoneyInput),
  expectedRevenue: Type.Optional(MoneyInput),
  description: Type.Optional(Type.Union([Type.String({ maxLength: 10_000 }), Type.Null()])),
  parentId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  ownerId: Type.Optional(Type.Union([Uuid, Type.Null()], { description: 'Defaults to you' })),
}

export const CreateCampaignBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  code: Code,
  type: CampaignTypeSchema,
  ...CampaignFields,
  actualCost: Type.Optional(described(MoneyInput, 'Spend so far: recorded as the campaign\'s first cost entry (category other, dated on startDate or today)')),
}, { additionalProperties: false })

export const UpdateCampaignBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  code: Type.Optional(Code),
  type: Type.Optional(CampaignTypeSchema),
  ...CampaignFields,
  actualCost: Type.Optional(described(MoneyInput, 'The sum of the cost ledger: only its current value is accepted; change the entries at /campaigns/:id/costs')),
}, { additionalProperties: false, minProperties: 1 })

export const CampaignListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Search in name and code' })),
  type: Type.Optional(CampaignTypeSchema),
  status: Type.Optional(CampaignStatusSchema),
  ownerId: Type.Optional(Uuid),
  parentId: Type.Optional(Uuid),
  startDateFrom: Type.Optional(Type.String({ format: 'date', description: 'Campaigns starting on or after this day' })),
  startDateTo: Type.Optional(Type.String({ format: 'date', description: 'Campaigns starting on or before this day' })),
  sort: Type.Optional(SortField(CAMPAIGN_SORTS)),
  order: Type.Optional(SortOrder),
  ...PageQuery,
}, { additionalProperties: false })

const Count = Type.Integer({ minimum: 0 })

export const CampaignRoiSchema = Type.Object({
  cost: Money,
  budget: Money,
  expectedRevenue: Money,
  actualRevenue: Money,
  achievementPct: Pct,
  roiPct: Pct,
  leads: Type.Object({
    total: Count,
    byStatus: Type.Object(Object.fromEntries(LEAD_STATUSES.map((s) => [s, Count])) as Record<(typeof LEAD_STATUSES)[number], typeof Count>),
    valid: Count,
    validRate: Pct,
  }),
  opportunities: Type.Object({
    total: Count,
    open: Count,
    won: Count,
    lost: Count,
    pipelineAmount: Money,
    weightedPipelineAmount: Money,
    wonAmount: Money,
    winRate: Pct,
  }),
  orders: Type.Object({ count: Count, revenue: Money }),
  leadToOpportunityRate: Pct,
  costPerLead: NullableMoney,
  costPerOpportunity: NullableMoney,
  costPerWon: NullableMoney,
  avgDaysLeadToWon: Type.Union([Type.Number(), Type.Null()], { description: 'Days, rounded to two decimals; null when nothing was won' }),
  hierarchy: Type.Object({
    campaigns: Count,
    cost: Money,
    expectedRevenue: Money,
    actualRevenue: Money,
    leads: Count,
    opportunities: Count,
    wonOpportunities: Count,
    wonAmount: Money,
    achievementPct: Pct,
    roiPct: Pct,
  }, { description: 'Totals over this campaign and all its sub-campaigns (any depth), each record counted once' }),
}, { title: 'CampaignRoi' })
