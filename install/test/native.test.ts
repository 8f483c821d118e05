// The install scripts in their non-Docker mode, against a real PostgreSQL and a real server:
// one install lives through the whole file, as on an admin's host.
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, readlink, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createPool } from '../../apps/api/src/db/database.ts'
import { migrate } from '../../apps/api/src/db/migrate.ts'
import { headlineFigures, parseMoney } from '../../packages/roi-core/src/index.ts'
import { createTestDatabase } from './database.ts'
import { envValue, freePort, runScript, type RunResult } from './helpers.ts'
import { makeRelease } from './releases.ts'

const missing = inject('pgMissing')
if (missing) console.warn(`Skipping the native install tests: ${missing}`)

describe.skipIf(missing !== '')('the install scripts without Docker', () => {
  let tmp: string
  let dir: string
  let pool: pg.Pool
  let databaseUrl: string
  let port: number
  let releaseV1: string
  let env: Record<string, string>

  const script = (name: string, args: string[]): Promise<RunResult> =>
    runScript(name, ['--mode', 'native', '--dir', dir, ...args], env)
  const health = async () => (await fetch(`http://127.0.0.1:${port}/api/v1/health`)).json() as Promise<{ status: string; version: string }>
  const serverPid = async () => Number(await readFile(path.join(dir, 'run/yardstick.pid'), 'utf8'))

  /** Rows per table of the public schema, exactly (count(*), not the planner's estimate). */
  async function rowCounts(): Promise<Record<string, number>> {
    const { rows: tables } = await pool.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
    const counts: Record<string, number> = {}
    for (const { name } of tables) {
      const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM public."${name}"`)
      counts[name] = rows[0]!.n
    }
    return counts
  }

  /** restore.sh logs in to call the roll-up check: that session is the one row it adds. */
  const withoutSessions = ({ refresh_tokens: _sessions, ...counts }: Record<string, number>) => counts

  /** Each campaign's cost, expected and actual revenue, and the achievement and ROI shown for them. */
  async function campaignFigures() {
    const { rows } = await pool.query<{ code: string; cost: string; expected: string; actual: string }>(`
      SELECT c.code, c.actual_cost::text AS cost, c.expected_revenue::text AS expected,
             coalesce(sum(s.revenue), 0)::text AS actual
      FROM campaigns c LEFT JOIN campaign_rollup_slots s ON s.campaign_id = c.id
      GROUP BY c.id ORDER BY c.code`)
    return rows.map((r) => ({
      ...r,
      ...headlineFigures({ costCents: parseMoney(r.cost), expectedRevenueCents: parseMoney(r.expected), actualRevenueCents: parseMoney(r.actual) }),
    }))
  }

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'yardstick-install-'))
    dir = path.join(tmp, 'yardstick')
    port = await freePort()
    databaseUrl = await createTestDatabase('yardstick_native')
    pool = createPool(databaseUrl, 2)
    releaseV1 = await makeRelease(path.join(tmp, 'releases/v1'))
    await migrate(pool, path.join(releaseV1, 'migrations'))
    env = { YARDSTICK_PG_BINDIR: inject('pgBinDir'), YARDSTICK_HEALTH_TIMEOUT: '90' }
  })

  afterAll(async () => {
    // The server the scripts started (its pid file names it); then the database server.
    if (dir && existsSync(path.join(dir, 'run/yardstick.pid'))) {
      try { process.kill(await serverPid(), 'SIGTERM') } catch { /* already gone */ }
    }
    await pool?.end()
    if (tmp) await rm(tmp, { recursive: true, force: true })
  })

  it('install.sh installs and starts Yardstick, generating the secrets into a mode-600 .env', async () => {
    const result = await script('install.sh', ['--release', releaseV1, '--port', String(port), '--database-url', databaseUrl])
    expect(result.code, result.output).toBe(0)

    const dotenv = await readFile(path.join(dir, '.env'), 'utf8')
    expect((await stat(path.join(dir, '.env'))).mode & 0o777).toBe(0o600)
    expect(envValue(dotenv, 'JWT_SECRET')).toMatch(/^[0-9a-f]{64}$/)
    expect(envValue(dotenv, 'DATABASE_URL')).toBe(databaseUrl)
    expect(envValue(dotenv, 'NODE_ENV')).toBe('production')
    expect(await readlink(path.join(dir, 'current'))).toBe(releaseV1)

    // It prints where to go and how to log in, and that login works.
    const password = envValue(dotenv, 'CRM_ADMIN_PASSWORD')!
    expect(result.stdout).toContain(`:${port}`)
    expect(result.stdout).toContain('Admin login:  admin@localhost')
    expect(result.stdout).toContain(`Password:     ${password}`)
    expect(await health()).toMatchObject({ status: 'ok', version: '0.1.0' })
    const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@localhost', password }),
    })
    expect(login.status).toBe(200)

    // Data for the rest of the file: campaigns with orders rolled up into their revenue slots.
    await pool.query(`
      INSERT INTO campaigns (name, code, type, budget, actual_cost, expected_revenue) VALUES
        ('Spring trade show', 'TS-1', 'trade_show', 50000, 40000.00, 200000),
        ('Search ads', 'PS-1', 'paid_search', 10000, 12000.50, 30000),
        ('Webinar', 'WB-1', 'webinar', 0, 0, 0);
      INSERT INTO leads (name, campaign_id, status)
        SELECT 'Lead ' || i, (SELECT id FROM campaigns ORDER BY code OFFSET i % 3 LIMIT 1), 'new'
        FROM generate_series(1, 300) AS i;
      INSERT INTO orders (campaign_id, amount, status)
        SELECT (SELECT id FROM campaigns WHERE code = CASE WHEN i % 2 = 0 THEN 'TS-1' ELSE 'PS-1' END),
               (i * 137.25)::numeric(18,2), CASE WHEN i % 10 = 0 THEN 'cancelled' ELSE 'confirmed' END
        FROM generate_series(1, 200) AS i;
      INSERT INTO campaign_rollup_slots (campaign_id, slot, revenue, order_count)
        SELECT campaign_id, 0, sum(amount), count(*) FROM orders WHERE status = 'confirmed' GROUP BY campaign_id;
    `)
  })

  it('running install.sh again keeps the secrets, the data and the running server', async () => {
    const dotenvBefore = await readFile(path.join(dir, '.env'), 'utf8')
    const countsBefore = await rowCounts()
    const pidBefore = await serverPid()

    const result = await script('install.sh', ['--admin-email', 'someone@example.com'])
    expect(result.code, result.output).toBe(0)
    expect(await readFile(path.join(dir, '.env'), 'utf8')).toBe(dotenvBefore)
    expect(result.stdout).not.toContain(envValue(dotenvBefore, 'CRM_ADMIN_PASSWORD'))
    expect(result.stderr).toContain('--admin-email ignored')
    expect(await serverPid()).toBe(pidBefore)
    expect(await rowCounts()).toEqual(countsBefore)
  })

  it('backup.sh writes timestamped mode-600 archives and keeps only the newest --keep', async () => {
    const paths: string[] = []
    for (let i = 0; i < 3; i++) {
      const result = await script('backup.sh', ['--keep', '2'])
      expect(result.code, result.output).toBe(0)
      paths.push(result.stdout.trim().split('\n').at(-1)!)
    }
    const archives = (await readdir(path.join(dir, 'backups'))).filter((f) => f.endsWith('.tar')).sort()
    expect(archives).toEqual(paths.slice(1).map((p) => path.basename(p)))
    for (const archive of archives) {
      expect(archive).toMatch(/^yardstick-\d{8}T\d{6}Z\.tar$/)
      expect((await stat(path.join(dir, 'backups', archive))).mode & 0o777).toBe(0o600)
    }
  })

  it('restore.sh refuses to run unattended without --yes and changes nothing', async () => {
    const before = await rowCounts()
    const result = await script('restore.sh', [])
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain('--yes')
    expect(await rowCounts()).toEqual(before)
    expect((await health()).status).toBe('ok')
  })

  it('backup, wipe, restore gives back every row and the same campaign ROI figures', async () => {
    const counts = await rowCounts()
    const figures = await campaignFigures()
    expect(counts.orders).toBe(200)
    expect(figures.find((f) => f.code === 'TS-1')).toMatchObject({ cost: '40000.00', roiPct: expect.any(Number) })

    const backup = await script('backup.sh', [])
    expect(backup.code, backup.output).toBe(0)
    const archive = backup.stdout.trim().split('\n').at(-1)!

    await pool.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public')
    expect(await rowCounts()).toEqual({})

    const restore = await script('restore.sh', ['--yes', archive])
    expect(restore.code, restore.output).toBe(0)
    expect(restore.stdout).toContain('row counts match the backup')
    expect(restore.stdout).toMatch(/roll-ups match the orders|roll-up check skipped/)
    expect(withoutSessions(await rowCounts())).toEqual(withoutSessions(counts))
    expect(await campaignFigures()).toEqual(figures)
    expect(await health()).toMatchObject({ status: 'ok' })
  })

  it('a failed upgrade (a migration that fails) puts back the old version and its data', async () => {
    const counts = await rowCounts()
    const figures = await campaignFigures()
    const broken = await makeRelease(path.join(tmp, 'releases/v2-broken'), {
      version: '0.2.0',
      migrations: {
        '0900_upgrade_probe.sql': 'CREATE TABLE upgrade_probe (id int);',
        '0901_broken.sql': 'SELECT 1 / 0;',
      },
    })

    const result = await script('upgrade.sh', ['--release', broken])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('upgrade failed at: migrate')
    expect(result.stderr).toContain('Rolled back')

    expect(await readlink(path.join(dir, 'current'))).toBe(releaseV1)
    expect(await health()).toMatchObject({ status: 'ok', version: '0.1.0' })
    // 0900 had committed before 0901 failed: the restore took it away again.
    const { rows } = await pool.query<{ t: string | null }>("SELECT to_regclass('public.upgrade_probe')::text AS t")
    expect(rows[0]!.t).toBeNull()
    expect(await rowCounts()).toEqual(counts)
    expect(await campaignFigures()).toEqual(figures)
  })

  it('a good upgrade backs up, migrates and runs the new version with the data kept', async () => {
    const counts = await rowCounts()
    const next = await makeRelease(path.join(tmp, 'releases/v2'), {
      version: '0.2.0',
      migrations: { '0900_upgrade_probe.sql': 'CREATE TABLE upgrade_probe (id int);' },
    })

    const result = await script('upgrade.sh', ['--release', next])
    expect(result.code, result.output).toBe(0)
    expect(await readlink(path.join(dir, 'current'))).toBe(next)
    expect(await health()).toMatchObject({ status: 'ok', version: '0.2.0' })
    expect(await rowCounts()).toEqual({ ...counts, upgrade_probe: 0, schema_migrations: counts.schema_migrations! + 1 })
    expect((await readdir(path.join(dir, 'backups'))).some((f) => f.endsWith('-pre-upgrade.tar'))).toBe(true)
  })
})
