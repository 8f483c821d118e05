import pg from 'pg'
import { afterAll, describe, expect, it, inject } from 'vitest'
import { version } from '../src/app.ts'
import { buildTestApp } from './helper.ts'

const { app, database } = await buildTestApp()
const address = await app.listen({ port: 0, host: '127.0.0.1' })
const name = new URL(database.url).pathname.slice(1)

// The outage is caused from outside, as a DBA or a crashed server would.
const admin = new pg.Client({ connectionString: inject('pgAdminUrl') })
await admin.connect()
afterAll(async () => {
  await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`)
  await admin.end()
})

const health = async () => {
  const res = await fetch(`${address}/api/v1/health`)
  return { status: res.status, body: (await res.json()) as unknown }
}

async function takeDatabaseDown(): Promise<void> {
  await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`)
  await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name])
}

describe('GET /api/v1/health', () => {
  it('reports the database up and the running version', async () => {
    expect(await health()).toEqual({ status: 200, body: { status: 'ok', db: 'up', version } })
    expect(version).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('needs no token', async () => {
    const res = await app.inject({ url: '/api/v1/health', headers: { authorization: 'Bearer not-a-token' } })
    expect(res.statusCode).toBe(200)
  })

  it('answers 503 while the database is unreachable and 200 again once it is back, without a restart', async () => {
    await takeDatabaseDown()
    expect(await health()).toEqual({ status: 503, body: { status: 'unavailable', db: 'down', version } })
    // Asked again: the pool keeps failing cleanly rather than hanging or crashing.
    expect(await health()).toEqual({ status: 503, body: { status: 'unavailable', db: 'down', version } })

    // The server itself keeps answering what needs no database.
    const unknown = await fetch(`${address}/api/v1/no-such-route`)
    expect(unknown.status).toBe(404)

    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`)
    expect(await health()).toEqual({ status: 200, body: { status: 'ok', db: 'up', version } })
  })

  it('turns a database outage on any other route into a JSON 503, not a 500', async () => {
    await takeDatabaseDown()
    try {
      const res = await fetch(`${address}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'ada@example.com', password: 'correct horse battery' }),
      })
      expect(res.status).toBe(503)
      expect(await res.json()).toMatchObject({ statusCode: 503, code: 'service_unavailable', requestId: res.headers.get('x-request-id') })
    } finally {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`)
    }
    expect((await health()).status).toBe(200)
  })
})
