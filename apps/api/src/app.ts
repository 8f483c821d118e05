import cors from '@fastify/cors'
import helmet from '@fastify/helmet'
import jwt from '@fastify/jwt'
import rateLimit from '@fastify/rate-limit'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyInstance } from 'fastify'
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type pg from 'pg'
import type { Config } from './config.ts'
import type { Db } from './db/database.ts'
import { ErrorResponse } from './lib/schemas.ts'
import { ticketKey } from './lib/tickets.ts'
import { apiTokensRoutes } from './modules/api-tokens/api-tokens.routes.ts'
import { auditRoutes } from './modules/audit/audit.routes.ts'
import { authRoutes } from './modules/auth/auth.routes.ts'
import { healthRoutes } from './modules/health/health.routes.ts'
import { usersRoutes } from './modules/users/users.routes.ts'
import { leadsRoutes } from './modules/leads/leads.routes.ts'
import { LeadSchema } from './modules/leads/leads.schemas.ts'
import { campaignsRoutes } from './modules/campaigns/campaigns.routes.ts'
import { CampaignSchema } from './modules/campaigns/campaigns.schemas.ts'
import { opportunitiesRoutes } from './modules/opportunities/opportunities.routes.ts'
import { ordersRoutes } from './modules/orders/orders.routes.ts'
import { rollupsRoutes } from './modules/rollups/rollups.routes.ts'
import { accountsRoutes } from './modules/accounts/accounts.routes.ts'
import { AccountSchema } from './modules/accounts/accounts.schemas.ts'
import { contactsRoutes } from './modules/contacts/contacts.routes.ts'
import { eventsRoutes } from './modules/events/events.routes.ts'
import { ContactSchema } from './modules/contacts/contacts.schemas.ts'
import { UserSchema } from './modules/users/users.schemas.ts'
import { ApiTokenSchema } from './modules/api-tokens/api-tokens.schemas.ts'
import { contactRolesRoutes } from './modules/contact-roles/contact-roles.routes.ts'
import { ContactRoleSchema } from './modules/contact-roles/contact-roles.schemas.ts'
import { attributionRoutes } from './modules/attribution/attribution.routes.ts'
import { ModelFiguresSchema } from './modules/attribution/attribution.schemas.ts'
import { touchpointsRoutes } from './modules/touchpoints/touchpoints.routes.ts'
import { TouchpointSchema } from './modules/touchpoints/touchpoints.schemas.ts'
import { campaignMembersRoutes } from './modules/campaign-members/campaign-members.routes.ts'
import { CampaignMemberSchema, MemberStatusFlowSchema } from './modules/campaign-members/campaign-members.schemas.ts'
import { analyticsRoutes } from './modules/analytics/analytics.routes.ts'
import {
  ChannelsSchema, FunnelSchema, LeadTrendSchema, OverviewSchema, RoiViewsSchema, TeamSchema,
} from './modules/analytics/analytics.schemas.ts'
import { costsRoutes } from './modules/costs/costs.routes.ts'
import { CostEntrySchema } from './modules/costs/costs.schemas.ts'
import access from './plugins/access.ts'
import attributionRefresher, { REFRESH_INTERVAL_MS } from './plugins/attribution-refresher.ts'
import changeListener from './plugins/change-listener.ts'
import metrics from './plugins/metrics.ts'
import dbPlugin from './plugins/db.ts'
import errorHandler from './plugins/error-handler.ts'
import openapi from './plugins/openapi.ts'
import web from './plugins/web.ts'

export interface AppOptions {
  config: Config
  db: Db
  /** The pool behind db: the change listener connects with its settings, /metrics reports its usage. */
  pool: pg.Pool
  jwtSecret: string
  /** Where log lines go (stdout when absent); tests read them to check what is redacted. */
  logStream?: { write(line: string): void }
  /** How often attribution catches up between reads; tests shorten it. */
  attributionRefreshMs?: number
}

export const version: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version

// Anything that could carry a secret is replaced before a log line is written, down to the
// depth a logged body or error detail reaches (pino's redaction has no recursive wildcard).
const SECRET_KEYS = ['password', 'oldPassword', 'newPassword', 'refreshToken', 'accessToken', 'token', 'authorization']
const REDACT = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]',
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]),
]

/** Builds the app without listening: main.ts listens, tests inject. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config } = options
  const app = Fastify({
    logger: { level: config.logLevel, redact: { paths: REDACT, censor: '[redacted]' }, ...(options.logStream ? { stream: options.logStream } : {}) },
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  }).withTypeProvider<TypeBoxTypeProvider>()

  // External plugins first.
  await app.register(dbPlugin, { db: options.db, pool: options.pool, config, version, ticketKey: ticketKey(options.jwtSecret) })
  // Ahead of every route, so that all of them are timed (a route only gets the hooks added before it).
  await app.register(changeListener)
  await app.register(attributionRefresher, { intervalMs: options.attributionRefreshMs ?? REFRESH_INTERVAL_MS })
  await app.register(metrics)
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        // Element Plus and ECharts set inline styles; scripts stay same-origin only.
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'upgrade-insecure-requests': null,
      },
    },
    hsts: false,
  })
  if (config.corsOrigins.length > 0) await app.register(cors, { origin: [...config.corsOrigins], credentials: false })
  await app.register(rateLimit, { global: false })
  await app.register(jwt, { secret: options.jwtSecret, sign: { expiresIn: config.accessTokenTtlSeconds } })
  for (const schema of [ErrorResponse, UserSchema, ApiTokenSchema]) app.addSchema(schema)
  for (const schema of [AccountSchema, ContactSchema, CampaignSchema, LeadSchema, TouchpointSchema, ContactRoleSchema, ModelFiguresSchema, CampaignMemberSchema, MemberStatusFlowSchema]) app.addSchema(schema)
  for (const schema of [CostEntrySchema, OverviewSchema, LeadTrendSchema, ChannelsSchema, FunnelSchema, TeamSchema, RoiViewsSchema]) app.addSchema(schema)
  await app.register(openapi)
  await app.register(web)

  // Then the app's own plugins.
  await app.register(errorHandler)
  await app.register(access)
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id)
  })

  // Then the features.
  await app.register(async (api) => {
    await api.register(healthRoutes)
    await api.register(authRoutes)
    await api.register(usersRoutes)
    await api.register(apiTokensRoutes)
    await api.register(auditRoutes)
    await api.register(opportunitiesRoutes)
    await api.register(ordersRoutes)
    await api.register(rollupsRoutes)
    await api.register(accountsRoutes)
    await api.register(contactsRoutes)
    await api.register(campaignsRoutes)
    await api.register(leadsRoutes)
    await api.register(eventsRoutes)
    await api.register(touchpointsRoutes)
    await api.register(campaignMembersRoutes)
    await api.register(contactRolesRoutes)
    await api.register(attributionRoutes)
    await api.register(costsRoutes)
    await api.register(analyticsRoutes)
  }, { prefix: '/api/v1' })

  return app
}
