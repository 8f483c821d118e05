import autocannon from 'autocannon'
import { spawn, type ChildProcess } from 'node:child_process'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createDb, createPool, type Db } from '../src/db/database.ts'
import { startEmbeddedPostgres } from '../src/db/embedded.ts'
import { migrate } from '../src/db/migrate.ts'
import { systemContext } from '../src/lib/context.ts'
import { createUser } from '../src/modules/users/users.service.ts'

export interface BenchServer {
  url: string
  db: Db
  /** An admin's access token for the server under test. */
  token: string
  stop(): Promise<void>
}

const API_MAIN = path.resolve(import.meta.dirname, '../src/main.ts')

/**
 * A throwaway embedded PostgreSQL with production durability (fsync on) and the API as its own
 * process, as in production, so the load generator here does not share its event loop.
 */
export async function startBenchServer(): Promise<BenchServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'yardstick-bench-'))
  await chmod(dir, 0o755)
  const pg = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), persistent: false, settings: { max_connections: '200' } })
  const pool = createPool(pg.url, 10)
  await migrate(pool)
  const db = createDb(pool)
  await createUser(db, systemContext('bench'), { email: 'bench@example.com', name: 'Bench', role: 'admin', password: 'bench-password' })

  const port = 20_000 + Math.floor(Math.random() * 20_000)
  const api = spawn(process.execPath, ['--import', 'tsx', API_MAIN], {
    env: {
      ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', PORT: String(port), HOST: '127.0.0.1',
      DATABASE_URL: pg.url, DATABASE_POOL_SIZE: '40', JWT_SECRET: 'bench-secret-that-is-long-enough-for-hs256', CRM_DATA_DIR: dir,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const url = `http://127.0.0.1:${port}`
  await waitForHealth(url, api)
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@example.com', password: 'bench-password' }),
  })
  const { accessToken } = (await login.json()) as { accessToken: string }
  return {
    url,
    db,
    token: accessToken,
    async stop() {
      api.kill('SIGTERM')
      await new Promise((resolve) => api.once('exit', resolve))
      await db.destroy()
      await pg.stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

async function waitForHealth(url: string, api: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (api.exitCode !== null) throw new Error(`the API exited with ${api.exitCode} before it was healthy`)
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error('the API did not become healthy within 30 s')
}

export interface LoadResult {
  requestsPerSecond: number
  p50: number
  p95: number
  errors: number
}

export async function load(options: autocannon.Options): Promise<LoadResult> {
  const result = await autocannon({ duration: 5, connections: 50, ...options })
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p95: result.latency.p97_5, // autocannon reports p97.5, not p95: the stricter of the two
    errors: result.non2xx + result.errors + result.timeouts,
  }
}

export function percentiles(samples: number[]): { p50: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
  return { p50: at(0.5), p95: at(0.95) }
}

export interface Row {
  benchmark: string
  value: string
  baseline: string
  ratio: string
  target: string
}

/** Prints the rows as a Markdown table so it can be pasted into an issue as is. */
export function printTable(rows: Row[]): void {
  const header: Row = { benchmark: 'benchmark', value: 'value', baseline: 'baseline (same run)', ratio: 'ratio', target: 'target' }
  const keys = Object.keys(header) as (keyof Row)[]
  const widths = keys.map((k) => Math.max(...[header, ...rows].map((r) => r[k].length)))
  const line = (r: Row) => `| ${keys.map((k, i) => r[k].padEnd(widths[i]!)).join(' | ')} |`
  console.log(line(header))
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`)
  for (const row of rows) console.log(line(row))
}
