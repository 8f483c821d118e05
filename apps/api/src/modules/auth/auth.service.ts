import type { Kysely } from 'kysely'
import { randomUUID } from 'node:crypto'
import type { Database } from '../../db/database.ts'
import { DomainError } from '../../errors.ts'
import { verifyPassword } from '../../lib/password.ts'
import type { Role } from '../../lib/permissions.ts'
import { randomToken, sha256 } from '../../lib/secrets.ts'
import { type User, findUserForLogin, getAuthState, getUserForSession, markLoggedIn } from '../users/users.service.ts'
import * as repo from './auth.repository.ts'

export interface AccessTokenClaims {
  sub: string
  role: Role
  /** The user's token_version when signed: a password change or deactivation makes it stale. */
  tv: number
}

export interface SessionDeps {
  db: Kysely<Database>
  signAccessToken: (claims: AccessTokenClaims) => string
  accessTokenTtlSeconds: number
  refreshTokenTtlDays: number
}

export interface Session {
  accessToken: string
  refreshToken: string
  tokenType: 'Bearer'
  expiresIn: number
  user: User
}

export const LOGIN_LIMITS = { maxFailures: 5, windowSeconds: 15 * 60, lockSeconds: 15 * 60 }

const invalidCredentials = () => new DomainError(401, 'invalid_credentials', 'Email or password is incorrect')
const invalidRefresh = () => new DomainError(401, 'token_invalid', 'The refresh token is invalid, expired or already used; log in again')

export async function login(deps: SessionDeps, email: string, password: string): Promise<Session> {
  const normalised = email.trim().toLowerCase()
  const throttle = await repo.findThrottle(deps.db, normalised)
  if (throttle?.locked_until && throttle.locked_until > new Date()) {
    const retryAfter = Math.ceil((throttle.locked_until.getTime() - Date.now()) / 1000)
    throw new DomainError(429, 'too_many_requests', `Too many failed logins for this account; try again in ${Math.ceil(retryAfter / 60)} minutes`, undefined, {
      'retry-after': String(retryAfter),
    })
  }
  const row = await findUserForLogin(deps.db, normalised)
  const passwordOk = await verifyPassword(row?.password_hash ?? null, password)
  // A deactivated account answers exactly like a wrong password: nothing tells an attacker it exists.
  if (!row || !passwordOk || !row.active) {
    await repo.recordLoginFailure(deps.db, normalised, LOGIN_LIMITS)
    throw invalidCredentials()
  }
  await repo.clearLoginFailures(deps.db, normalised)
  await markLoggedIn(deps.db, row.id)
  return issueSession(deps, row.id, randomUUID())
}

/** Rotates a refresh token: the old one is spent, a replay of it revokes the whole family. */
export async function refresh(deps: SessionDeps, refreshToken: string): Promise<Session> {
  const tokenHash = sha256(refreshToken)
  const consumed = await repo.consumeRefreshToken(deps.db, tokenHash)
  if (!consumed) {
    const known = await repo.findRefreshToken(deps.db, tokenHash)
    if (known?.used_at && !known.revoked_at) await repo.revokeFamily(deps.db, known.family_id)
    throw invalidRefresh()
  }
  const state = await getAuthState(deps.db, consumed.user_id)
  if (!state?.active) throw invalidRefresh()
  return issueSession(deps, consumed.user_id, consumed.family_id)
}

export async function logout(db: Kysely<Database>, refreshToken: string): Promise<void> {
  const known = await repo.findRefreshToken(db, sha256(refreshToken))
  if (known) await repo.revokeFamily(db, known.family_id)
}

/** Ends every session of a user; call inside the transaction that changes the user. */
export async function revokeAllSessions(trx: Kysely<Database>, userId: string): Promise<void> {
  await repo.revokeUserRefreshTokens(trx, userId)
}

async function issueSession(deps: SessionDeps, userId: string, familyId: string): Promise<Session> {
  const { user, tokenVersion } = await getUserForSession(deps.db, userId)
  const refreshToken = randomToken()
  await repo.insertRefreshToken(deps.db, {
    userId,
    tokenHash: sha256(refreshToken),
    familyId,
    expiresAt: new Date(Date.now() + deps.refreshTokenTtlDays * 86_400_000),
  })
  return {
    accessToken: deps.signAccessToken({ sub: userId, role: user.role, tv: tokenVersion }),
    refreshToken,
    tokenType: 'Bearer',
    expiresIn: deps.accessTokenTtlSeconds,
    user,
  }
}
