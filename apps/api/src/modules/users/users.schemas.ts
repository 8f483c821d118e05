import Type from 'typebox'
import { Email, PageQuery, Password, Timestamp, Uuid } from '../../lib/schemas.ts'
import { ROLES } from '../../lib/permissions.ts'

export const RoleSchema = Type.Enum(ROLES, { description: 'admin, marketing, sales or viewer' })
export const LocaleSchema = Type.Union([Type.Literal('zh-CN'), Type.Literal('en')])

export const UserSchema = Type.Object({
  id: Uuid,
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  active: Type.Boolean(),
  locale: LocaleSchema,
  lastLoginAt: Type.Union([Timestamp, Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
}, { $id: 'User', title: 'User' })

export const UserListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Search in name and email' })),
  role: Type.Optional(RoleSchema),
  active: Type.Optional(Type.Boolean()),
  ...PageQuery,
}, { additionalProperties: false })

export const CreateUserBody = Type.Object({
  email: Email,
  name: Type.String({ minLength: 1, maxLength: 200 }),
  role: RoleSchema,
  password: Type.Optional(Password),
}, { additionalProperties: false })

export const UpdateUserBody = Type.Object({
  email: Type.Optional(Email),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  role: Type.Optional(RoleSchema),
  active: Type.Optional(Type.Boolean()),
  locale: Type.Optional(LocaleSchema),
}, { additionalProperties: false, minProperties: 1 })

export const UpdateMeBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  locale: Type.Optional(LocaleSchema),
}, { additionalProperties: false, minProperties: 1 })

export const ResetPasswordBody = Type.Object({
  password: Type.Optional(Password),
}, { additionalProperties: false })

export const GeneratedPasswordResponse = Type.Object({
  generatedPassword: Type.Optional(Type.String({ description: 'Only when the server generated the password; shown this once' })),
})

export const ChangePasswordBody = Type.Object({
  oldPassword: Type.String({ minLength: 1, maxLength: 200 }),
  newPassword: Password,
}, { additionalProperties: false })

export const CreatedUserResponse = Type.Object({
  user: Type.Ref('User'),
  generatedPassword: Type.Optional(Type.String()),
})


export const DirectorySchema = Type.Object({
  items: Type.Array(Type.Object({
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    role: RoleSchema,
    active: Type.Boolean(),
  }), { description: 'Every user by name, deactivated ones included (they still own records)' }),
})
