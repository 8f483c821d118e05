import Type from 'typebox'
import { Timestamp, Uuid } from '../../lib/schemas.ts'
import { RoleSchema } from '../users/users.schemas.ts'

export const ApiTokenSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  role: RoleSchema,
  tokenPrefix: Type.String({ description: 'The first characters of the token, to tell tokens apart' }),
  createdBy: Uuid,
  createdAt: Timestamp,
  expiresAt: Type.Union([Timestamp, Type.Null()]),
  lastUsedAt: Type.Union([Timestamp, Type.Null()]),
  revokedAt: Type.Union([Timestamp, Type.Null()]),
}, { $id: 'ApiToken', title: 'ApiToken' })

export const CreateApiTokenBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  role: RoleSchema,
  expiresAt: Type.Optional(Type.String({ format: 'date-time', description: 'Never expires when absent' })),
}, { additionalProperties: false })


export const ApiTokenListQuery = Type.Object({
  includeRevoked: Type.Optional(Type.Boolean({ default: false })),
}, { additionalProperties: false })
