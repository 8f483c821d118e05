// Writes the OpenAPI document to the given file (or stdout) without a database: the web
// app's typed client is generated from it.
import { writeFile } from 'node:fs/promises'
import { buildApp } from '../app.ts'
import { loadConfig } from '../config.ts'
import { createDb, createPool } from '../db/database.ts'

// Building routes never queries, so this pool is never connected (the change listener's one
// attempt is refused at once and it gives up on close).
const pool = createPool('postgres://unused@127.0.0.1:1/unused', 1)
const db = createDb(pool)
const app = await buildApp({ config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), db, pool, jwtSecret: 'only-used-to-build-the-openapi-document' })
await app.ready()
const document = `${JSON.stringify(app.swagger(), null, 2)}\n`
const target = process.argv[2]
if (target) await writeFile(target, document)
else process.stdout.write(document)
await app.close()
await db.destroy()
