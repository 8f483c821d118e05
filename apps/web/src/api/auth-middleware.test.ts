import { describe, expect, it, vi } from 'vitest'
import { createAuthMiddleware, type AuthHooks } from './auth-middleware.ts'
import { createApiClient } from './client.ts'

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

const user = { id: '00000000-0000-4000-8000-000000000001', email: 'a@b', name: 'A', role: 'admin', active: true, locale: 'zh-CN', lastLoginAt: null, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' }

/** A server whose valid access token is `valid`; every request is recorded. */
function setup(options: { refresh?: () => Promise<string | null> } = {}) {
  let token: string | null = 'old'
  let valid = 'new'
  const seen: { url: string; auth: string | null; body: string }[] = []
  const fetch = vi.fn(async (request: Request) => {
    seen.push({ url: new URL(request.url).pathname, auth: request.headers.get('authorization'), body: await request.text() })
    // Let concurrent requests all be in flight before any answers.
    await new Promise((resolve) => setTimeout(resolve, 5))
    return request.headers.get('authorization') === `Bearer ${valid}` ? json(200, user) : json(401, { statusCode: 401, error: 'Unauthorized', code: 'token_expired', message: 'expired' })
  })
  const hooks: AuthHooks = {
    accessToken: () => token,
    refresh: vi.fn(options.refresh ?? (async () => {
      await new Promise((resolve) => setTimeout(resolve, 10))
      token = 'new'
      return token
    })),
    sessionExpired: vi.fn(() => {
      token = null
    }),
  }
  const client = createApiClient({ baseUrl: 'http://crm.test', fetch })
  client.use(createAuthMiddleware(hooks))
  return { client, hooks, seen, fetch, setValid: (value: string) => (valid = value), setToken: (value: string) => (token = value) }
}

describe('the API client auth middleware', () => {
  it('sends the access token as a bearer token', async () => {
    const { client, seen, setToken } = setup()
    setToken('new')
    const { data } = await client.GET('/api/v1/me')
    expect(data?.email).toBe('a@b')
    expect(seen[0]?.auth).toBe('Bearer new')
  })

  it('refreshes once for concurrent 401s and repeats every call with the new token', async () => {
    const { client, hooks, seen } = setup()
    const results = await Promise.all([client.GET('/api/v1/me'), client.GET('/api/v1/me'), client.GET('/api/v1/me')])
    expect(results.map((r) => r.response.status)).toEqual([200, 200, 200])
    expect(hooks.refresh).toHaveBeenCalledTimes(1)
    expect(hooks.sessionExpired).not.toHaveBeenCalled()
    expect(seen.filter((s) => s.auth === 'Bearer new')).toHaveLength(3)
  })

  it('repeats a POST with its body after refreshing', async () => {
    const { client, seen } = setup()
    const { response } = await client.PATCH('/api/v1/me', { body: { name: '新名字' } })
    expect(response.status).toBe(200)
    const retried = seen.find((s) => s.auth === 'Bearer new')
    expect(JSON.parse(retried!.body)).toEqual({ name: '新名字' })
  })

  it('uses a token another call refreshed meanwhile instead of refreshing again', async () => {
    const { client, hooks, seen, setToken } = setup()
    const call = client.GET('/api/v1/me')
    // Sent with the old token; another tab or call refreshes before it answers 401.
    await new Promise((resolve) => setTimeout(resolve, 1))
    setToken('new')
    expect((await call).response.status).toBe(200)
    expect(hooks.refresh).not.toHaveBeenCalled()
    expect(seen.map((s) => s.auth)).toEqual(['Bearer old', 'Bearer new'])
  })

  it('ends the session once when the refresh is refused, and hands back the 401', async () => {
    const { client, hooks } = setup({ refresh: async () => null })
    const results = await Promise.all([client.GET('/api/v1/me'), client.GET('/api/v1/me')])
    expect(results.map((r) => r.response.status)).toEqual([401, 401])
    expect(hooks.refresh).toHaveBeenCalledTimes(1)
    expect(hooks.sessionExpired).toHaveBeenCalledTimes(1)
  })

  it('keeps the session when the server cannot be reached during the refresh', async () => {
    const { client, hooks } = setup({ refresh: async () => { throw new TypeError('Failed to fetch') } })
    const { response } = await client.GET('/api/v1/me')
    expect(response.status).toBe(401)
    expect(hooks.sessionExpired).not.toHaveBeenCalled()
  })

  it('ends the session when the call still answers 401 with the fresh token', async () => {
    const { client, hooks, setValid } = setup()
    setValid('never')
    const { response } = await client.GET('/api/v1/me')
    expect(response.status).toBe(401)
    expect(hooks.sessionExpired).toHaveBeenCalledTimes(1)
  })

  it('sends no token to the login endpoint and does not refresh on its 401', async () => {
    const { client, hooks, seen } = setup()
    const { response } = await client.POST('/api/v1/auth/login', { body: { email: 'a@b', password: 'wrong' } })
    expect(response.status).toBe(401)
    expect(seen[0]?.auth).toBeNull()
    expect(hooks.refresh).not.toHaveBeenCalled()
  })
})
