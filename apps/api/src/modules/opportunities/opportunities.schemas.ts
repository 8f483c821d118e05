import { OPPORTUNITY_STAGES } from '@yardstick/roi-core'
import Type from 'typebox'
import { SortField, SortOrder } from '../../lib/list-query.ts'
import { Money, MoneyInput } from '../../lib/money-input.ts'
import { PageQuery, Timestamp, Uuid } from '../../lib/schemas.ts'
import { OPPORTUNITY_SORTS } from './opportunities.repository.ts'

const NullableUuid = Type.Union([Uuid, Type.Null()])
const CalendarDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' })
const NullableDate = Type.Union([CalendarDate, Type.Null()])
export const StageSchema = Type.Enum(OPPORTUNITY_STAGES, { description: 'prospecting, qualification, proposal, negotiation, won or lost' })
const Probability = Type.Integer({ minimum: 0, maximum: 100, description: 'Win probability in %; defaults per stage' })

export const OpportunitySchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  accountId: NullableUuid,
  contactId: NullableUuid,
  leadId: NullableUuid,
  campaignId: Type.Union([Uuid, Type.Null()], { description: 'The primary campaign source, credited with its orders' }),
  amount: Money,
  stage: StageSchema,
  probability: Probability,
  expectedCloseDate: NullableDate,
  closedAt: Type.Union([Timestamp, Type.Null()]),
  lostReason: Type.Union([Type.String(), Type.Null()]),
  ownerId: NullableUuid,
  createdAt: Timestamp,
  updatedAt: Timestamp,
}, { title: 'Opportunity' })

export const OpportunityListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Search in the name' })),
  stage: Type.Optional(StageSchema),
  campaignId: Type.Optional(Uuid),
  accountId: Type.Optional(Uuid),
  contactId: Type.Optional(Uuid),
  leadId: Type.Optional(Uuid),
  ownerId: Type.Optional(Uuid),
  sort: Type.Optional(SortField(OPPORTUNITY_SORTS)),
  order: Type.Optional(SortOrder),
  ...PageQuery,
}, { additionalProperties: false })

const editable = {
  amount: Type.Optional(MoneyInput),
  accountId: Type.Optional(NullableUuid),
  contactId: Type.Optional(NullableUuid),
  leadId: Type.Optional(NullableUuid),
  campaignId: Type.Optional(Type.Union([Uuid, Type.Null()], { description: 'Changing it moves the revenue of the opportunity\'s orders' })),
  stage: Type.Optional(Type.Enum(OPPORTUNITY_STAGES, { description: 'An open stage; won and lost go through /win and /lose' })),
  probability: Type.Optional(Probability),
  expectedCloseDate: Type.Optional(NullableDate),
  ownerId: Type.Optional(NullableUuid),
}

export const CreateOpportunityBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  ...editable,
}, { additionalProperties: false })

export const UpdateOpportunityBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  ...editable,
}, { additionalProperties: false, minProperties: 1 })

export const WinOpportunityBody = Type.Object({
  orderAmount: Type.Optional(MoneyInput),
  orderDate: Type.Optional(CalendarDate),
}, { additionalProperties: false })

export const LoseOpportunityBody = Type.Object({
  reason: Type.String({ minLength: 1, maxLength: 1000 }),
}, { additionalProperties: false })
