import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { h } from 'vue'
import { createMemoryHistory, createRouter, RouterView } from 'vue-router'
import { i18n } from '../../i18n/index.ts'
import CampaignsPage from './CampaignsPage.vue'

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

const campaign = (id: string, name: string, parentId: string | null) => ({
  id, name, code: name.toUpperCase(), type: 'trade_show', status: 'active', startDate: null, endDate: null, budget: '0.00', actualCost: '1000.00',
  expectedRevenue: '0.00', description: null, parentId, ownerId: null, actualRevenue: '0.00', achievementPct: null, roiPct: -100,
  createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
})
const id = (n: number) => `c0000000-0000-4000-8000-${String(n).padStart(12, '0')}`
const EXPO = campaign(id(1), 'expo', null)
const DAY1 = campaign(id(2), 'expo-day1', id(1))
const WEBINAR = campaign(id(3), 'webinar', null)

describe('the campaigns page as a tree', () => {
  const fetch = vi.fn<(request: Request) => Promise<Response>>()
  const asked: URL[] = []
  let wrapper: ReturnType<typeof mount> | undefined
  let many: ReturnType<typeof campaign>[] | undefined

  beforeEach(() => {
    i18n.global.locale.value = 'zh-CN'
    asked.length = 0
    many = undefined
    localStorage.setItem('ys.session', JSON.stringify({
      accessToken: 'a', refreshToken: 'r',
      user: { id: 'u', email: 'x@y', name: 'X', role: 'viewer', active: true, locale: 'zh-CN', lastLoginAt: null, createdAt: '', updatedAt: '' },
    }))
    vi.stubGlobal('fetch', fetch)
    fetch.mockImplementation(async (request) => {
      const url = new URL(request.url, 'http://localhost')
      // Owner names come from the user directory; only the campaign requests are counted.
      if (url.pathname === '/api/v1/users/directory') return json(200, { items: [] })
      asked.push(url)
      const all = many ?? [DAY1, EXPO, WEBINAR]
      const limit = Number(url.searchParams.get('limit'))
      const offset = Number(url.searchParams.get('offset'))
      return json(200, { items: all.slice(offset, offset + limit), total: all.length, limit, offset })
    })
  })

  afterEach(() => {
    wrapper?.unmount()
    fetch.mockReset()
    vi.unstubAllGlobals()
    localStorage.clear()
  })

  async function open(path: string) {
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/campaigns', component: CampaignsPage }, { path: '/campaigns/:id', component: { render: () => null } }] })
    await router.push(path)
    wrapper = mount({ render: () => h(RouterView) }, { global: { plugins: [createPinia(), i18n, router] }, attachTo: document.body })
    await flushPromises()
    return router
  }

  const visibleRows = () => wrapper!.findAll('.el-table__body tr').filter((tr) => (tr.element as HTMLElement).style.display !== 'none').map((tr) => tr.find('a').text())

  it('shows top-level campaigns first, and a parent\'s sub-campaigns when it is expanded', async () => {
    await open('/campaigns?view=tree')
    await vi.waitFor(() => expect(visibleRows()).toEqual(['expo', 'webinar']))
    // The whole list at once, in pages of the API's largest size.
    expect(asked.map((u) => u.searchParams.get('limit'))).toEqual(['500'])
    expect(wrapper!.text()).toContain('1 个子活动')
    expect(wrapper!.text()).toContain('共 3 个活动')

    await wrapper!.get('.el-table__body .el-table__expand-icon').trigger('click')
    expect(visibleRows()).toEqual(['expo', 'expo-day1', 'webinar'])
  })

  it('switches between the paged list and the tree, keeping the choice in the link', async () => {
    const router = await open('/campaigns')
    await vi.waitFor(() => expect(visibleRows()).toEqual(['expo-day1', 'expo', 'webinar']))
    expect(asked.at(-1)!.searchParams.get('limit')).toBe('20')

    const tree = wrapper!.findAll('.el-radio-button').find((b) => b.text() === '树形')!
    await tree.get('input').setValue(true)
    await flushPromises()
    await vi.waitFor(() => expect(visibleRows()).toEqual(['expo', 'webinar']))
    expect(router.currentRoute.value.query).toEqual({ view: 'tree' })
    // Not a filter: nothing to clear.
    expect(wrapper!.text()).not.toContain('清除筛选')
  })

  it('reads every page when there are more campaigns than one request returns', async () => {
    // The last sub-campaign comes on the second page: its parent still gets it.
    many = [EXPO, ...Array.from({ length: 500 }, (_, i) => campaign(id(100 + i), `hall-${i}`, EXPO.id))]
    await open('/campaigns?view=tree')
    await vi.waitFor(() => expect(visibleRows()).toEqual(['expo']))
    expect(asked.map((u) => [u.searchParams.get('limit'), u.searchParams.get('offset')])).toEqual([['500', '0'], ['500', '500']])
    expect(wrapper!.text()).toContain('500 个子活动')
  })
})
