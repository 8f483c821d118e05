import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { i18n } from '../i18n/index.ts'
import { useDirectoryStore } from './directory.ts'

const LI = '11111111-1111-4111-8111-111111111111'
const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } })

function signIn(role: string) {
  localStorage.setItem('ys.session', JSON.stringify({
    accessToken: 'a', refreshToken: 'r',
    user: { id: 'me', email: 'x@y', name: '我', role, active: true, locale: 'zh-CN', lastLoginAt: null, createdAt: '', updatedAt: '' },
  }))
}

describe('useDirectoryStore', () => {
  const fetch = vi.fn(async (request: Request) => {
    const path = new URL(request.url).pathname
    if (path === '/api/v1/users/directory') return json({ items: [{ id: LI, name: '李娜', role: 'sales', active: true }] })
    return new Response(null, { status: 403 })
  })

  beforeEach(() => {
    i18n.global.locale.value = 'zh-CN'
    vi.stubGlobal('fetch', fetch)
  })

  afterEach(() => {
    fetch.mockClear()
    vi.unstubAllGlobals()
    localStorage.clear()
  })

  it('names other owners for a role that may not list users, from the directory', async () => {
    signIn('marketing')
    setActivePinia(createPinia())
    const directory = useDirectoryStore()
    expect(directory.userName(LI)).toBe('其他用户')
    await directory.load()
    expect(fetch.mock.calls.map(([r]) => new URL(r.url).pathname)).toEqual(['/api/v1/users/directory'])
    expect(directory.userName(LI)).toBe('李娜')
    expect(directory.userName('me')).toBe('我')
    // Picking owners stays the admins' list.
    expect(directory.ownerOptions).toEqual([{ id: 'me', name: '我' }])
  })
})
