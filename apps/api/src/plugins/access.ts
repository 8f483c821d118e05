import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { DomainError } from '../errors.ts'
import type { Actor, RequestContext } from '../lib/context.ts'
import { type Access, roleAllows } from '../lib/permissions.ts'
import { API_TOKEN_PREFIX, apiTokenChanges, authenticateApiToken, type ApiTokenIdentity } from '../modules/api-tokens/api-tokens.service.ts'
import type { AccessTokenClaims } from '../modules/auth/auth.service.ts'
import { getAuthState, userChanges, type AuthState } from '../modules/users/users.service.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the route needs; see lib/permissions.ts. Required on every /api/v1 route. */
    access?: Access
  }
  interface FastifyInstance {
    /** Every /api/v1 route with what it declared: the role-matrix test walks this. */
    routeAccess: ReadonlyArray<{ method: string; url: string; access: Access | undefined }>
  }
  interface FastifyRequest {
    /** Set by the access check on every route that is not public. */
    ctx: RequestContext
  }
}

/**
 * Several processes share one database, so what is cached here may be up to this old when
 * another process deactivates a user or revokes a token; in this process it is dropped at once.
 */
const CACHE_TTL_MS = 5_000

class TtlCache<T> {
  private readonly entries = new Map<string, { value: T; expires: number }>()
  get(key: string): T | undefined {
    const hit = this.entries.get(key)
    if (!hit) return undefined
    if (hit.expires < Date.now()) {
      this.entries.delete(key)
      return undefined
    }
    return hit.value
  }
  set(key: string, value: T): void {
    if (this.entries.size > 10_000) this.entries.clear()
    this.entries.set(key, { value, expires: Date.now() + CACHE_TTL_MS })
  }
  delete(key: string): void {
    this.entries.delete(key)
  }
  clear(): void {
    this.entries.clear()
  }
}

const unauthorized = (message: string, code: 'unauthorized' | 'token_expired' | 'token_invalid' = 'unauthorized') =>
  new DomainError(401, code, message, undefined, { 'www-authenticate': 'Bearer' })

/**
 * One hook checks every route against what it declares. A /api/v1 route declaring nothing
 * stops the app from starting, so nothing is left open by accident.
 */
export default fp(async function access(app: FastifyInstance) {
  const users = new TtlCache<AuthState | null>()
  const tokens = new TtlCache<ApiTokenIdentity | null>()
  const onUserChanged = (userId: string) => {
    users.delete(userId)
    tokens.clear()
  }
  const onTokenChanged = () => tokens.clear()
  userChanges.on('changed', onUserChanged)
  apiTokenChanges.on('changed', onTokenChanged)
  app.addHook('onClose', async () => {
    userChanges.off('changed', onUserChanged)
    apiTokenChanges.off('changed', onTokenChanged)
  })

  const routeAccess: { method: string; url: string; access: Access | undefined }[] = []
  app.decorate('routeAccess', routeAccess)
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1')) return
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routeAccess.push({ method, url: route.url, access: route.config?.access })
    }
  })
  app.addHook('onReady', async () => {
    const undeclared = routeAccess.filter((r) => r.access === undefined)
    if (undeclared.length > 0) {
      throw new Error(`Routes without an access declaration: ${undeclared.map((r) => `${r.method} ${r.url}`).join(', ')}`)
    }
  })

  async function authenticate(request: FastifyRequest): Promise<{ actor: Actor; expiresAt: Date | null }> {
    const header = request.headers.authorization
    if (!header) throw unauthorized('Log in or send an API token: Authorization: Bearer <token>')
    const match = /^Bearer\s+(\S+)$/i.exec(header)
    if (!match?.[1]) throw unauthorized('The Authorization header must be "Bearer <token>"', 'token_invalid')
    const token = match[1]

    if (token.startsWith(API_TOKEN_PREFIX)) {
      let identity = tokens.get(token)
      if (identity === undefined) {
        identity = await authenticateApiToken(app.db, token)
        tokens.set(token, identity)
      }
      // The cached identity may outlive the token's expiry by a few seconds: check it on every use.
      if (!identity || (identity.expiresAt && identity.expiresAt <= new Date())) {
        throw unauthorized('This API token is unknown, revoked or expired', 'token_invalid')
      }
      return {
        actor: { userId: identity.createdBy, role: identity.role, tokenId: identity.tokenId, label: `token:${identity.name}` },
        expiresAt: identity.expiresAt,
      }
    }

    let claims: AccessTokenClaims & { exp?: number }
    try {
      claims = app.jwt.verify<AccessTokenClaims & { exp?: number }>(token)
    } catch (error) {
      const code = (error as { code?: string }).code ?? ''
      if (code.includes('EXPIRED')) throw unauthorized('The access token has expired; refresh it or log in again', 'token_expired')
      throw unauthorized('The access token is not valid', 'token_invalid')
    }
    let state = users.get(claims.sub)
    if (state === undefined) {
      state = await getAuthState(app.db, claims.sub)
      users.set(claims.sub, state)
    }
    if (!state?.active || state.tokenVersion !== claims.tv) {
      throw unauthorized('This session has ended (password changed or account deactivated); log in again', 'token_invalid')
    }
    return {
      actor: { userId: claims.sub, role: state.role, tokenId: null, label: state.email },
      expiresAt: claims.exp === undefined ? null : new Date(claims.exp * 1000),
    }
  }

  app.addHook('onRequest', async (request) => {
    const declared = request.routeOptions.config.access
    if (declared === undefined || declared === 'public') return
    const { actor, expiresAt } = await authenticate(request)
    if (!roleAllows(actor.role, declared)) {
      throw new DomainError(403, 'forbidden', `Your role (${actor.role}) may not do this; it needs ${declared}`)
    }
    request.ctx = { actor, requestId: String(request.id), credentialExpiresAt: expiresAt }
  })
}, { name: 'access', dependencies: ['db'] })
