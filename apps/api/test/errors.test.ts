import type { FastifyInstance } from 'fastify'
import { afterAll, describe, expect, it } from 'vitest'
import { buildApp } from '../src/app.ts'
import { bearer, buildTestApp, TEST_JWT_SECRET, testConfig } from './helper.ts'

const { app, db, database, tokenFor } = await buildTestApp()

/** Another app on the same database, with its own configuration and extra routes added before ready(). */
async function appWith(config: Record<string, string>, addRoutes: (app: FastifyInstance) => void = () => {}): Promise<FastifyInstance> {
  const other = await buildApp({ config: testConfig(config), db, pool: database.pool, jwtSecret: TEST_JWT_SECRET })
  addRoutes(other)
  await other.ready()
  afterAll(() => other.close())
  return other
}

const SECRET_DETAIL = 'connect to postgres://crm:hunter2@10.0.0.7/crm failed'
const throwing = await appWith({}, (it) => {
  it.get('/api/v1/test/boom', { config: { access: 'public' } }, async () => {
    throw new Error(SECRET_DETAIL)
  })
})

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const login = (payload: string, contentType = 'application/json') =>
  app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': contentType }, payload })

describe('errors', () => {
  it('answers an unknown /api route with a JSON 404 route_not_found', async () => {
    for (const [method, url] of [['GET', '/api/v1/nothing-here'], ['POST', '/api/v1/users/x/y/z'], ['GET', '/api/v2/health']] as const) {
      const res = await app.inject({ method, url: `${url}?q=1` })
      expect(res.statusCode).toBe(404)
      expect(res.headers['content-type']).toMatch(/^application\/json/)
      expect(res.json()).toEqual({
        statusCode: 404,
        error: 'Not Found',
        code: 'route_not_found',
        message: `Route ${method} ${url} does not exist`,
      })
    }
  })

  it('answers a body that is not JSON with 400 validation_failed', async () => {
    const res = await login('{"email": "ada@example.com", ')
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'validation_failed', details: [{ field: 'body', message: 'not valid JSON' }] })
  })

  it('answers an empty JSON body with 400 validation_failed', async () => {
    const res = await login('')
    expect(res.statusCode).toBe(400)
    expect(res.json().code).toBe('validation_failed')
  })

  it('answers a body of a media type it does not read with 415', async () => {
    const res = await login('<login><email>ada@example.com</email></login>', 'application/xml')
    expect(res.statusCode).toBe(415)
    expect(res.json().code).toBe('unsupported_media_type')
  })

  it('lists every bad field of the body in details, not only the first', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer(await tokenFor('admin')),
      payload: { email: 'not-an-email', name: '', role: 'king', password: 'short', nickname: 'x' },
    })
    expect(res.statusCode).toBe(400)
    const body = res.json()
    expect(body.code).toBe('validation_failed')
    const fields = (body.details as { field: string; message: string }[]).map((d) => d.field)
    expect([...new Set(fields)].sort()).toEqual(['email', 'name', 'nickname', 'password', 'role'])
    expect(body.details).toContainEqual({ field: 'nickname', message: 'is not a known field' })
    expect(body.details).toContainEqual({ field: 'role', message: 'must be one of admin, marketing, sales, viewer' })
    for (const field of ['email', 'name', 'password', 'role']) expect(body.message).toContain(`${field}:`)
  })

  it('names a missing field and a bad query parameter', async () => {
    const missing = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'ada@example.com' } })
    expect(missing.json().details).toEqual([{ field: 'password', message: 'is required' }])

    const query = await app.inject({ url: '/api/v1/users?limit=0&role=king', headers: bearer(await tokenFor('admin')) })
    expect(query.statusCode).toBe(400)
    expect(query.json().details.map((d: { field: string }) => d.field).sort()).toEqual(['limit', 'role'])
  })

  it('answers an unexpected exception with 500 internal_error and a request id, leaking nothing', async () => {
    const res = await throwing.inject({ url: '/api/v1/test/boom' })
    expect(res.statusCode).toBe(500)
    const body = res.json()
    expect(body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      code: 'internal_error',
      message: expect.stringContaining(body.requestId),
      requestId: res.headers['x-request-id'],
    })
    expect(body.requestId).toMatch(UUID)
    expect(res.body).not.toContain('hunter2')
    expect(res.body).not.toContain('postgres://')
    expect(res.body).not.toMatch(/\bat .+:\d+:\d+/) // no stack frame
  })

  it('gives every response an x-request-id, a new one per request', async () => {
    const ok = await app.inject({ url: '/api/v1/health' })
    const notFound = await app.inject({ url: '/api/v1/nothing-here' })
    const unauthorized = await app.inject({ url: '/api/v1/me' })
    const ids = [ok, notFound, unauthorized].map((res) => res.headers['x-request-id'])
    for (const id of ids) expect(id).toMatch(UUID)
    expect(new Set(ids).size).toBe(3)
  })

  it('keeps the x-request-id a proxy sends, so its logs and ours line up', async () => {
    const res = await throwing.inject({ url: '/api/v1/test/boom', headers: { 'x-request-id': 'proxy-42' } })
    expect(res.headers['x-request-id']).toBe('proxy-42')
    expect(res.json().requestId).toBe('proxy-42')
  })

  it('sets the security headers on API responses', async () => {
    const res = await app.inject({ url: '/api/v1/health' })
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
    })
    const csp = String(res.headers['content-security-policy'])
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("object-src 'none'")
    expect(res.headers['x-powered-by']).toBeUndefined()
  })

  it('leaves plain-http intranet installs working: no HSTS and no upgrade to https', async () => {
    for (const url of ['/api/v1/health', '/api/docs']) {
      const res = await app.inject({ url })
      expect(res.headers['strict-transport-security']).toBeUndefined()
      expect(String(res.headers['content-security-policy'])).not.toContain('upgrade-insecure-requests')
    }
  })

  it('answers a body over BODY_LIMIT_BYTES with a JSON 413', async () => {
    const small = await appWith({ BODY_LIMIT_BYTES: '1024' })
    const res = await small.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'ada@example.com', password: 'x'.repeat(2000) },
    })
    expect(res.statusCode).toBe(413)
    expect(res.json()).toMatchObject({ statusCode: 413, code: 'payload_too_large' })
    // Just under the limit is read (and then judged on its content).
    const fits = await small.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'ada@example.com', password: 'x'.repeat(900) } })
    expect(fits.statusCode).toBe(400)
  })
})

