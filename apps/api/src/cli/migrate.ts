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
// Explicitly: the embedded database's exit hook would otherwise end the process with 0.
process.exit(exitCode)
