import { sql, type Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'

export async function insertRefreshToken(
  db: Kysely<Database>,
  token: { userId: string; tokenHash: string; familyId: string; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('refresh_tokens')
    .values({ user_id: token.userId, token_hash: token.tokenHash, family_id: token.familyId, expires_at: token.expiresAt })
    .execute()
}

/**
 * Marks a live token used and returns it; a second use of the same token finds nothing here.
 * The single UPDATE makes two concurrent refreshes with one token race safely: only one wins.
 */
export async function consumeRefreshToken(db: Kysely<Database>, tokenHash: string) {
  return db
    .updateTable('refresh_tokens')
    .set({ used_at: new Date() })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', new Date())
    .returning(['user_id', 'family_id'])
    .executeTakeFirst()
}

export async function findRefreshToken(db: Kysely<Database>, tokenHash: string) {
  return db.selectFrom('refresh_tokens').select(['user_id', 'family_id', 'used_at', 'revoked_at']).where('token_hash', '=', tokenHash).executeTakeFirst()
}

export async function revokeFamily(db: Kysely<Database>, familyId: string): Promise<void> {
  await db.updateTable('refresh_tokens').set({ revoked_at: new Date() }).where('family_id', '=', familyId).where('revoked_at', 'is', null).execute()
}

export async function revokeUserRefreshTokens(db: Kysely<Database>, userId: string): Promise<void> {
  await db.updateTable('refresh_tokens').set({ revoked_at: new Date() }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute()
}

export async function findThrottle(db: Kysely<Database>, email: string) {
  return db.selectFrom('login_throttle').selectAll().where('email', '=', email).executeTakeFirst()
}

/** Counts a failed login in the current window and locks the email once the limit is reached. */
export async function recordLoginFailure(
  db: Kysely<Database>,
  email: string,
  limits: { maxFailures: number; windowSeconds: number; lockSeconds: number },
): Promise<void> {
  await sql`
    INSERT INTO login_throttle (email, failures, window_started_at)
    VALUES (${email}, 1, now())
    ON CONFLICT (email) DO UPDATE SET
      failures = CASE WHEN login_throttle.window_started_at < now() - make_interval(secs => ${limits.windowSeconds})
                      THEN 1 ELSE login_throttle.failures + 1 END,
      window_started_at = CASE WHEN login_throttle.window_started_at < now() - make_interval(secs => ${limits.windowSeconds})
                      THEN now() ELSE login_throttle.window_started_at END,
      locked_until = CASE WHEN login_throttle.window_started_at >= now() - make_interval(secs => ${limits.windowSeconds})
                           AND login_throttle.failures + 1 >= ${limits.maxFailures}
                      THEN now() + make_interval(secs => ${limits.lockSeconds}) ELSE login_throttle.locked_until END
  `.execute(db)
}

export async function clearLoginFailures(db: Kysely<Database>, email: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('email', '=', email).execute()
}
