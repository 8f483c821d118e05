import { sql, type Kysely, type Updateable } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { Role } from '../../lib/permissions.ts'
import type { UsersTable } from './users.table.ts'

export async function findUserById(db: Kysely<Database>, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function findUserByEmail(db: Kysely<Database>, email: string) {
  return db.selectFrom('users').selectAll().where(sql`lower(email)`, '=', email.toLowerCase()).executeTakeFirst()
}

/**
 * NO KEY UPDATE, not UPDATE: the audit entry written in the same transaction takes KEY SHARE on
 * the acting user through its foreign key, and FOR UPDATE would block that, deadlocking two
 * admins who edit each other at the same moment.
 */
export async function lockUser(db: Kysely<Database>, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).forNoKeyUpdate().executeTakeFirst()
}

const ADMIN_CHANGES_LOCK_KEY = 7_265_913_003

/**
 * Changes to roles and active flags run one at a time, so two of them cannot each count the
 * other admin as remaining and together leave none.
 */
export async function lockAdminChanges(db: Kysely<Database>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${ADMIN_CHANGES_LOCK_KEY})`.execute(db)
}

export interface UserFilter {
  q?: string
  role?: Role
  active?: boolean
  limit: number
  offset: number
}

export async function listUsers(db: Kysely<Database>, filter: UserFilter) {
  let query = db.selectFrom('users')
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, '\\$&')}%`
    query = query.where((eb) => eb.or([eb('name', 'ilike', pattern), eb('email', 'ilike', pattern)]))
  }
  if (filter.role) query = query.where('role', '=', filter.role)
  if (filter.active !== undefined) query = query.where('active', '=', filter.active)
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('name').orderBy('id').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: count.total }
}

export async function insertUser(db: Kysely<Database>, user: { email: string; name: string; role: Role; passwordHash: string }) {
  return db
    .insertInto('users')
    .values({ email: user.email, name: user.name, role: user.role, password_hash: user.passwordHash })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function updateUser(db: Kysely<Database>, id: string, patch: Updateable<UsersTable>) {
  return db
    .updateTable('users')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function countActiveAdmins(db: Kysely<Database>, exceptId?: string): Promise<number> {
  let query = db.selectFrom('users').where('role', '=', 'admin').where('active', '=', true)
  if (exceptId) query = query.where('id', '<>', exceptId)
  const row = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return row.n
}

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return row.n
}

/** Names of every user, for showing who owns a record. */
export async function listDirectory(db: Kysely<Database>) {
  return db.selectFrom('users').select(['id', 'name', 'role', 'active']).orderBy('name').orderBy('id').execute()
}
