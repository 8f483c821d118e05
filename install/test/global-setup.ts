import type { TestProject } from 'vitest/node'
import { startScriptPostgres } from './postgres.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser URL to the `postgres` database, or '' when no server could be started. */
    pgAdminUrl: string
    /** The client tools matching the server: YARDSTICK_PG_BINDIR for the scripts. */
    pgBinDir: string
    /** Why there is no server, when there is none. */
    pgMissing: string
  }
}

/** One PostgreSQL server for the whole install project; each test file makes its own database. */
export default async function setup(project: TestProject) {
  const server = await startScriptPostgres()
  if (typeof server === 'string') {
    if (process.env.CI) throw new Error(`the install tests need PostgreSQL under CI: ${server}`)
    project.provide('pgAdminUrl', '')
    project.provide('pgBinDir', '')
    project.provide('pgMissing', server)
    return
  }
  project.provide('pgAdminUrl', server.adminUrl)
  project.provide('pgBinDir', server.binDir)
  project.provide('pgMissing', '')
  return () => server.stop()
}
