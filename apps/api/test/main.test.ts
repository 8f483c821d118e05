import { spawn, type ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import http from 'node:http'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const TIMEOUT = 120_000
const WAIT_MS = 60_000

const mainTs = path.resolve(import.meta.dirname, '../src/main.ts')
const tsxLoader = pathToFileURL(path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/loader.mjs')).href

/** The server as an operator starts it: its own process, a bare environment, no .env in its directory. */
class Server {
  readonly process: ChildProcess
  stdout = ''
  stderr = ''
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>

  constructor(env: Record<string, string>, cwd: string, options: { ownProcessGroup?: boolean } = {}) {
    this.process = spawn(process.execPath, ['--import', tsxLoader, mainTs], {
      cwd,
      // As in a terminal: Ctrl-C sends SIGINT to the whole group, the embedded PostgreSQL included.
      detached: options.ownProcessGroup ?? false,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? cwd, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    this.process.stdout!.on('data', (chunk: Buffer) => { this.stdout += chunk.toString() })
    this.process.stderr!.on('data', (chunk: Buffer) => { this.stderr += chunk.toString() })
    this.exited = new Promise((resolve) => this.process.on('exit', (code, signal) => resolve({ code, signal })))
  }

  /** Waits until the server printed something matching `pattern`. */
  async printed(pattern: RegExp): Promise<RegExpExecArray> {
    const deadline = Date.now() + WAIT_MS
    let exited = false
    void this.exited.then(() => { exited = true })
    while (Date.now() < deadline && !exited) {
      const match = pattern.exec(this.stdout)
      if (match) return match
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    throw new Error(`the server never printed ${pattern}.\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`)
  }

  /** Resolves with the base URL once the start banner is printed. */
  async running(): Promise<string> {
    const [, url] = await this.printed(/is running: (http:\/\/\S+)/)
    return url!.replace('localhost', '127.0.0.1')
  }

  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.process.kill('SIGTERM')
    return this.exited
  }
}

const servers: Server[] = []
const dirs: string[] = []
afterAll(async () => {
  for (const server of servers) if (server.process.exitCode === null) server.process.kill('SIGKILL')
  for (const dir of dirs) {
    for (const pid of postgresPids(dir)) process.kill(pid, 'SIGINT')
    await rm(dir, { recursive: true, force: true })
  }
})

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'yardstick-main-'))
  // The embedded PostgreSQL runs as the user postgres when the tests run as root.
  await chmod(dir, 0o755)
  dirs.push(dir)
  return dir
}

function startServer(env: Record<string, string>, cwd: string, options: { ownProcessGroup?: boolean } = {}): Server {
  const server = new Server(env, cwd, options)
  servers.push(server)
  return server
}

/** The pids of postgres processes whose data dir lies under `dir`. */
function postgresPids(dir: string): number[] {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).map(Number).filter((pid) => {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
      return args.some((arg) => arg.endsWith('postgres')) && args.some((arg) => arg.startsWith(dir))
    } catch {
      return false
    }
  })
}

async function login(baseUrl: string, password: string): Promise<{ status: number; accessToken?: string }> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@localhost', password }),
  })
  const body = (await res.json()) as { accessToken?: string }
  return { status: res.status, accessToken: body.accessToken }
}

/**
 * Sends a login whose body is only half written, so that the request is in flight when the
 * server is told to stop; `finish` writes the rest.
 */
function halfSentLogin(baseUrl: string, agent: http.Agent) {
  const body = JSON.stringify({ email: 'admin@localhost', password: 'not the password' })
  let settle: (value: { status: number; code: string } | Error) => void = () => {}
  const answer = new Promise<{ status: number; code: string } | Error>((resolve) => { settle = resolve })
  const req = http.request(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    agent,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  }, (res) => {
    let text = ''
    res.on('data', (chunk: Buffer) => { text += chunk.toString() })
    res.on('end', () => settle({ status: res.statusCode!, code: (JSON.parse(text) as { code: string }).code }))
  })
  req.on('error', settle)
  req.write(body.slice(0, 10))
  return { answer, finish: () => req.end(body.slice(10)) }
}

