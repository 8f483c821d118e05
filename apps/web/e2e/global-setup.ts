import type { TestProject } from 'vitest/node'
import { hasChromium, MISSING_CHROMIUM } from './support/chromium.ts'
import { startServer } from './support/server.ts'
import { ensureWebBuild } from './support/web-build.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The server under test, e.g. http://127.0.0.1:41234 ('' when the browser tests are skipped). */
    baseUrl: string
    adminEmail: string
    adminPassword: string
  }
}

const ADMIN = { email: 'admin@yardstick.test', password: 'e2e-Admin-password-1' }

/** Builds the SPA when stale, starts the real server on a fresh embedded database, stops it afterwards. */
export default async function setup(project: TestProject) {
  project.provide('adminEmail', ADMIN.email)
  project.provide('adminPassword', ADMIN.password)
  if (!hasChromium) {
    const ci = process.env.CI
    if (ci && ci !== 'false' && ci !== '0') throw new Error(`${MISSING_CHROMIUM.split(':')[0]}: CI must install it first (apt-get install -y chromium)`)
    console.log(MISSING_CHROMIUM)
    project.provide('baseUrl', '')
    return
  }
  ensureWebBuild()
  const server = await startServer(ADMIN)
  project.provide('baseUrl', server.baseUrl)
  return () => server.stop()
}