describe('CORS', () => {
  const origin = 'https://crm.example.com'

  it('allows no other origin by default', async () => {
    const res = await app.inject({ url: '/api/v1/health', headers: { origin } })
    expect(res.statusCode).toBe(200)
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('allows an origin listed in CORS_ORIGINS, and only that one', async () => {
    const cors = await appWith({ CORS_ORIGINS: `${origin},http://localhost:5173` })
    const allowed = await cors.inject({ url: '/api/v1/health', headers: { origin } })
    expect(allowed.headers['access-control-allow-origin']).toBe(origin)
    expect(allowed.headers['access-control-allow-credentials']).toBeUndefined()

    const other = await cors.inject({ url: '/api/v1/health', headers: { origin: 'https://evil.example.com' } })
    expect(other.headers['access-control-allow-origin']).toBeUndefined()

    const preflight = await cors.inject({
      method: 'OPTIONS',
      url: '/api/v1/users',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    })
    expect(preflight.statusCode).toBe(204)
    expect(preflight.headers['access-control-allow-origin']).toBe(origin)
  })
})

describe('GET /api/v1/openapi.json', () => {
  const get = async () => {
    const res = await app.inject({ url: '/api/v1/openapi.json' })
    expect(res.statusCode).toBe(200)
    return res.json() as {
      openapi: string
      info: { version: string }
      paths: Record<string, Record<string, { security?: unknown[] }>>
      components: { securitySchemes: Record<string, unknown> }
      security: unknown[]
    }
  }

  it('is OpenAPI 3.1 and needs no token', async () => {
    const doc = await get()
    expect(doc.openapi).toMatch(/^3\.1\./)
    expect(doc.info.version).toBe(app.appVersion)
  })

  it('documents every /api/v1 route', async () => {
    const { paths } = await get()
    const documented = Object.entries(paths).flatMap(([url, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${url}`))
    const routes = app.routeAccess
      .filter((r) => r.url !== '/api/v1/openapi.json')
      .map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`)
    expect(routes.length).toBeGreaterThan(0)
    expect(documented.sort()).toEqual(expect.arrayContaining(routes))
    expect(documented).not.toContain('GET /api/v1/openapi.json')
  })

  it('offers bearer authentication and marks exactly the public routes as needing no token', async () => {
    const doc = await get()
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' })
    expect(doc.security).toEqual([{ bearer: [] }])
    for (const route of app.routeAccess) {
      const operation = doc.paths[route.url.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()]
      const needsNoToken = operation?.security?.length === 0
      expect({ route: `${route.method} ${route.url}`, needsNoToken }).toEqual({ route: `${route.method} ${route.url}`, needsNoToken: route.access === 'public' })
    }
  })
})

describe('GET /api/docs', () => {
  it('serves the Swagger UI page', async () => {
    const res = await app.inject({ url: '/api/docs' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
    expect(res.body).toContain('swagger-ui')
    const script = await app.inject({ url: '/api/docs/static/swagger-initializer.js' })
    expect(script.statusCode).toBe(200)
  })
})
