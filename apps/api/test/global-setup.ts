import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { createPool } from '../src/db/database.ts'
import { migrate } from '../src/db/migrate.ts'
import { startTestPostgres } from './postgres-server.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string
    pgTemplate: string
  }
}

/**
 * One PostgreSQL per test run with one migrated template database; every test file clones
 * the template (CREATE DATABASE … TEMPLATE), which takes milliseconds however many migrations there are.
 */
export default async function setup(project: TestProject) {
  const server = await startTestPostgres()
  const template = `yardstick_template_${process.pid}`
  const admin = new pg.Client({ connectionString: server.adminUrl })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS ${template}`)
  await admin.query(`CREATE DATABASE ${template}`)
  const pool = createPool(withDatabase(server.adminUrl, template), 2)
  await migrate(pool)
  await pool.end()
  project.provide('pgAdminUrl', server.adminUrl)
  project.provide('pgTemplate', template)

  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`).catch(() => {})
    await admin.end()
    await server.stop()
  }
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}
