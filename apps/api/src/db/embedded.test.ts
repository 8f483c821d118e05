import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readdirSync, readFileSync } from 'node:fs'
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import pg from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded.ts'

const TIMEOUT = 90_000
const cleanups: (() => Promise<unknown>)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {})
})

/** A data dir the user postgres can reach (the server runs as postgres when the tests run as root). */
async function dataDir(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'yardstick-embedded-'))
  await chmod(root, 0o755)
  cleanups.push(() => rm(root, { recursive: true, force: true }))
  return path.join(root, 'pg')
}

async function start(dir: string, log: string[] = []): Promise<EmbeddedDatabase> {
  const db = await startEmbeddedPostgres({ dir, settings: { fsync: 'off' }, log: (line) => log.push(line) })
  cleanups.push(() => db.stop())
  return db
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<T>(sql)).rows
  } finally {
    await client.end()
  }
}

/** The pids of the running postgres processes serving this data dir. */
function postgresPids(dir: string): number[] {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).map(Number).filter((pid) => {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
      return args.some((arg) => arg.includes('postgres')) && args.includes(dir)
    } catch {
      return false
    }
  })
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('startEmbeddedPostgres', () => {
  it('keeps the data across a stop and a second start', async () => {
    const dir = await dataDir()
    const first = await start(dir)
    expect(first.url).toMatch(/^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/yardstick$/)
    await query(first.url, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('still here')")
    await first.stop()
    expect(postgresPids(dir)).toEqual([])

    const second = await start(dir)
    expect(await query(second.url, 'SELECT note FROM kept')).toEqual([{ note: 'still here' }])
  }, TIMEOUT)

  it('stops without waiting when PostgreSQL already stopped on its own (Ctrl-C reaches it too)', async () => {
    const dir = await dataDir()
    const db = await start(dir)
    const [pid] = postgresPids(dir)
    process.kill(pid!, 'SIGINT')
    while (isAlive(pid!)) await new Promise((resolve) => setTimeout(resolve, 50))
    const stopped = await Promise.race([db.stop().then(() => 'stopped'), new Promise((resolve) => setTimeout(resolve, 5_000, 'still waiting'))])
    expect(stopped).toBe('stopped')
  }, TIMEOUT)

  it('keeps its generated password next to the cluster, readable by its owner only', async () => {
    const dir = await dataDir()
    const first = await start(dir)
    await first.stop()
    const second = await start(dir)
    const password = (url: string) => decodeURIComponent(new URL(url).password)
    expect(password(second.url)).toBe(password(first.url))
    expect(password(first.url).length).toBeGreaterThanOrEqual(24)
    const file = path.join(path.dirname(dir), 'pg-credentials.json')
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ password: password(first.url) })
    expect((await stat(file)).mode & 0o777).toBe(0o600)
  }, TIMEOUT)

  it('says why PostgreSQL would not start, at once, in the error', async () => {
    const dir = await dataDir()
    const began = Date.now()
    const error = await startEmbeddedPostgres({ dir, settings: { max_connections: 'plenty' } }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toMatch(/exited before it was ready[\s\S]*invalid value for parameter "max_connections": "plenty"/)
    expect(Date.now() - began).toBeLessThan(30_000)
    expect(postgresPids(dir)).toEqual([])
  }, TIMEOUT)

  it('clears a postmaster.pid left by a crash and starts', async () => {
    const dir = await dataDir()
    const first = await start(dir)
    await query(first.url, 'CREATE TABLE survived (id int)')
    await first.stop()

    // After a reboot the old pid is dead or, worse, taken by an unrelated process,
    // which PostgreSQL alone would take for a running server and refuse to start.
    const unrelated = spawn('sleep', ['60'])
    cleanups.push(async () => unrelated.kill())
    for (const pid of [2 ** 22 + 1, unrelated.pid!]) {
      expect(isAlive(unrelated.pid!)).toBe(true)
      await writeFile(path.join(dir, 'postmaster.pid'), `${pid}\n${dir}\n1700000000\n5432\n/tmp\n127.0.0.1\n  5432001  0\nready   \n`)
      const log: string[] = []
      const again = await start(dir, log)
      expect(log).toContain('removing stale postmaster.pid left by an earlier crash')
      expect(await query(again.url, "SELECT to_regclass('survived') IS NOT NULL AS ok")).toEqual([{ ok: true }])
      await again.stop()
    }
    // It only removed the lock file; the unrelated process lives on.
    expect(isAlive(unrelated.pid!)).toBe(true)
  }, TIMEOUT)

  it('shuts down a PostgreSQL orphaned by a killed parent and starts cleanly in its place', async () => {
    const dir = await dataDir()
    // The parent is a separate Node process, killed with SIGKILL: nothing of it gets to stop PostgreSQL.
    const tsx = pathToFileURL(path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/loader.mjs')).href
    const embedded = pathToFileURL(path.resolve(import.meta.dirname, 'embedded.ts')).href
    const script = `const { startEmbeddedPostgres } = await import(${JSON.stringify(embedded)})
const db = await startEmbeddedPostgres({ dir: ${JSON.stringify(dir)}, settings: { fsync: 'off' } })
console.log(db.url)`
    const parent = spawn(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
    const [firstUrl] = (await once(parent.stdout, 'data')) as [Buffer]
    const url = firstUrl.toString().trim()
    await query(url, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('from before the crash')")
    parent.kill('SIGKILL')
    await once(parent, 'exit')

    const [orphan] = postgresPids(dir)
    expect(orphan).toBeDefined()
    cleanups.push(async () => { if (isAlive(orphan!)) process.kill(orphan!, 'SIGKILL') })
    expect(Number((await readFile(path.join(dir, 'postmaster.pid'), 'utf8')).split('\n')[0])).toBe(orphan)

    const log: string[] = []
    const restarted = await start(dir, log)
    expect(log).toContain(`stopping orphaned PostgreSQL (pid ${orphan}) left by an earlier crash`)
    expect(isAlive(orphan!)).toBe(false)
    expect(await query(restarted.url, 'SELECT note FROM kept')).toEqual([{ note: 'from before the crash' }])
    // The fast shutdown was clean: no crash recovery was needed.
    expect(log.join('\n')).not.toMatch(/database system was interrupted|redo starts/)

    await restarted.stop()
    expect(postgresPids(dir)).toEqual([])
  }, TIMEOUT)
})
