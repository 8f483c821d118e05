import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type pg from 'pg'
import { repoRoot } from '../config.ts'

export const migrationsDir = path.join(repoRoot, 'migrations')

// Any fixed 64-bit key: every Yardstick process agrees on it, so only one migrates at a time.
const MIGRATION_LOCK_KEY = 7_265_913_001

export class MigrationError extends Error {
  constructor(message: string, readonly migration?: string) {
    super(message)
    this.name = 'MigrationError'
  }
}

export interface MigrationFile {
  version: string
  name: string
  sql: string
  checksum: string
}

export async function readMigrations(dir = migrationsDir): Promise<MigrationFile[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort()
  return Promise.all(
    files.map(async (file) => {
      const sql = await readFile(path.join(dir, file), 'utf8')
      return {
        version: file.slice(0, 4),
        name: file,
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      }
    }),
  )
}

/**
 * Applies the pending migrations in order, each in its own transaction, under a
 * session advisory lock so that several API processes starting together migrate once.
 * A landed migration whose file changed is refused: migrations are never edited.
 */
export async function migrate(pool: pg.Pool, dir = migrationsDir): Promise<string[]> {
  const migrations = await readMigrations(dir)
  const client = await pool.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`)
    const { rows } = await client.query<{ version: string; name: string; checksum: string }>(
      'SELECT version, name, checksum FROM schema_migrations',
    )
    const applied = new Map(rows.map((r) => [r.version, r]))
    const done: string[] = []
    for (const m of migrations) {
      const landed = applied.get(m.version)
      if (landed) {
        if (landed.checksum !== m.checksum) {
          throw new MigrationError(`${m.name} changed after it was applied; add a new migration instead`, m.name)
        }
        continue
      }
      try {
        await client.query('BEGIN')
        await client.query(m.sql)
        await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
          m.version, m.name, m.checksum,
        ])
        await client.query('COMMIT')
      } catch (error) {
        await client.query('ROLLBACK')
        throw new MigrationError(`${m.name} failed: ${(error as Error).message}`, m.name)
      }
      done.push(m.name)
    }
    return done
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {})
    client.release()
  }
}
