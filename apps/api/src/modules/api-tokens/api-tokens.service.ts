import type { Kysely } from 'kysely'
import { EventEmitter } from 'node:events'
import type { Database } from '../../db/database.ts'
import { notFound, invalidState } from '../../errors.ts'
import type { RequestContext } from '../../lib/context.ts'
import type { Role } from '../../lib/permissions.ts'
import { randomToken, sha256 } from '../../lib/secrets.ts'
import { recordAudit } from '../audit/audit.service.ts'
import * as repo from './api-tokens.repository.ts'

/** Every API token starts with this, so the access check can tell it from a JWT at a glance. */
export const API_TOKEN_PREFIX = 'ys_'

type TokenRow = NonNullable<Awaited<ReturnType<typeof repo.findApiTokenById>>>

export const toApiToken = (row: TokenRow) => ({
  id: row.id,
  name: row.name,
  role: row.role,
  tokenPrefix: row.token_prefix,
  createdBy: row.created_by,
  createdAt: row.created_at.toISOString(),
  expiresAt: row.expires_at?.toISOString() ?? null,
  lastUsedAt: row.last_used_at?.toISOString() ?? null,
  revokedAt: row.revoked_at?.toISOString() ?? null,
})

export async function createApiToken(db: Kysely<Database>, ctx: RequestContext, input: { name: string; role: Role; expiresAt?: string }) {
  if (!ctx.actor.userId) throw invalidState('API tokens are created by a user')
  const secret = `${API_TOKEN_PREFIX}${randomToken(30)}`
  return db.transaction().execute(async (trx) => {
    const row = await repo.insertApiToken(trx, {
      name: input.name.trim(),
      role: input.role,
      tokenHash: sha256(secret),
      tokenPrefix: secret.slice(0, 10),
      createdBy: ctx.actor.userId!,
      expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
    })
    const token = toApiToken(row)
    await recordAudit(trx, ctx, { entity: 'api_token', entityId: row.id, action: 'create', after: token })
    return { ...token, token: secret }
  })
}

export async function listApiTokens(db: Kysely<Database>, includeRevoked: boolean) {
  return (await repo.listApiTokens(db, includeRevoked)).map(toApiToken)
}

export async function revokeApiToken(db: Kysely<Database>, ctx: RequestContext, id: string) {
  return db.transaction().execute(async (trx) => {
    const row = await repo.revokeApiToken(trx, id)
    if (!row) {
      if (await repo.findApiTokenById(trx, id)) throw invalidState('This token is already revoked')
      throw notFound('API token', id)
    }
    await recordAudit(trx, ctx, { entity: 'api_token', entityId: id, action: 'revoke', changes: { revokedAt: { before: null, after: row.revoked_at?.toISOString() ?? null } } })
    return toApiToken(row)
  }).finally(() => apiTokenChanges.emit('changed', id))
}

export interface ApiTokenIdentity {
  tokenId: string
  name: string
  role: Role
  createdBy: string
  expiresAt: Date | null
}

// last_used_at is for humans; writing it on every request would cost a write per call.
const TOUCH_INTERVAL_MS = 60_000

/**
 * The identity behind a raw token, or null when it is unknown, revoked or expired. A token is
 * only as good as the admin who issued it: it stops working when they are deactivated or lose
 * the admin role, so no token outlives its issuer's authority.
 */
export async function authenticateApiToken(db: Kysely<Database>, secret: string): Promise<ApiTokenIdentity | null> {
  const row = await repo.findUsableApiToken(db, sha256(secret))
  if (!row || !row.creator_active || row.creator_role !== 'admin') return null
  if (row.expires_at && row.expires_at <= new Date()) return null
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > TOUCH_INTERVAL_MS) {
    await repo.touchApiToken(db, row.id)
  }
  return { tokenId: row.id, name: row.name, role: row.role, createdBy: row.created_by, expiresAt: row.expires_at }
}

/** Tells the access checks in this process that a token was revoked. */
export const apiTokenChanges = new EventEmitter<{ changed: [tokenId: string] }>()
