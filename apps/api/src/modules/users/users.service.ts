import { sql, type Kysely } from 'kysely'
import { EventEmitter } from 'node:events'
import type { Database } from '../../db/database.ts'
import { DomainError, invalidState, notFound } from '../../errors.ts'
import { systemContext, type RequestContext } from '../../lib/context.ts'
import { generatePassword, hashPassword, verifyPassword } from '../../lib/password.ts'
import type { Role } from '../../lib/permissions.ts'
import { recordAudit } from '../audit/audit.service.ts'
import { revokeAllSessions } from '../auth/auth.service.ts'
import * as repo from './users.repository.ts'

type UserRow = NonNullable<Awaited<ReturnType<typeof repo.findUserById>>>

export interface User {
  id: string
  email: string
  name: string
  role: Role
  active: boolean
  locale: 'zh-CN' | 'en'
  lastLoginAt: string | null
  createdAt: string
  updatedAt: string
}

export const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  active: row.active,
  locale: row.locale,
  lastLoginAt: row.last_login_at?.toISOString() ?? null,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
})

/** Tells the access checks in this process to forget what they cached about a user. */
export const userChanges = new EventEmitter<{ changed: [userId: string] }>()

export interface AuthState {
  role: Role
  active: boolean
  tokenVersion: number
  email: string
}

export async function getAuthState(db: Kysely<Database>, userId: string): Promise<AuthState | null> {
  const row = await repo.findUserById(db, userId)
  return row ? { role: row.role, active: row.active, tokenVersion: row.token_version, email: row.email } : null
}

/** The row a login checks the password against; null when no such email. */
export async function findUserForLogin(db: Kysely<Database>, email: string) {
  return (await repo.findUserByEmail(db, email)) ?? null
}

export async function markLoggedIn(db: Kysely<Database>, userId: string): Promise<void> {
  await repo.updateUser(db, userId, { last_login_at: new Date() })
}

/** The user and the token version their access tokens must carry, from one read. */
export async function getUserForSession(db: Kysely<Database>, id: string): Promise<{ user: User; tokenVersion: number }> {
  const row = await repo.findUserById(db, id)
  if (!row) throw notFound('User', id)
  return { user: toUser(row), tokenVersion: row.token_version }
}

export async function getUser(db: Kysely<Database>, id: string): Promise<User> {
  const row = await repo.findUserById(db, id)
  if (!row) throw notFound('User', id)
  return toUser(row)
}

/** Who is who, without emails or anything else only admins see: for owner names on every screen. */
export async function listDirectory(db: Kysely<Database>) {
  return { items: await repo.listDirectory(db) }
}

export async function listUsers(db: Kysely<Database>, filter: repo.UserFilter) {
  const { rows, total } = await repo.listUsers(db, filter)
  return { items: rows.map(toUser), total, limit: filter.limit, offset: filter.offset }
}

export interface NewUser {
  email: string
  name: string
  role: Role
  password?: string
}

/** Creates a user; when no password is given, one is generated and returned once. */
export async function createUser(db: Kysely<Database>, ctx: RequestContext, input: NewUser): Promise<{ user: User; generatedPassword?: string }> {
  const generatedPassword = input.password ? undefined : generatePassword()
  const passwordHash = await hashPassword(input.password ?? generatedPassword!)
  const user = await db.transaction().execute(async (trx) => {
    const row = await repo.insertUser(trx, { email: input.email.trim().toLowerCase(), name: input.name.trim(), role: input.role, passwordHash })
    const created = toUser(row)
    await recordAudit(trx, ctx, { entity: 'user', entityId: row.id, action: 'create', after: created })
    return created
  })
  return { user, ...(generatedPassword ? { generatedPassword } : {}) }
}

export interface UserPatch {
  email?: string
  name?: string
  role?: Role
  active?: boolean
  locale?: 'zh-CN' | 'en'
}

