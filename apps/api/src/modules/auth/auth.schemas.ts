import Type from 'typebox'
import { Email } from '../../lib/schemas.ts'

export const LoginBody = Type.Object({
  email: Email,
  password: Type.String({ minLength: 1, maxLength: 200 }),
}, { additionalProperties: false })

export const RefreshBody = Type.Object({
  refreshToken: Type.String({ minLength: 1, maxLength: 200 }),
}, { additionalProperties: false })

export const SessionResponse = Type.Object({
  accessToken: Type.String({ description: 'JWT; send as Authorization: Bearer <accessToken>' }),
  refreshToken: Type.String({ description: 'Opaque and single-use: exchange it at /auth/refresh for a new pair' }),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer({ description: 'Seconds until the access token expires' }),
  user: Type.Ref('User'),
})
