import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeEach, describe, expect, it, inject } from 'vitest'
import { withDatabase } from '../../test/global-setup.ts'
import { createPool } from './database.ts'
import { migrate, MigrationError, readMigrations } from './migrate.ts'

const admin = new pg.Client({ connectionString: inject('pgAdminUrl') })
await admin.connect()
const pools: pg.Pool[] = []
const databases: string[] = []
const dirs: string[] = []

afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.end()))
  for (const name of databases) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await admin.end()
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
})

/** A new, empty database (not the migrated template) and a pool on it. */
async function emptyDatabase(poolSize = 2): Promise<{ url: string; pool: pg.Pool }> {
  const name = `m_${randomBytes(6).toString('hex')}`
  await admin.query(`CREATE DATABASE ${name}`)
  databases.push(name)
  const url = withDatabase(inject('pgAdminUrl'), name)
  return { url, pool: poolOn(url, poolSize) }
}

function poolOn(url: string, size = 2): pg.Pool {
  const pool = createPool(url, size)
  pools.push(pool)
  return pool
}

async function migrationsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'yardstick-migrations-'))
  dirs.push(dir)
  for (const [name, sql] of Object.entries(files)) await writeFile(path.join(dir, name), sql)
  return dir
}

async function tables(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
  )
  return rows.map((r) => r.name)
}

async function landed(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY version')
  return rows.map((r) => r.name)
}

describe('migrate', () => {
  let db: { url: string; pool: pg.Pool }
  beforeEach(async () => {
    db = await emptyDatabase()
  })

  it('applies every migration of the repository exactly once when several processes start together', async () => {
    const expected = (await readMigrations()).map((m) => m.name)
    expect(expected.length).toBeGreaterThan(0)
    // One pool per "process": each takes the advisory lock on its own connection.
    const results = await Promise.all(Array.from({ length: 6 }, () => migrate(poolOn(db.url, 1))))
    expect(results.flat().sort()).toEqual(expected)
    expect(results.filter((applied) => applied.length > 0)).toHaveLength(1)
    expect(await landed(db.pool)).toEqual(expected)
  })

  it('applies nothing the second time', async () => {
    const dir = await migrationsDir({ '0001_a.sql': 'CREATE TABLE a (id int)', '0002_b.sql': 'CREATE TABLE b (id int)' })
    expect(await migrate(db.pool, dir)).toEqual(['0001_a.sql', '0002_b.sql'])
    expect(await migrate(db.pool, dir)).toEqual([])
    expect(await landed(db.pool)).toEqual(['0001_a.sql', '0002_b.sql'])
  })

  it('applies only the new migrations, in order', async () => {
    const dir = await migrationsDir({ '0001_a.sql': 'CREATE TABLE a (id int)' })
    await migrate(db.pool, dir)
    await writeFile(path.join(dir, '0003_c.sql'), 'CREATE TABLE c (a_id int)')
    await writeFile(path.join(dir, '0002_b.sql'), 'CREATE TABLE b (id int); ALTER TABLE a RENAME TO a_renamed')
    expect(await migrate(db.pool, dir)).toEqual(['0002_b.sql', '0003_c.sql'])
    expect(await tables(db.pool)).toEqual(['a_renamed', 'b', 'c', 'schema_migrations'])
  })

  it('ignores files that are not named like migrations', async () => {
    const dir = await migrationsDir({ '0001_a.sql': 'CREATE TABLE a (id int)', 'README.md': '# rules', 'draft.sql': 'DROP TABLE a' })
    expect(await migrate(db.pool, dir)).toEqual(['0001_a.sql'])
  })

  it('refuses a landed migration whose file changed, naming it', async () => {
    const dir = await migrationsDir({ '0001_a.sql': 'CREATE TABLE a (id int)', '0002_b.sql': 'CREATE TABLE b (id int)' })
    await migrate(db.pool, dir)
    await writeFile(path.join(dir, '0002_b.sql'), 'CREATE TABLE b (id bigint)')
    await writeFile(path.join(dir, '0003_c.sql'), 'CREATE TABLE c (id int)')

    const error = await migrate(db.pool, dir).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MigrationError)
    expect(error).toMatchObject({ migration: '0002_b.sql', message: expect.stringContaining('0002_b.sql changed after it was applied') })
    // Nothing after the edited migration ran.
    expect(await tables(db.pool)).toEqual(['a', 'b', 'schema_migrations'])
  })

  it('rolls a failing migration back entirely and names it', async () => {
    const dir = await migrationsDir({
      '0001_a.sql': 'CREATE TABLE a (id int)',
      '0002_half.sql': 'CREATE TABLE half (id int);\nINSERT INTO a VALUES (1);\nSELECT 1 / 0;',
    })
    const error = await migrate(db.pool, dir).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MigrationError)
    expect(error).toMatchObject({ migration: '0002_half.sql', message: expect.stringMatching(/0002_half\.sql failed: division by zero/) })
    expect(await tables(db.pool)).toEqual(['a', 'schema_migrations'])
    expect(await landed(db.pool)).toEqual(['0001_a.sql'])
    expect((await db.pool.query('SELECT count(*)::int AS n FROM a')).rows[0]).toEqual({ n: 0 })
  })

  it('releases its lock after a failure, so the fixed migration applies on the next start', async () => {
    const dir = await migrationsDir({ '0001_bad.sql': 'CREATE TABLE a (id int); SELECT no_such_function()' })
    await expect(migrate(db.pool, dir)).rejects.toThrow(MigrationError)
    await writeFile(path.join(dir, '0001_bad.sql'), 'CREATE TABLE a (id int)')
    // Another "process": it would wait forever if the lock were still held.
    expect(await migrate(poolOn(db.url, 1), dir)).toEqual(['0001_bad.sql'])
  })
})
