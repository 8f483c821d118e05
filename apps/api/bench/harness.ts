import autocannon from 'autocannon'
import type { FastifyInstance } from 'fastify'
import { mkdtemp, chmod } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { createDb, createPool, type Db } from '../src/db/database.ts'
import { startEmbeddedPostgres } from '../src/db/embedded.ts'
import { migrate } from '../src/db/migrate.ts'

export interface BenchServer {
  url: string
  app: FastifyInstance
  db: Db
  stop(): Promise<void>
}

/**
 * A throwaway embedded PostgreSQL with production durability settings (fsync on), so the
 * numbers mean what they would on a server, and the API listening on a free port.
 */
export async function startBenchServer(): Promise<BenchServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'yardstick-bench-'))
  await chmod(dir, 0o755)
  const pg = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), persistent: false, settings: { max_connections: '200' } })
  const pool = createPool(pg.url, 40)
  await migrate(pool)
  const db = createDb(pool)
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', CRM_WEB_DIST: '/nonexistent', DATABASE_POOL_SIZE: '40' })
  const app = await buildApp({ config, db, jwtSecret: 'bench-secret-that-is-long-enough-for-hs256' })
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  return {
    url: address,
    app,
    db,
    async stop() {
      await app.close()
      await db.destroy()
      await pg.stop()
    },
  }
}

export interface LoadResult {
  requestsPerSecond: number
  p50: number
  p95: number
  errors: number
}

export async function load(options: autocannon.Options): Promise<LoadResult> {
  const result = await autocannon({ duration: 5, connections: 50, ...options })
  const non2xx = result.non2xx + result.errors + result.timeouts
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p95: result.latency.p97_5, // autocannon reports p97.5, not p95: the stricter of the two
    errors: non2xx,
  }
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

export function percentiles(samples: number[]): { p50: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
  return { p50: at(0.5), p95: at(0.95) }
}
