import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { errors } from '../../lib/schemas.ts'
import { login, logout, refresh, type SessionDeps } from './auth.service.ts'
import { LoginBody, RefreshBody, SessionResponse } from './auth.schemas.ts'

const tags = ['auth']

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps: SessionDeps = {
    db: app.db,
    signAccessToken: (claims) => app.jwt.sign(claims),
    accessTokenTtlSeconds: app.config.accessTokenTtlSeconds,
    refreshTokenTtlDays: app.config.refreshTokenTtlDays,
  }
  // Per IP; the per-account lock after repeated failures lives in the service (it must hold across processes).
  const rateLimit = { max: 20, timeWindow: '1 minute' }

  app.post('/auth/login', {
    config: { access: 'public', rateLimit },
    schema: {
      tags, summary: 'Log in with email and password', security: [],
      description: 'Wrong email and wrong password give the same 401. Five failures within 15 minutes lock the account for 15 minutes (429 with Retry-After).',
      body: LoginBody, response: { 200: SessionResponse, ...errors(400, 401, 429) },
    },
  }, async (request) => login(deps, request.body.email, request.body.password))

  app.post('/auth/refresh', {
    config: { access: 'public', rateLimit },
    schema: {
      tags, summary: 'Exchange a refresh token for a new token pair', security: [],
      description: 'The refresh token is single-use; replaying a used one ends the whole session.',
      body: RefreshBody, response: { 200: SessionResponse, ...errors(400, 401, 429) },
    },
  }, async (request) => refresh(deps, request.body.refreshToken))

  app.post('/auth/logout', {
    config: { access: 'public', rateLimit },
    schema: { tags, summary: 'End the session of a refresh token', security: [], body: RefreshBody, response: { 204: Type.Null(), ...errors(400, 429) } },
  }, async (request, reply) => {
    await logout(app.db, request.body.refreshToken)
    return reply.status(204).send(null)
  })
}
