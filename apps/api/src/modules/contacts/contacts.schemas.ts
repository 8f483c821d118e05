import Type from 'typebox'
import { SortField, SortOrder } from '../../lib/list-query.ts'
import { Email, PageQuery, Timestamp, Uuid } from '../../lib/schemas.ts'
import { CONTACT_SORTS } from './contacts.repository.ts'

const Text = (maxLength: number) => Type.Union([Type.String({ maxLength }), Type.Null()])
const Name = Type.String({ minLength: 1, maxLength: 200 })

export const ContactSchema = Type.Object({
  id: Uuid,
  accountId: Type.Union([Uuid, Type.Null()]),
  name: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  title: Type.Union([Type.String(), Type.Null()]),
  ownerId: Type.Union([Uuid, Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  opportunityCount: Type.Optional(Type.Integer({ description: 'Only on GET /contacts/:id' })),
}, { $id: 'Contact', title: 'Contact' })

/** The editable fields of a contact besides its name; also what lead conversion takes to create one. */
export const ContactFields = {
  email: Type.Optional(Type.Union([Email, Type.Null()])),
  phone: Type.Optional(Text(100)),
  title: Type.Optional(Text(200)),
  ownerId: Type.Optional(Type.Union([Uuid, Type.Null()], { description: 'Defaults to you' })),
}

export const CreateContactBody = Type.Object({
  name: Name,
  accountId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  ...ContactFields,
}, { additionalProperties: false })

export const UpdateContactBody = Type.Object({
  name: Type.Optional(Name),
  accountId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  ...ContactFields,
}, { additionalProperties: false, minProperties: 1 })

export const ContactListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Search in name and email' })),
  accountId: Type.Optional(Uuid),
  ownerId: Type.Optional(Uuid),
  email: Type.Optional(Type.String({ maxLength: 254, description: 'Exact email, any case' })),
  sort: Type.Optional(SortField(CONTACT_SORTS)),
  order: Type.Optional(SortOrder),
  ...PageQuery,
}, { additionalProperties: false })
