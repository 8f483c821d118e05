import { LEAD_STATUSES } from '@yardstick/roi-core'
import Type from 'typebox'
import { PageQuery, Timestamp, Uuid } from '../../lib/schemas.ts'
import { CampaignTypeSchema } from '../campaigns/campaigns.schemas.ts'
import { PersonTypeSchema } from '../touchpoints/touchpoints.schemas.ts'

/** The most people one request adds or changes: by ids, or matched by a filter. */
export const MAX_BULK = 10_000
export const MAX_FLOW_STATUSES = 20
export const MEMBER_STATUS_PATTERN = '^[a-z][a-z0-9_]{0,39}$'

const MemberStatus = (description = 'A status of the flow of the campaign\'s type (GET /member-status-flows)') =>
  Type.String({ pattern: MEMBER_STATUS_PATTERN, description, examples: ['registered'] })
const DescribedUuid = (description: string) => Type.String({ format: 'uuid', description })
const NullableText = Type.Union([Type.String(), Type.Null()])

export const FlowStatusSchema = Type.Object({
  status: Type.String(),
  position: Type.Integer({ description: 'Funnel order, from 0' }),
  responded: Type.Boolean({ description: 'Reaching this status counts as a response: the member\'s first one becomes a touchpoint' }),
})

export const MemberStatusFlowSchema = Type.Object({
  campaignType: CampaignTypeSchema,
  statuses: Type.Array(FlowStatusSchema),
}, { $id: 'MemberStatusFlow', title: 'MemberStatusFlow' })

export const MemberStatusFlowList = Type.Object({ items: Type.Array(Type.Ref('MemberStatusFlow')) })

export const FlowParams = Type.Object({ campaignType: CampaignTypeSchema })

export const UpdateFlowBody = Type.Object({
  statuses: Type.Array(Type.Object({
    status: MemberStatus('A lowercase slug: a-z, 0-9 and _, starting with a letter'),
    responded: Type.Boolean(),
  }, { additionalProperties: false }), { minItems: 1, maxItems: MAX_FLOW_STATUSES, description: 'In funnel order; the first is where new members start' }),
}, { additionalProperties: false })

export const CampaignMemberSchema = Type.Object({
  id: Uuid,
  campaignId: Uuid,
  personType: PersonTypeSchema,
  personId: Uuid,
  name: Type.String(),
  email: NullableText,
  company: Type.Union([Type.String(), Type.Null()], { description: 'The lead\'s company, or the contact\'s account name' }),
  status: Type.String(),
  statusChangedAt: Timestamp,
  respondedAt: Type.Union([Timestamp, Type.Null()], { description: 'When the member first reached a responded status' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
}, { $id: 'CampaignMember', title: 'CampaignMember' })

export const CampaignMemberDetailSchema = Type.Object({
  ...CampaignMemberSchema.properties,
  history: Type.Array(Type.Object({
    status: Type.String(),
    changedAt: Timestamp,
    changedBy: Type.Union([Uuid, Type.Null()], { description: 'The user who made the change; null once that user is gone or for system changes' }),
  }), { description: 'Every status the member has had, oldest first' }),
})

export const MemberParams = Type.Object({ id: Uuid, memberId: Uuid })

export const MemberListQuery = Type.Object({
  status: Type.Optional(Type.String({ maxLength: 40 })),
  personType: Type.Optional(PersonTypeSchema),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Search in name, email and company' })),
  ...PageQuery,
}, { additionalProperties: false })

export const MemberSummarySchema = Type.Object({
  campaignType: CampaignTypeSchema,
  statuses: Type.Array(Type.Object({
    status: Type.String(),
    position: Type.Union([Type.Integer(), Type.Null()], { description: 'null for a status members still have that the flow no longer holds' }),
    responded: Type.Boolean(),
    count: Type.Integer(),
  }), { description: 'The flow in funnel order, then statuses no longer in the flow' }),
  total: Type.Integer({ description: 'All members' }),
  responded: Type.Integer({ description: 'Members who have reached a responded status' }),
})

export const AddMemberBody = Type.Object({
  personType: PersonTypeSchema,
  personId: Uuid,
  status: Type.Optional(MemberStatus('Defaults to the first status of the flow of the campaign\'s type')),
}, { additionalProperties: false })

export const BulkAddBody = Type.Object({
  personType: PersonTypeSchema,
  personIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: MAX_BULK })),
  filter: Type.Optional(Type.Object({
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Leads: name, company or email; contacts: name or email' })),
    status: Type.Optional(Type.Enum(LEAD_STATUSES, { description: 'Leads only: the lead\'s status' })),
    campaignId: Type.Optional(DescribedUuid('Leads only: the campaign the lead came from')),
    ownerId: Type.Optional(DescribedUuid('Leads only: the lead\'s owner')),
    accountId: Type.Optional(DescribedUuid('Contacts only: the contact\'s account')),
  }, { additionalProperties: false, description: `Everyone matching, at most ${MAX_BULK}` })),
  status: Type.Optional(MemberStatus('Defaults to the first status of the flow of the campaign\'s type')),
}, { additionalProperties: false })

export const BulkAddResponse = Type.Object({
  added: Type.Integer({ description: 'People who became members' }),
  alreadyMembers: Type.Integer({ description: 'People asked for who were members already: left as they were' }),
})

export const UpdateMemberBody = Type.Object({ status: MemberStatus() }, { additionalProperties: false })

export const BulkStatusBody = Type.Object({
  memberIds: Type.Array(Uuid, { minItems: 1, maxItems: MAX_BULK }),
  status: MemberStatus(),
}, { additionalProperties: false })

export const BulkStatusResponse = Type.Object({ updated: Type.Integer({ description: 'Members whose status changed' }) })
