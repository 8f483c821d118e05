import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { existsSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'

export const repoRoot = path.resolve(import.meta.dirname, '../..')
export const installDir = path.join(repoRoot, 'install')

/** ajv, ajv-formats, yaml and pg are dependencies of apps/api; the install tests borrow them. */
export const requireFromApi = createRequire(path.join(repoRoot, 'apps/api/package.json'))

export interface RunResult {
  code: number
  stdout: string
  stderr: string
  /** stdout and stderr together, in order. */
  output: string
}

/**
 * Runs one of the install scripts with bash, never from a terminal (stdin is empty), with an
 * environment cleaned of anything that could point it at another install.
 */
export function runScript(script: string, args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(YARDSTICK_|DATABASE_URL$|INIT_CWD$|CRM_|JWT_SECRET$|PORT$|HOST$|NODE_ENV$)/.test(key)),
  )
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(installDir, script), ...args], {
      cwd: repoRoot,
      env: { ...inherited, NO_COLOR: '1', YARDSTICK_SUPERVISOR: 'pidfile', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk; output += chunk })
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk; output += chunk })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, output }))
  })
}

/** Runs a command and resolves with its exit code and output (no shell). */
export function run(command: string, args: string[], options: { cwd?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? repoRoot, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk })
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, output: stdout + stderr }))
  })
}

export function commandExists(command: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => existsSync(path.join(dir, command)))
}

export function freePort(): Promise<number> {
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

/** The value of KEY in an env file's text. */
export function envValue(text: string, key: string): string | undefined {
  return text.split('\n').find((line) => line.startsWith(`${key}=`))?.slice(key.length + 1)
}
