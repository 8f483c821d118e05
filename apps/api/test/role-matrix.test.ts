import { createHmac, randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { buildApp } from '../src/app.ts'
import { PERMISSIONS, ROLE_PERMISSIONS, ROLES, roleAllows, type Access, type Role } from '../src/lib/permissions.ts'
import { bearer, buildTestApp, TEST_JWT_SECRET, testConfig } from './helper.ts'

const { app, db, database, tokenFor } = await buildTestApp()

// Routes that exist today; features only ever add to this list.
const KNOWN_ROUTES: ReadonlyArray<readonly [string, string, Access]> = [
  ['GET', '/api/v1/health', 'public'],
  ['POST', '/api/v1/auth/login', 'public'],
  ['POST', '/api/v1/auth/refresh', 'public'],
  ['POST', '/api/v1/auth/logout', 'public'],
  ['GET', '/api/v1/me', 'authenticated'],
  ['PATCH', '/api/v1/me', 'authenticated'],
  ['POST', '/api/v1/me/password', 'authenticated'],
  ['GET', '/api/v1/users', 'users:manage'],
  ['POST', '/api/v1/users', 'users:manage'],
  ['GET', '/api/v1/users/:id', 'users:manage'],
  ['PATCH', '/api/v1/users/:id', 'users:manage'],
  ['POST', '/api/v1/users/:id/deactivate', 'users:manage'],
  ['POST', '/api/v1/users/:id/reset-password', 'users:manage'],
  ['GET', '/api/v1/api-tokens', 'api-tokens:manage'],
  ['POST', '/api/v1/api-tokens', 'api-tokens:manage'],
  ['DELETE', '/api/v1/api-tokens/:id', 'api-tokens:manage'],
  ['GET', '/api/v1/audit', 'audit:read'],
  ['GET', '/api/v1/events', 'authenticated'],
]

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'

/**
 * A request any route can take: random UUIDs for path parameters, an empty object for a body.
 * The body is read as a stream, so that a route answering with an endless one (the event stream)
 * is judged by its head: its body is the first chunk.
 */
async function request(route: { method: string; url: string }, headers: Record<string, string> = {}) {
  const url = route.url.replace(/:[A-Za-z_]\w*/g, () => randomUUID()).replace(/\*$/, 'anything')
  const withBody = ['POST', 'PATCH', 'PUT'].includes(route.method)
  const res = await app.inject({ method: route.method as Method, url, headers, payloadAsStream: true, ...(withBody ? { payload: {} } : {}) })
  const stream = res.stream()
  const endless = String(res.headers['content-type']).startsWith('text/event-stream')
  const chunks: Buffer[] = []
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer)
    if (endless) break
  }
  stream.destroy()
  const body = Buffer.concat(chunks).toString('utf8')
  return { statusCode: res.statusCode, headers: res.headers, body, json: () => JSON.parse(body) as Record<string, unknown> }
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url')

/** Re-signs a token's claims with a changed expiry: a token this server really issued, only older. */
function resignedToken(token: string, change: (claims: Record<string, unknown>) => Record<string, unknown>, secret = TEST_JWT_SECRET): string {
  const [header, payload] = token.split('.') as [string, string]
  const claims = change(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>)
  const signed = `${header}.${base64url(JSON.stringify(claims))}`
  return `${signed}.${createHmac('sha256', secret).update(signed).digest('base64url')}`
}

const now = Math.floor(Date.now() / 1000)
const adminToken = await tokenFor('admin')
const expiredToken = resignedToken(adminToken, (claims) => ({ ...claims, iat: now - 7200, exp: now - 3600 }))
const [head, body, signature] = adminToken.split('.') as [string, string, string]
// Same header and claims, a signature that is not the server's.
const tamperedToken = `${head}.${body}.${createHmac('sha256', 'someone-elses-secret-of-some-length').update(`${head}.${body}`).digest('base64url')}`
const forgedClaimsToken = `${head}.${base64url(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), role: 'admin', sub: randomUUID() }))}.${signature}`

