import Type from 'typebox'
import { Timestamp, Uuid } from '../../lib/schemas.ts'
import { CONTACT_ROLES } from './contact-roles.table.ts'

export const ContactRoleName = Type.Enum(CONTACT_ROLES, { description: 'The contact\'s part in the deal' })

export const ContactRoleSchema = Type.Object({
  opportunityId: Uuid,
  contactId: Uuid,
  role: ContactRoleName,
  isPrimary: Type.Boolean({ description: 'The primary contact is also the opportunity\'s contactId' }),
  createdAt: Timestamp,
  contact: Type.Object({
    name: Type.String(),
    email: Type.Union([Type.String(), Type.Null()]),
    title: Type.Union([Type.String(), Type.Null()]),
    accountId: Type.Union([Uuid, Type.Null()]),
  }),
}, { $id: 'ContactRole', title: 'ContactRole' })

export const PutContactRoleBody = Type.Object({
  contactId: Uuid,
  role: ContactRoleName,
  isPrimary: Type.Optional(Type.Boolean({ description: 'true makes this contact the primary one (the previous primary stays, as non-primary)' })),
}, { additionalProperties: false })

export const ContactRoleParams = Type.Object({ id: Uuid, contactId: Uuid })