describe('main.ts', () => {
  it('starts on an embedded database, prints the first admin once, stops cleanly and keeps everything for the next start', async () => {
    const dataDir = await tempDir()
    const env = { CRM_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' }

    const first = startServer(env, dataDir)
    const url = await first.running()
    expect(first.stdout).toContain('Admin login: admin@localhost')
    const password = /Password:\s+(\S+)\s+\(shown once/.exec(first.stdout)?.[1]
    expect(password, first.stdout).toMatch(/^\S{12,}$/)
    expect(first.stdout).toContain(`embedded PostgreSQL in ${dataDir}/pg`)

    const session = await login(url, password!)
    expect(session.status).toBe(200)
    expect((await login(url, 'not the password')).status).toBe(401)
    const health = await fetch(`${url}/api/v1/health`)
    expect(await health.json()).toMatchObject({ status: 'ok', db: 'up' })
    expect(postgresPids(dataDir)).not.toEqual([])

    expect(await first.stop()).toEqual({ code: 0, signal: null })
    expect(postgresPids(dataDir)).toEqual([])
    expect(first.stderr).toBe('')

    const second = startServer(env, dataDir)
    const secondUrl = await second.running()
    expect(second.stdout).not.toContain('Admin login')
    expect(second.stdout).not.toContain('Password:')
    expect(second.stdout).not.toContain('Applied migrations')
    expect((await login(secondUrl, password!)).status).toBe(200)
    // The generated JWT secret is kept in the data dir, so a session survives the restart.
    const me = await fetch(`${secondUrl}/api/v1/me`, { headers: { authorization: `Bearer ${session.accessToken}` } })
    expect(me.status).toBe(200)

    expect(await second.stop()).toEqual({ code: 0, signal: null })
    expect(postgresPids(dataDir)).toEqual([])
  }, TIMEOUT)

  it('answers a request in flight before it stops on SIGTERM, then exits 0', async () => {
    const dataDir = await tempDir()
    const server = startServer({ CRM_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info' }, dataDir)
    const url = await server.running()
    const agent = new http.Agent({ keepAlive: true })
    const login = halfSentLogin(url, agent)
    await server.printed(/"msg":"incoming request"/)

    server.process.kill('SIGTERM')
    await server.printed(/"msg":"shutting down"/)
    login.finish()
    expect(await login.answer).toEqual({ status: 401, code: 'invalid_credentials' })
    // The kept-alive connection does not hold the shutdown open.
    expect(await server.exited).toEqual({ code: 0, signal: null })
    expect(postgresPids(dataDir)).toEqual([])
    agent.destroy()
  }, TIMEOUT)

  it('stops at once on Ctrl-C, which reaches the embedded PostgreSQL too, even with a request in flight', async () => {
    const dataDir = await tempDir()
    const server = startServer({ CRM_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info' }, dataDir, { ownProcessGroup: true })
    const url = await server.running()
    const agent = new http.Agent({ keepAlive: true })
    const login = halfSentLogin(url, agent)
    await server.printed(/"msg":"incoming request"/)

    const began = Date.now()
    process.kill(-server.process.pid!, 'SIGINT')
    await server.printed(/"msg":"shutting down"/)
    login.finish()
    // PostgreSQL got the SIGINT as well, so the login may find the database gone: it still gets a JSON answer.
    expect(await login.answer).toMatchObject({ status: expect.toSatisfy((s: number) => s === 401 || s === 503) })
    expect(await server.exited).toEqual({ code: 0, signal: null })
    expect(Date.now() - began).toBeLessThan(8_000)
    expect(postgresPids(dataDir)).toEqual([])
    agent.destroy()
  }, TIMEOUT)

  it('refuses an invalid environment with one line naming the variable, before starting anything', async () => {
    const dataDir = await tempDir()
    const server = startServer({ CRM_DATA_DIR: dataDir, PORT: 'abc' }, dataDir)
    const { code } = await server.exited
    expect(code).toBe(78)
    const lines = server.stderr.trim().split('\n')
    expect(lines).toEqual([expect.stringMatching(/^Configuration error: PORT .*"abc"/)])
    expect(server.stdout).toBe('')
    expect(readdirSync(dataDir)).toEqual([])
  }, TIMEOUT)

  it('lists every bad variable, one line each', async () => {
    const dataDir = await tempDir()
    const server = startServer({ CRM_DATA_DIR: dataDir, PORT: 'abc', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://db/crm' }, dataDir)
    expect((await server.exited).code).toBe(78)
    const lines = server.stderr.trim().split('\n')
    expect(lines).toHaveLength(3)
    for (const [i, name] of ['PORT', 'LOG_LEVEL', 'DATABASE_URL'].entries()) expect(lines[i]).toMatch(new RegExp(`^Configuration error: ${name} `))
  }, TIMEOUT)
})