describe('the route registry', () => {
  it('holds every /api/v1 route, including all the routes known today', () => {
    expect(app.routeAccess.length).toBeGreaterThanOrEqual(KNOWN_ROUTES.length)
    const declared = app.routeAccess.map((r) => [r.method, r.url, r.access])
    expect(declared).toEqual(expect.arrayContaining(KNOWN_ROUTES.map((r) => [...r])))
  })

  it('has an access declaration for every route, and only ones the policy knows', () => {
    const valid = new Set<string>(['public', 'authenticated', ...PERMISSIONS])
    const bad = app.routeAccess.filter((r) => r.access === undefined || !valid.has(r.access)).map((r) => `${r.method} ${r.url}`)
    expect(bad).toEqual([])
  })

  it('stops an app with an undeclared /api/v1 route from starting', async () => {
    const leaky = await buildApp({ config: testConfig(), db, pool: database.pool, jwtSecret: TEST_JWT_SECRET })
    leaky.get('/api/v1/leaky', async () => ({ secret: true }))
    leaky.post('/api/v1/declared', { config: { access: 'public' } }, async () => ({}))
    try {
      await expect(leaky.ready()).rejects.toThrow('Routes without an access declaration: GET /api/v1/leaky')
    } finally {
      await leaky.close().catch(() => {})
    }
  })

  it('lets routes outside /api/v1 (the SPA, the docs) go without a declaration', async () => {
    const other = await buildApp({ config: testConfig(), db, pool: database.pool, jwtSecret: TEST_JWT_SECRET })
    other.get('/robots.txt', async () => 'User-agent: *')
    await expect(other.ready()).resolves.toBeDefined()
    await other.close()
  })
})

describe('the policy', () => {
  it('gives admin every permission and viewer only reads', () => {
    expect([...ROLE_PERMISSIONS.admin].sort()).toEqual([...PERMISSIONS].sort())
    expect([...ROLE_PERMISSIONS.viewer].every((p) => p.endsWith(':read'))).toBe(true)
  })

  it('keeps users, API tokens, settings and the audit log to admins', () => {
    for (const permission of ['users:manage', 'api-tokens:manage', 'settings:manage', 'audit:read'] as const) {
      expect(ROLES.filter((role) => roleAllows(role, permission))).toEqual(['admin'])
    }
  })

  it('lets marketing write what marketing owns and sales what sales owns', () => {
    const writes = (role: Role) => [...ROLE_PERMISSIONS[role]].filter((p) => p.endsWith(':write')).sort()
    expect(writes('marketing')).toEqual(['campaigns:write', 'costs:write', 'leads:write', 'touchpoints:write'])
    expect(writes('sales')).toEqual(['accounts:write', 'contacts:write', 'leads:write', 'opportunities:write', 'orders:write'])
  })
})

describe('the access check', () => {
  it('accepts the admin token it re-signs, so the rejections below are about expiry and signature alone', async () => {
    const fresh = resignedToken(adminToken, (claims) => ({ ...claims, iat: now, exp: now + 600 }))
    expect((await app.inject({ url: '/api/v1/me', headers: bearer(fresh) })).statusCode).toBe(200)
  })

  it('refuses a token whose claims were changed', async () => {
    const res = await app.inject({ url: '/api/v1/me', headers: bearer(forgedClaimsToken) })
    expect(res.statusCode).toBe(401)
    expect(res.json().code).toBe('token_invalid')
  })
})

// Built from the live registry: routes added by any feature are covered without touching this file.
describe.each(app.routeAccess.map((r) => ({ ...r, name: `${r.method} ${r.url} (${r.access})` })))('$name', (route) => {
  const access = route.access!
  const expect401 = async (headers: Record<string, string>, code: string) => {
    const res = await request(route, headers)
    expect(res.statusCode, res.body).toBe(401)
    expect(res.json()).toMatchObject({ statusCode: 401, code })
    expect(res.headers['www-authenticate']).toBe('Bearer')
  }

  if (access === 'public') {
    it('is open to an anonymous caller', async () => {
      const res = await request(route)
      expect([401, 403], res.body).not.toContain(res.statusCode)
      expect(res.statusCode, res.body).toBeLessThan(500)
    })
  } else {
    it('answers 401 to an anonymous caller', () => expect401({}, 'unauthorized'))
    it('answers 401 token_expired to an expired access token', () => expect401(bearer(expiredToken), 'token_expired'))
    it('answers 401 token_invalid to a token with a changed signature', () => expect401(bearer(tamperedToken), 'token_invalid'))
    it('answers 401 token_invalid to an unknown API token', () => expect401(bearer(`ys_${'x'.repeat(40)}`), 'token_invalid'))
    it('answers 401 token_invalid to an Authorization header that is not Bearer', () => expect401({ authorization: 'Basic YWRtaW46YWRtaW4=' }, 'token_invalid'))
  }

  const cases = ROLES.map((role) => {
    const allowed = roleAllows(role, access)
    return { role, allowed, name: allowed ? `lets ${role} through` : `refuses ${role} with 403 forbidden` }
  })
  it.each(cases)(
    '$name',
    async ({ role, allowed }) => {
      const res = await request(route, bearer(await tokenFor(role)))
      if (allowed) {
        // Past the access check; random ids and an empty body may still be refused on their merits.
        expect([401, 403], res.body).not.toContain(res.statusCode)
        expect(res.statusCode, res.body).toBeLessThan(500)
      } else {
        expect(res.statusCode, res.body).toBe(403)
        expect(res.json()).toMatchObject({ statusCode: 403, code: 'forbidden' })
      }
    },
  )
})
