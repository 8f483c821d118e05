import Type from 'typebox'
import { SortField, SortOrder } from '../../lib/list-query.ts'
import { PageQuery, Timestamp, Uuid } from '../../lib/schemas.ts'
import { ACCOUNT_SORTS } from './accounts.repository.ts'

const Text = (maxLength: number) => Type.Union([Type.String({ maxLength }), Type.Null()])
const Name = Type.String({ minLength: 1, maxLength: 200 })

export const AccountSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  industry: Type.Union([Type.String(), Type.Null()]),
  size: Type.Union([Type.String(), Type.Null()]),
  region: Type.Union([Type.String(), Type.Null()]),
  website: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  address: Type.Union([Type.String(), Type.Null()]),
  ownerId: Type.Union([Uuid, Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  contactCount: Type.Optional(Type.Integer({ description: 'Only on GET /accounts/:id' })),
  opportunityCount: Type.Optional(Type.Integer({ description: 'Only on GET /accounts/:id' })),
  orderCount: Type.Optional(Type.Integer({ description: 'Only on GET /accounts/:id' })),
}, { $id: 'Account', title: 'Account' })

/** The editable fields of an account; also what lead conversion takes to create one. */
export const AccountFields = {
  industry: Type.Optional(Text(200)),
  size: Type.Optional(Text(100)),
  region: Type.Optional(Text(200)),
  website: Type.Optional(Text(500)),
  phone: Type.Optional(Text(100)),
  address: Type.Optional(Text(1000)),
  ownerId: Type.Optional(Type.Union([Uuid, Type.Null()], { description: 'Defaults to you' })),
}

export const CreateAccountBody = Type.Object({ name: Name, ...AccountFields }, { additionalProperties: false })

export const UpdateAccountBody = Type.Object(
  { name: Type.Optional(Name), ...AccountFields },
  { additionalProperties: false, minProperties: 1 },
)

export const AccountListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Search in the name' })),
  industry: Type.Optional(Type.String({ maxLength: 200 })),
  size: Type.Optional(Type.String({ maxLength: 100 })),
  region: Type.Optional(Type.String({ maxLength: 200 })),
  ownerId: Type.Optional(Uuid),
  sort: Type.Optional(SortField(ACCOUNT_SORTS)),
  order: Type.Optional(SortOrder),
  ...PageQuery,
}, { additionalProperties: false })
