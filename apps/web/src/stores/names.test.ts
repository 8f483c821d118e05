import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useNameStore } from './names.ts'

describe('useNameStore', () => {
  const fetch = vi.fn(async (request: Request) => {
    const id = new URL(request.url).pathname.split('/').pop()
    if (id === 'gone') return new Response(JSON.stringify({ statusCode: 404, error: 'Not Found', code: 'not_found', message: 'x' }), { status: 404 })
    return new Response(JSON.stringify({ id, name: `活动 ${id}` }), { status: 200, headers: { 'content-type': 'application/json' } })
  })

  beforeEach(() => {
    setActivePinia(createPinia())
    vi.stubGlobal('fetch', fetch)
  })

  afterEach(() => {
    fetch.mockClear()
    vi.unstubAllGlobals()
  })

  it('fetches each unknown name once, however often it is asked for', async () => {
    const names = useNameStore()
    await Promise.all([names.ensure('campaign', ['a', 'b', 'a', null]), names.ensure('campaign', ['a'])])
    expect(fetch).toHaveBeenCalledTimes(2)
    expect(names.name('campaign', 'a')).toBe('活动 a')
    await names.ensure('campaign', ['a', 'b'])
    expect(fetch).toHaveBeenCalledTimes(2)
  })

  it('uses what a list already returned', async () => {
    const names = useNameStore()
    names.remember('account', [{ id: 'x', name: '长江汽配' }])
    await names.ensure('account', ['x'])
    expect(fetch).not.toHaveBeenCalled()
    expect(names.name('account', 'x')).toBe('长江汽配')
  })

  it('remembers a record that is gone as null', async () => {
    const names = useNameStore()
    await names.ensure('campaign', ['gone'])
    expect(names.name('campaign', 'gone')).toBeNull()
    expect(names.name('campaign', 'unknown')).toBeUndefined()
  })
})
