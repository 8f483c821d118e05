import { inject } from 'vitest'
import { createPool } from '../../apps/api/src/db/database.ts'

/** A new, empty database on the install project's PostgreSQL server (global-setup.ts); its URL. */
export async function createTestDatabase(name: string): Promise<string> {
  const adminUrl = inject('pgAdminUrl')
  const admin = createPool(adminUrl, 1)
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin.query(`CREATE DATABASE ${name}`)
  } finally {
    await admin.end()
  }
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.toString()
}
