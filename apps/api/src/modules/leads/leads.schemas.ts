import { LEAD_STATUSES } from '@yardstick/roi-core'
import Type from 'typebox'
import { SortField, SortOrder } from '../../lib/list-query.ts'
import { MoneyInput } from '../../lib/money-input.ts'
import { Email, PageQuery, Timestamp, Uuid } from '../../lib/schemas.ts'
import { AccountFields } from '../accounts/accounts.schemas.ts'
import { ContactFields } from '../contacts/contacts.schemas.ts'
import { LEAD_SORTS } from './leads.repository.ts'

export const LeadStatusSchema = Type.Enum(LEAD_STATUSES, { description: `${LEAD_STATUSES.join(', ')}; converted is set by POST /leads/:id/convert only` })
const Text = (maxLength: number) => Type.Union([Type.String({ maxLength }), Type.Null()])
const NullableId = Type.Union([Uuid, Type.Null()])
const NullableText = Type.Union([Type.String(), Type.Null()])
const Name = Type.String({ minLength: 1, maxLength: 200 })

export const LeadSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  company: NullableText,
  email: NullableText,
  phone: NullableText,
  title: NullableText,
  industry: NullableText,
  region: NullableText,
  campaignId: Type.Union([Uuid, Type.Null()], { description: 'The campaign the lead came from' }),
  status: LeadStatusSchema,
  disqualifiedReason: NullableText,
  ownerId: NullableId,
  convertedAt: Type.Union([Timestamp, Type.Null()]),
  firstResponseAt: Type.Union([Timestamp, Type.Null()], { description: 'When the lead\'s status first changed: the first response, for response-time figures' }),
  convertedAccountId: NullableId,
  convertedContactId: NullableId,
  convertedOpportunityId: NullableId,
  utmSource: NullableText,
  utmMedium: NullableText,
  utmCampaign: NullableText,
  utmTerm: NullableText,
  utmContent: NullableText,
  referrer: Type.Union([Type.String(), Type.Null()], { description: 'The page that sent the person to the form that first captured the lead' }),
  trackingCode: Type.Union([Type.String(), Type.Null()], { description: 'The coupon, promo code or hotline the lead came with' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
}, { $id: 'Lead', title: 'Lead', description: 'utm* and referrer are kept as they arrived when the lead was first captured (web form or import)' })

const LeadFields = {
  company: Type.Optional(Text(200)),
  email: Type.Optional(Type.Union([Email, Type.Null()])),
  phone: Type.Optional(Text(100)),
  title: Type.Optional(Text(200)),
  industry: Type.Optional(Text(200)),
  region: Type.Optional(Text(200)),
  campaignId: Type.Optional(NullableId),
  status: Type.Optional(LeadStatusSchema),
  disqualifiedReason: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()], { description: 'Required when status is disqualified' })),
  ownerId: Type.Optional(Type.Union([Uuid, Type.Null()], { description: 'Defaults to you' })),
}

export const CreateLeadBody = Type.Object({ name: Name, ...LeadFields }, { additionalProperties: false })

export const UpdateLeadBody = Type.Object({ name: Type.Optional(Name), ...LeadFields }, { additionalProperties: false, minProperties: 1 })

export const LeadListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Search in name, company and email' })),
  status: Type.Optional(LeadStatusSchema),
  campaignId: Type.Optional(Uuid),
  ownerId: Type.Optional(Uuid),
  industry: Type.Optional(Type.String({ maxLength: 200 })),
  region: Type.Optional(Type.String({ maxLength: 200 })),
  sort: Type.Optional(SortField(LEAD_SORTS)),
  order: Type.Optional(SortOrder),
  ...PageQuery,
}, { additionalProperties: false })

export const BulkAssignBody = Type.Object({
  leadIds: Type.Array(Uuid, { minItems: 1, maxItems: 1000, uniqueItems: true }),
  ownerId: Type.Union([Uuid, Type.Null()], { description: 'The new owner; null leaves the leads unassigned' }),
}, { additionalProperties: false })

export const BulkAssignResponse = Type.Object({ updated: Type.Integer({ description: 'How many leads changed owner' }) })

export const ConvertLeadBody = Type.Object({
  accountId: Type.Optional(Type.String({ format: 'uuid', description: 'Reuse this account instead of creating one' })),
  account: Type.Optional(Type.Object({
    name: Type.Optional(Name),
    ...AccountFields,
  }, { additionalProperties: false, description: 'Create the account with these fields; the name defaults to the lead\'s company, else its name' })),
  contactId: Type.Optional(Type.String({ format: 'uuid', description: 'Reuse this contact instead of creating one from the lead' })),
  contact: Type.Optional(Type.Object({
    name: Type.Optional(Name),
    ...ContactFields,
  }, { additionalProperties: false, description: 'Overrides for the contact created from the lead' })),
  opportunity: Type.Optional(Type.Object({
    name: Name,
    amount: MoneyInput,
    expectedCloseDate: Type.Optional(Type.Union([Type.String({ format: 'date' }), Type.Null()])),
  }, { additionalProperties: false, description: 'Creates an opportunity sourced from the lead\'s campaign' })),
}, { additionalProperties: false })

export const ConvertLeadResponse = Type.Object({
  accountId: Uuid,
  contactId: Uuid,
  opportunityId: NullableId,
})
