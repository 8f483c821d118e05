import Type from 'typebox'
import { PageQuery, Timestamp, Uuid } from '../../lib/schemas.ts'

export const PersonTypeSchema = Type.Union([Type.Literal('lead'), Type.Literal('contact')])

const TouchFields = {
  personType: PersonTypeSchema,
  personId: Uuid,
  campaignId: Uuid,
  type: Type.String({
    pattern: '^[a-z][a-z0-9_.:-]{0,63}$',
    description: 'What happened, as a lowercase slug: ad_click, form_submit, email_click, event_attended, …',
    examples: ['ad_click'],
  }),
  occurredAt: Timestamp,
  externalId: Type.Optional(Type.String({
    minLength: 1, maxLength: 200,
    description: 'Your id for this touch: sending it again returns the stored touch instead of a second one',
  })),
  metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Anything you want kept with the touch (UTM tags, URLs)' })),
}

export const TouchpointSchema = Type.Object({
  id: Uuid,
  personType: PersonTypeSchema,
  personId: Uuid,
  leadId: Type.Union([Uuid, Type.Null()], { description: 'The lead this touch came from, kept after the lead is converted' }),
  contactId: Type.Union([Uuid, Type.Null()]),
  campaignId: Uuid,
  type: Type.String(),
  occurredAt: Timestamp,
  externalId: Type.Union([Type.String(), Type.Null()]),
  metadata: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  memberId: Type.Union([Uuid, Type.Null()], { description: 'Set when a campaign member\'s response created it' }),
  createdAt: Timestamp,
}, { $id: 'Touchpoint', title: 'Touchpoint' })

export const CreateTouchpointBody = Type.Object(TouchFields, { additionalProperties: false })

export const MAX_BATCH = 10_000

export const TouchpointBatchBody = Type.Object({
  touchpoints: Type.Array(Type.Object(TouchFields, { additionalProperties: false }), { minItems: 1, maxItems: MAX_BATCH }),
}, { additionalProperties: false })

export const TouchpointBatchResult = Type.Object({
  created: Type.Integer({ description: 'Touches stored by this request' }),
  existing: Type.Integer({ description: 'Touches whose externalId was already stored (or repeated in the batch): left as they were' }),
  ids: Type.Array(Uuid, { description: 'The stored touch of each input, in input order' }),
})

export const TouchpointListQuery = Type.Object({
  ...PageQuery,
  personType: Type.Optional(PersonTypeSchema),
  personId: Type.Optional(Uuid),
  campaignId: Type.Optional(Uuid),
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
}, { additionalProperties: false })
