import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { i18n } from '../i18n/index.ts'
import { useSessionStore, type User } from './session.ts'

const user: User = {
  id: '00000000-0000-4000-8000-000000000001', email: 'li@example.com', name: '李雷', role: 'sales', active: true,
  locale: 'en', lastLoginAt: null, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
}
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })
const sessionBody = (n: number) => ({ accessToken: `access-${n}`, refreshToken: `refresh-${n}`, tokenType: 'Bearer', expiresIn: 900, user })

describe('useSessionStore', () => {
  const fetch = vi.fn<(request: Request) => Promise<Response>>()

  beforeEach(() => {
    localStorage.clear()
    i18n.global.locale.value = 'zh-CN'
    vi.stubGlobal('fetch', fetch)
    setActivePinia(createPinia())
  })

  afterEach(() => {
    fetch.mockReset()
    vi.unstubAllGlobals()
  })

  it('logs in, keeps the tokens for the next visit and switches to the user\'s language', async () => {
    fetch.mockResolvedValueOnce(json(200, sessionBody(1)))
    const session = useSessionStore()
    await session.login('li@example.com', 'secret-password')

    expect(session.isAuthenticated).toBe(true)
    expect(session.user?.name).toBe('李雷')
    expect(JSON.parse(localStorage.getItem('ys.session')!)).toMatchObject({ accessToken: 'access-1', refreshToken: 'refresh-1' })
    expect(i18n.global.locale.value).toBe('en')
    // A new page load picks the session up again.
    setActivePinia(createPinia())
    expect(useSessionStore().accessToken).toBe('access-1')
  })

  it('answers can() from the role', async () => {
    fetch.mockResolvedValueOnce(json(200, sessionBody(1)))
    const session = useSessionStore()
    expect(session.can('leads:read')).toBe(false)
    await session.login('li@example.com', 'secret-password')
    expect(session.can('leads:write')).toBe(true)
    expect(session.can('campaigns:write')).toBe(false)
    expect(session.can('users:manage')).toBe(false)
  })

  it('throws the server\'s error on a failed login and stays logged out', async () => {
    fetch.mockResolvedValueOnce(json(429, { statusCode: 429, error: 'Too Many Requests', code: 'too_many_requests', message: 'locked' }, { 'retry-after': '840' }))
    const session = useSessionStore()
    await expect(session.login('li@example.com', 'x')).rejects.toMatchObject({ status: 429, retryAfterSeconds: 840 })
    expect(session.isAuthenticated).toBe(false)
  })

  it('logs out on the server and forgets the tokens', async () => {
    fetch.mockResolvedValueOnce(json(200, sessionBody(1))).mockResolvedValueOnce(new Response(null, { status: 204 }))
    const session = useSessionStore()
    await session.login('li@example.com', 'secret-password')
    await session.logout()

    const request = fetch.mock.calls[1]![0]
    expect(new URL(request.url).pathname).toBe('/api/v1/auth/logout')
    expect(await request.json()).toEqual({ refreshToken: 'refresh-1' })
    expect(session.isAuthenticated).toBe(false)
    expect(session.endReason).toBe('loggedOut')
    expect(localStorage.getItem('ys.session')).toBeNull()
  })

  it('refreshes with the stored refresh token and keeps the new pair', async () => {
    fetch.mockResolvedValueOnce(json(200, sessionBody(1))).mockResolvedValueOnce(json(200, sessionBody(2)))
    const session = useSessionStore()
    await session.login('li@example.com', 'secret-password')
    expect(await session.refresh()).toBe('access-2')
    expect(await fetch.mock.calls[1]![0].json()).toEqual({ refreshToken: 'refresh-1' })
    expect(JSON.parse(localStorage.getItem('ys.session')!).refreshToken).toBe('refresh-2')
  })

  it('takes over the tokens another tab refreshed instead of replaying a spent refresh token', async () => {
    fetch.mockResolvedValueOnce(json(200, sessionBody(1)))
    const session = useSessionStore()
    await session.login('li@example.com', 'secret-password')
    localStorage.setItem('ys.session', JSON.stringify({ accessToken: 'access-9', refreshToken: 'refresh-9', user }))

    expect(await session.refresh()).toBe('access-9')
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('returns null when the server refuses the refresh, and throws when it is unreachable', async () => {
    fetch.mockResolvedValueOnce(json(200, sessionBody(1)))
    const session = useSessionStore()
    await session.login('li@example.com', 'secret-password')

    fetch.mockRejectedValueOnce(new TypeError('Failed to fetch'))
    await expect(session.refresh()).rejects.toMatchObject({ status: 0 })

    fetch.mockResolvedValueOnce(json(401, { statusCode: 401, error: 'Unauthorized', code: 'token_invalid', message: 'used' }))
    expect(await session.refresh()).toBeNull()
  })

  it('keeps a language picked on the login page and saves it as the user\'s', async () => {
    fetch.mockResolvedValueOnce(json(200, { ...sessionBody(1), user: { ...user, locale: 'zh-CN' } }))
      .mockResolvedValueOnce(json(200, { ...user, locale: 'en' }))
    const session = useSessionStore()
    await session.setLocale('en')
    expect(fetch).not.toHaveBeenCalled()
    await session.login('li@example.com', 'secret-password')

    expect(i18n.global.locale.value).toBe('en')
    const request = fetch.mock.calls[1]![0]
    expect(request.method).toBe('PATCH')
    expect(await request.json()).toEqual({ locale: 'en' })
    expect(session.user?.locale).toBe('en')
  })

  it('saves a language switch as the user\'s language', async () => {
    fetch.mockResolvedValueOnce(json(200, { ...sessionBody(1), user: { ...user, locale: 'zh-CN' } }))
      .mockResolvedValueOnce(json(200, { ...user, locale: 'en' }))
    const session = useSessionStore()
    await session.login('li@example.com', 'secret-password')
    await session.setLocale('en')

    const request = fetch.mock.calls[1]![0]
    expect(request.method).toBe('PATCH')
    expect(await request.json()).toEqual({ locale: 'en' })
    expect(i18n.global.locale.value).toBe('en')
    expect(localStorage.getItem('ys.locale')).toBe('en')
    expect(session.user?.locale).toBe('en')
  })
})
