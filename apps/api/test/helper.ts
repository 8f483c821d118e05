import type { FastifyInstance } from 'fastify'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, inject } from 'vitest'
import { buildApp } from '../src/app.ts'
import { loadConfig, type Config } from '../src/config.ts'
import { createDb, createPool, type Db } from '../src/db/database.ts'
import type { Role } from '../src/lib/permissions.ts'
import { systemContext } from '../src/lib/context.ts'
import { createUser } from '../src/modules/users/users.service.ts'
import { withDatabase } from './global-setup.ts'

export interface TestDatabase {
  url: string
  pool: pg.Pool
  db: Db
}

/** A fresh, migrated database of this test file's own, dropped after the file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl')
  const name = `t_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')}`)
  const url = withDatabase(adminUrl, name)
  const pool = createPool(url, 10)
  const db = createDb(pool)
  afterAll(async () => {
    await db.destroy()
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin.end()
  })
  return { url, pool, db }
}

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-signing'

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', CRM_WEB_DIST: '/nonexistent', ...overrides })
}

export interface TestApp {
  app: FastifyInstance
  db: Db
  database: TestDatabase
  /** An access token for a new user of this role (created on first use, then reused). */
  tokenFor(role: Role): Promise<string>
}

/** Builds the app on a fresh database; closed after the file. */
export async function buildTestApp(configOverrides: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase()
  const app = await buildApp({ config: testConfig(configOverrides), db: database.db, pool: database.pool, jwtSecret: TEST_JWT_SECRET })
  await app.ready()
  afterAll(() => app.close())
  const tokens = new Map<Role, string>()
  return {
    app,
    db: database.db,
    database,
    async tokenFor(role) {
      const known = tokens.get(role)
      if (known) return known
      const { user } = await createUser(database.db, systemContext('test'), {
        email: `${role}-${randomBytes(4).toString('hex')}@example.com`,
        name: `Test ${role}`,
        role,
        password: 'correct horse battery',
      })
      const token = app.jwt.sign({ sub: user.id, role, tv: 0 })
      tokens.set(role, token)
      return token
    },
  }
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
