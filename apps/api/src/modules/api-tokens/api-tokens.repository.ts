import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { Role } from '../../lib/permissions.ts'

export async function insertApiToken(
  db: Kysely<Database>,
  token: { name: string; role: Role; tokenHash: string; tokenPrefix: string; createdBy: string; expiresAt: Date | null },
) {
  return db
    .insertInto('api_tokens')
    .values({
      name: token.name,
      role: token.role,
      token_hash: token.tokenHash,
      token_prefix: token.tokenPrefix,
      created_by: token.createdBy,
      expires_at: token.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function listApiTokens(db: Kysely<Database>, includeRevoked: boolean) {
  let query = db.selectFrom('api_tokens').selectAll()
  if (!includeRevoked) query = query.where('revoked_at', 'is', null)
  return query.orderBy('created_at', 'desc').execute()
}

export async function findApiTokenById(db: Kysely<Database>, id: string) {
  return db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst()
}

/** The token with this hash if it may be used now, joined with its creator's state. */
export async function findUsableApiToken(db: Kysely<Database>, tokenHash: string) {
  return db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.created_by')
    .select(['t.id', 't.name', 't.role', 't.created_by', 't.expires_at', 't.last_used_at', 'u.active as creator_active', 'u.role as creator_role'])
    .where('t.token_hash', '=', tokenHash)
    .where('t.revoked_at', 'is', null)
    .executeTakeFirst()
}

export async function revokeApiToken(db: Kysely<Database>, id: string) {
  return db.updateTable('api_tokens').set({ revoked_at: new Date() }).where('id', '=', id).where('revoked_at', 'is', null).returningAll().executeTakeFirst()
}

export async function touchApiToken(db: Kysely<Database>, id: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', id).execute()
}