export async function updateUser(db: Kysely<Database>, ctx: RequestContext, id: string, patch: UserPatch): Promise<User> {
  const updated = await db.transaction().execute(async (trx) => {
    if (patch.active !== undefined || patch.role !== undefined) await repo.lockAdminChanges(trx)
    const before = await repo.lockUser(trx, id)
    if (!before) throw notFound('User', id)
    const losesAdmin = before.role === 'admin' && before.active && (patch.active === false || (patch.role !== undefined && patch.role !== 'admin'))
    if (losesAdmin && (await repo.countActiveAdmins(trx, id)) === 0) {
      throw invalidState('Yardstick needs at least one active admin; make another user admin first', patch.active === false ? 'active' : 'role')
    }
    const deactivating = before.active && patch.active === false
    const row = await repo.updateUser(trx, id, {
      ...(patch.email !== undefined ? { email: patch.email.trim().toLowerCase() } : {}),
      ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(patch.active !== undefined ? { active: patch.active } : {}),
      ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
      ...(deactivating ? { token_version: before.token_version + 1 } : {}),
    })
    if (deactivating) await revokeAllSessions(trx, id)
    await recordAudit(trx, ctx, { entity: 'user', entityId: id, action: deactivating ? 'deactivate' : 'update', before: toUser(before), after: toUser(row) })
    return toUser(row)
  })
  userChanges.emit('changed', id)
  return updated
}

/** Sets a new password (generated when none is given), ending every session of the user. */
export async function resetPassword(db: Kysely<Database>, ctx: RequestContext, id: string, password?: string): Promise<{ generatedPassword?: string }> {
  const generatedPassword = password ? undefined : generatePassword()
  await setPassword(db, ctx, id, password ?? generatedPassword!, 'reset_password')
  return generatedPassword ? { generatedPassword } : {}
}

export async function changeOwnPassword(db: Kysely<Database>, ctx: RequestContext, oldPassword: string, newPassword: string): Promise<void> {
  const userId = ctx.actor.userId
  if (!userId || ctx.actor.tokenId) throw new DomainError(403, 'forbidden', 'API tokens cannot change a password')
  const row = await repo.findUserById(db, userId)
  if (!row || !(await verifyPassword(row.password_hash, oldPassword))) {
    throw new DomainError(400, 'validation_failed', 'oldPassword: does not match your current password', [
      { field: 'oldPassword', message: 'does not match your current password' },
    ])
  }
  if (oldPassword === newPassword) {
    throw new DomainError(400, 'validation_failed', 'newPassword: must differ from the current one', [{ field: 'newPassword', message: 'must differ from the current one' }])
  }
  await setPassword(db, ctx, userId, newPassword, 'change_password')
}

async function setPassword(db: Kysely<Database>, ctx: RequestContext, id: string, password: string, action: string): Promise<void> {
  const passwordHash = await hashPassword(password)
  await db.transaction().execute(async (trx) => {
    const before = await repo.lockUser(trx, id)
    if (!before) throw notFound('User', id)
    await repo.updateUser(trx, id, { password_hash: passwordHash, token_version: before.token_version + 1 })
    await revokeAllSessions(trx, id)
    await recordAudit(trx, ctx, { entity: 'user', entityId: id, action, changes: { password: { before: '[redacted]', after: '[redacted]' } } })
  })
  userChanges.emit('changed', id)
}


// Several processes may start on an empty database at once: only one creates the admin.
const BOOTSTRAP_LOCK_KEY = 7_265_913_002

/**
 * Creates the first admin when there are no users at all. Returns what to print, or null when
 * users already exist; a generated password is returned here once and never stored in clear.
 */
export async function ensureInitialAdmin(
  db: Kysely<Database>,
  input: { email: string | null; password: string | null },
): Promise<{ email: string; password: string; generated: boolean } | null> {
  const email = input.email ?? 'admin@localhost'
  const password = input.password ?? generatePassword()
  const passwordHash = await hashPassword(password)
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${BOOTSTRAP_LOCK_KEY})`.execute(trx)
    if ((await repo.countUsers(trx)) > 0) return null
    const row = await repo.insertUser(trx, { email, name: 'Administrator', role: 'admin', passwordHash })
    await recordAudit(trx, systemContext('bootstrap'), { entity: 'user', entityId: row.id, action: 'create', after: toUser(row) })
    return { email, password, generated: input.password === null }
  })
}
