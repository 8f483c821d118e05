import { randomBytes } from 'node:crypto'
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, it, inject } from 'vitest'
import { withDatabase } from '../../test/global-setup.ts'
import { createPool } from './database.ts'
import { migrate, migrationsDir } from './migrate.ts'

const admin = new pg.Client({ connectionString: inject('pgAdminUrl') })
await admin.connect()
const name = `m_${randomBytes(6).toString('hex')}`
await admin.query(`CREATE DATABASE ${name}`)
const pool = createPool(withDatabase(inject('pgAdminUrl'), name), 2)
const before0005 = await mkdtemp(path.join(os.tmpdir(), 'yardstick-0004-'))
for (const file of await readdir(migrationsDir)) {
  if (file < '0005') await copyFile(path.join(migrationsDir, file), path.join(before0005, file))
}

afterAll(async () => {
  await pool.end()
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await admin.end()
  await rm(before0005, { recursive: true, force: true })
})

describe('migration 0005 on a database with data', () => {
  it('moves each campaign\'s spend into one cost entry and dates each lead\'s first response', async () => {
    await migrate(pool, before0005)
    const { rows: [campaign] } = await pool.query<{ id: string }>(`
      INSERT INTO campaigns (name, code, type, start_date, actual_cost) VALUES ('Old expo', 'OLD-1', 'trade_show', '2025-06-01', 1234.56)
      RETURNING id`)
    await pool.query(`INSERT INTO campaigns (name, code, type, actual_cost, created_at) VALUES ('Free', 'OLD-2', 'email', 0, '2025-01-01')`)
    const { rows: [lead] } = await pool.query<{ id: string }>(`
      INSERT INTO leads (name, status, created_at, updated_at) VALUES ('Answered', 'contacted', '2025-06-02 09:00+08', '2025-06-09 09:00+08')
      RETURNING id`)
    await pool.query(`
      INSERT INTO audit_log (occurred_at, actor_label, entity, entity_id, action, changes) VALUES
        ('2025-06-02 10:00+08', 'x', 'lead', $1, 'update', '{"name": {"before": "A", "after": "Answered"}}'),
        ('2025-06-02 11:30+08', 'x', 'lead', $1, 'update', '{"status": {"before": "new", "after": "contacted"}}')`, [lead!.id])
    await pool.query(`INSERT INTO leads (name, status) VALUES ('Untouched', 'new')`)

    await migrate(pool)

    const { rows: costs } = await pool.query('SELECT campaign_id, spent_on::text, category, amount::text FROM campaign_costs')
    expect(costs).toEqual([{ campaign_id: campaign!.id, spent_on: '2025-06-01', category: 'other', amount: '1234.56' }])
    const { rows: cost } = await pool.query('SELECT actual_cost::text FROM campaigns ORDER BY code')
    expect(cost.map((r) => r.actual_cost)).toEqual(['1234.56', '0.00'])
    const { rows: leads } = await pool.query(`SELECT name, first_response_at FROM leads ORDER BY name`)
    expect(leads).toEqual([
      { name: 'Answered', first_response_at: new Date('2025-06-02T03:30:00Z') },
      { name: 'Untouched', first_response_at: null },
    ])
  })
})
