import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { errors, IdParams, Page } from '../../lib/schemas.ts'
import * as users from './users.service.ts'
import {
  ChangePasswordBody, CreatedUserResponse, CreateUserBody, DirectorySchema, GeneratedPasswordResponse, ResetPasswordBody,
  UpdateMeBody, UpdateUserBody, UserListQuery,
} from './users.schemas.ts'

const tags = ['users']
const User = Type.Ref('User')

export const usersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/users', {
    config: { access: 'users:manage' },
    schema: { tags, summary: 'List users', querystring: UserListQuery, response: { 200: Page(User), ...errors(400, 401, 403) } },
  }, async (request) => {
    const { limit = 50, offset = 0, ...filter } = request.query
    return users.listUsers(app.db, { ...filter, limit, offset })
  })

  app.get('/users/directory', {
    config: { access: 'authenticated' },
    schema: {
      tags, summary: 'Every user\'s name and role, for showing who owns a record',
      description: 'Open to every role: names only, no emails or login details.',
      response: { 200: DirectorySchema, ...errors(401) },
    },
  }, async () => users.listDirectory(app.db))

  app.post('/users', {
    config: { access: 'users:manage' },
    schema: {
      tags, summary: 'Create a user', description: 'Without a password, one is generated and returned once.',
      body: CreateUserBody, response: { 201: CreatedUserResponse, ...errors(400, 401, 403, 409) },
    },
  }, async (request, reply) => reply.status(201).send(await users.createUser(app.db, request.ctx, request.body)))

  app.get('/users/:id', {
    config: { access: 'users:manage' },
    schema: { tags, summary: 'Get a user', params: IdParams, response: { 200: User, ...errors(400, 401, 403, 404) } },
  }, async (request) => users.getUser(app.db, request.params.id))

  app.patch('/users/:id', {
    config: { access: 'users:manage' },
    schema: {
      tags, summary: 'Update a user', description: 'Setting active to false deactivates the user and ends every session.',
      params: IdParams, body: UpdateUserBody, response: { 200: User, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (request) => users.updateUser(app.db, request.ctx, request.params.id, request.body))

  app.post('/users/:id/deactivate', {
    config: { access: 'users:manage' },
    schema: { tags, summary: 'Deactivate a user and end every session', params: IdParams, response: { 200: User, ...errors(400, 401, 403, 404, 409) } },
  }, async (request) => users.updateUser(app.db, request.ctx, request.params.id, { active: false }))

  app.post('/users/:id/reset-password', {
    config: { access: 'users:manage' },
    schema: {
      tags, summary: 'Reset a user\'s password', description: 'Without a password, one is generated and returned once. Ends every session of the user.',
      params: IdParams, body: ResetPasswordBody, response: { 200: GeneratedPasswordResponse, ...errors(400, 401, 403, 404) },
    },
  }, async (request) => users.resetPassword(app.db, request.ctx, request.params.id, request.body.password))

  app.get('/me', {
    config: { access: 'authenticated' },
    schema: { tags: ['me'], summary: 'The signed-in user (for an API token: the admin who created it)', response: { 200: User, ...errors(401) } },
  }, async (request) => users.getUser(app.db, request.ctx.actor.userId!))

  app.patch('/me', {
    config: { access: 'authenticated' },
    schema: { tags: ['me'], summary: 'Update my name or language', body: UpdateMeBody, response: { 200: User, ...errors(400, 401) } },
  }, async (request) => users.updateUser(app.db, request.ctx, request.ctx.actor.userId!, request.body))

  app.post('/me/password', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['me'], summary: 'Change my password', description: 'Needs the current password. Ends every other session; log in again afterwards.',
      body: ChangePasswordBody, response: { 204: Type.Null(), ...errors(400, 401, 403) },
    },
  }, async (request, reply) => {
    await users.changeOwnPassword(app.db, request.ctx, request.body.oldPassword, request.body.newPassword)
    return reply.status(204).send(null)
  })
}
