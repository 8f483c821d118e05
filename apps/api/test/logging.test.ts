import { describe, expect, it } from 'vitest'
import { buildApp } from '../src/app.ts'
import { systemContext } from '../src/lib/context.ts'
import { createUser } from '../src/modules/users/users.service.ts'
import { createTestDatabase, TEST_JWT_SECRET, testConfig } from './helper.ts'

const database = await createTestDatabase()
const lines: string[] = []
const app = await buildApp({ config: testConfig({ LOG_LEVEL: 'trace' }), db: database.db, pool: database.pool, jwtSecret: TEST_JWT_SECRET, logStream: { write: (line) => lines.push(line) } })
// A route that logs what careless code might log: the request's headers and body.
app.post('/api/v1/test-echo', { config: { access: 'public' } }, async (request) => {
  request.log.info({ req: { headers: request.headers }, body: request.body }, 'echo')
  return { ok: true }
})
await app.ready()
await createUser(database.db, systemContext('test'), { email: 'log@example.com', name: 'Log', role: 'admin', password: 'secret-password-1' })

describe('the logs', () => {
  it('never carry passwords, tokens or Authorization headers', async () => {
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'log@example.com', password: 'secret-password-1' } })
    const { accessToken, refreshToken } = login.json()
    await app.inject({
      method: 'POST', url: '/api/v1/test-echo',
      headers: { authorization: `Bearer ${accessToken}` },
      payload: { password: 'secret-password-1', refreshToken, nested: { token: 'ys_some-api-token' } },
    })
    const log = lines.join('')
    expect(log).toContain('echo')
    expect(log).toContain('[redacted]')
    for (const secret of ['secret-password-1', accessToken, refreshToken, 'ys_some-api-token']) expect(log).not.toContain(secret)
  })
})
