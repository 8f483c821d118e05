// `pnpm migrate`: apply pending migrations to DATABASE_URL (or the embedded database) and exit.
import { loadConfig } from '../config.ts'
import { connect } from '../db/connect.ts'
import { migrate } from '../db/migrate.ts'

const config = loadConfig()
const connection = await connect(config)
let exitCode = 0
try {
  const applied = await migrate(connection.pool)
  console.log(applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'The database is up to date.')
} catch (error) {
  console.error(`Migration failed: ${(error as Error).message}`)
  exitCode = 1
} finally {
  await connection.close()
}
// Explicitly, so that no handle left open by a driver keeps the process alive.
process.exit(exitCode)
