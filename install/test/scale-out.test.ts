// The scale-out promise behind the compose "scale" profile: several API processes on one
// database behave as one. Real processes, started together on an empty database, as replicas are.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createPool } from '../../apps/api/src/db/database.ts'
import { createTestDatabase } from './database.ts'
import { freePort } from './helpers.ts'
import { makeRelease } from './releases.ts'

const ADMIN = { email: 'admin@example.com', password: 'scale-out-admin-password' }

describe.skipIf(inject('pgMissing') !== '')('two API processes on one database', () => {
  let tmp: string
  let pool: pg.Pool
  const processes: ChildProcess[] = []
  const urls: string[] = []
  let token: string

  async function waitHealthy(url: string, child: ChildProcess, log: () => string): Promise<void> {
    const deadline = Date.now() + 90_000
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`the API at ${url} exited with ${child.exitCode}:\n${log()}`)
      const ok = await fetch(`${url}/api/v1/health`).then((r) => r.ok, () => false)
      if (ok) return
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    throw new Error(`the API at ${url} did not become healthy:\n${log()}`)
  }

  const api = (base: string, method: string, route: string, body?: unknown) =>
    fetch(`${base}/api/v1${route}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'yardstick-scale-'))
    const release = await makeRelease(path.join(tmp, 'release'))
    const databaseUrl = await createTestDatabase('yardstick_scale')
    // INIT_CWD (set by pnpm) would make the app read the .env of the folder the tests started in.
    const { INIT_CWD: _initCwd, ...inherited } = process.env
    const shared = {
      ...inherited, NODE_ENV: 'production', HOST: '127.0.0.1', LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl, JWT_SECRET: 'a-secret-both-processes-share-0123456789abcdef',
      CRM_DATA_DIR: path.join(tmp, 'data'), CRM_ADMIN_EMAIL: ADMIN.email, CRM_ADMIN_PASSWORD: ADMIN.password,
      DATABASE_POOL_SIZE: '10',
    }
    // Both at once on an empty database: the migrations and the first admin must happen once.
    const started = await Promise.all([0, 1].map(async () => {
      const port = await freePort()
      let log = ''
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        cwd: path.join(release, 'apps/api'), env: { ...shared, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'],
      })
      child.stdout!.on('data', (chunk: Buffer) => { log += chunk })
      child.stderr!.on('data', (chunk: Buffer) => { log += chunk })
      processes.push(child)
      return { url: `http://127.0.0.1:${port}`, child, log: () => log }
    }))
    await Promise.all(started.map((s) => waitHealthy(s.url, s.child, s.log)))
    urls.push(...started.map((s) => s.url))

    pool = createPool(databaseUrl, 2)
    await pool.query(`INSERT INTO campaigns (name, code, type, actual_cost, expected_revenue) VALUES
      ('North', 'N-1', 'trade_show', 1000, 50000), ('South', 'S-1', 'email', 500, 20000), ('West', 'W-1', 'webinar', 0, 0)`)
  })

  afterAll(async () => {
    for (const child of processes) child.kill('SIGTERM')
    await Promise.all(processes.map((child) => child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : null))
    await pool?.end()
    if (tmp) await rm(tmp, { recursive: true, force: true })
  })

  it('migrated the database and created the first admin exactly once', async () => {
    const { rows: users } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM users')
    expect(users[0]!.n).toBe(1)
    const { rows: migrations } = await pool.query<{ version: string; n: number }>(
      'SELECT version, count(*)::int AS n FROM schema_migrations GROUP BY version HAVING count(*) > 1')
    expect(migrations).toEqual([])
  })

  it('accepts on one process the session opened on the other', async () => {
    const login = await fetch(`${urls[0]}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN),
    })
    expect(login.status).toBe(200)
    const session = await login.json() as { accessToken: string; refreshToken: string }
    token = session.accessToken
    expect((await api(urls[1]!, 'GET', '/me')).status).toBe(200)

    // Refresh tokens live in the database: one issued by the first process is redeemed by the second.
    const refreshed = await fetch(`${urls[1]}/api/v1/auth/refresh`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: session.refreshToken }),
    })
    expect(refreshed.status).toBe(200)
  })

  it('rolls concurrent order writes through both processes into campaign revenue without drift', async () => {
    const { rows: campaigns } = await pool.query<{ id: string; code: string }>('SELECT id, code FROM campaigns ORDER BY code')
    const orders = Array.from({ length: 160 }, (_, i) => ({
      campaignId: campaigns[i % campaigns.length]!.id,
      amount: `${100 + (i % 17) * 25}.${String(i % 100).padStart(2, '0')}`,
    }))
    // Eight writers per process, all campaigns hot at once.
    const queue = orders.map((order, i) => ({ order, base: urls[i % 2]! }))
    const statuses: number[] = []
    await Promise.all(Array.from({ length: 16 }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        statuses.push((await api(next.base, 'POST', '/orders', next.order)).status)
      }
    }))
    expect(statuses.filter((s) => s !== 201)).toEqual([])

    for (const base of urls) {
      const verify = await api(base, 'GET', '/admin/rollups/verify')
      expect(verify.status).toBe(200)
      expect(await verify.json()).toMatchObject({ ok: true, checked: campaigns.length, campaigns: [] })
    }
    // And the stored revenue is what was sent, to the cent.
    const sent = new Map<string, bigint>()
    for (const { campaignId, amount } of orders) sent.set(campaignId, (sent.get(campaignId) ?? 0n) + BigInt(amount.replace('.', '')))
    const { rows: stored } = await pool.query<{ campaign_id: string; cents: string }>(
      'SELECT campaign_id, (sum(revenue) * 100)::bigint::text AS cents FROM campaign_rollup_slots GROUP BY campaign_id')
    expect(new Map(stored.map((r) => [r.campaign_id, BigInt(r.cents)]))).toEqual(sent)
  })

  it('delivers a change written through one process to a live-events client of the other', async () => {
    const controller = new AbortController()
    const stream = await fetch(`${urls[0]}/api/v1/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal })
    expect(stream.status).toBe(200)
    const reader = stream.body!.getReader()
    const decoder = new TextDecoder()
    let received = ''
    const readUntil = async (needle: string) => {
      const deadline = Date.now() + 5_000
      while (!received.includes(needle) && Date.now() < deadline) {
        const { value, done } = await reader.read()
        if (done) break
        received += decoder.decode(value, { stream: true })
      }
      return received.includes(needle)
    }
    expect(await readUntil('event: ready')).toBe(true)
    const { rows: [campaign] } = await pool.query<{ id: string }>('SELECT id FROM campaigns ORDER BY code LIMIT 1')
    const created = await api(urls[1]!, 'POST', '/orders', { campaignId: campaign!.id, amount: '1.00' })
    expect(created.status).toBe(201)
    const { id } = (await created.json()) as { id: string }
    expect(await readUntil(id)).toBe(true)
    controller.abort()
  })
})
