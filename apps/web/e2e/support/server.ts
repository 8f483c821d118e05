import { spawn, type ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

const repoRoot = path.resolve(import.meta.dirname, '../../../..')
const START_TIMEOUT_MS = 90_000

export interface RunningServer {
  baseUrl: string
  stop(): Promise<void>
}

async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** The pids of postgres processes whose data dir lies under `dir` (left behind by a crash). */
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

/**
 * The real server as an operator starts it (`node --import tsx apps/api/src/main.ts`) with its
 * embedded PostgreSQL in a fresh data dir, serving the built SPA; resolves once /api/v1/health answers.
 */
export async function startServer(admin: { email: string; password: string }): Promise<RunningServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'yardstick-e2e-'))
  // The embedded PostgreSQL runs as the user postgres when the tests run as root.
  await chmod(dataDir, 0o755)
  const port = await freePort()
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CRM_DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    CRM_ADMIN_EMAIL: admin.email,
    CRM_ADMIN_PASSWORD: admin.password,
    CRM_DEMO_DATA: '0',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
  }
  // A database from the developer's shell would receive the test data: always the embedded one.
  delete env.DATABASE_URL
  delete env.CRM_WEB_DIST

  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))

  const cleanUp = async () => {
    for (const pid of postgresPids(dataDir)) process.kill(pid, 'SIGINT')
    await rm(dataDir, { recursive: true, force: true })
  }
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      await exited
      clearTimeout(timer)
    }
    await cleanUp()
  }

  const baseUrl = `http://127.0.0.1:${port}`
  const deadline = Date.now() + START_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await cleanUp()
      throw new Error(`The server exited before it was ready (${child.exitCode ?? child.signalCode}):\n${output}`)
    }
    const healthy = await fetch(`${baseUrl}/api/v1/health`).then((res) => res.ok, () => false)
    if (healthy) return { baseUrl, stop }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  await stop()
  throw new Error(`The server did not answer /api/v1/health within ${START_TIMEOUT_MS / 1000} s:\n${output}`)
}
