import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n } from '../../../i18n/index.ts'
import CampaignMembers from './CampaignMembers.vue'

vi.mock('vue-echarts', () => ({
  default: defineComponent({ props: { option: { type: Object, required: true } }, setup: () => () => h('div') }),
}))

const CAMPAIGN = '11111111-1111-4111-8111-111111111111'
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

const member = (id: string, name: string, status: string) => ({
  id, campaignId: CAMPAIGN, personType: 'lead', personId: `${id.slice(0, -1)}f`, name, email: `${name}@example.com`, company: '星河科技',
  status, statusChangedAt: '2026-03-01T08:00:00.000Z', respondedAt: null, createdAt: '2026-03-01T08:00:00.000Z', updatedAt: '2026-03-01T08:00:00.000Z',
})
const ALICE = member('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaa1', '王小明', 'invited')
const BOB = member('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbb1', '李华', 'invited')

function summary(invited: number, registered: number) {
  return {
    campaignType: 'conference', total: invited + registered, responded: registered,
    statuses: [
      { status: 'invited', position: 0, responded: false, count: invited },
      { status: 'registered', position: 1, responded: true, count: registered },
      { status: 'attended', position: 2, responded: true, count: 0 },
      { status: 'no_show', position: 3, responded: false, count: 0 },
    ],
  }
}

describe('the campaign members tab', () => {
  const fetch = vi.fn<(request: Request) => Promise<Response>>()
  const sent: { method: string; path: string; body: unknown }[] = []
  let registered = 0

  beforeEach(() => {
    i18n.global.locale.value = 'zh-CN'
    localStorage.setItem('ys.session', JSON.stringify({
      accessToken: 'a', refreshToken: 'r',
      user: { id: 'u', email: 'x@y', name: 'X', role: 'marketing', active: true, locale: 'zh-CN', lastLoginAt: null, createdAt: '', updatedAt: '' },
    }))
    registered = 0
    sent.length = 0
    vi.stubGlobal('fetch', fetch)
    fetch.mockImplementation(async (request) => {
      const url = new URL(request.url, 'http://localhost')
      const body = request.method === 'GET' ? undefined : await request.json()
      sent.push({ method: request.method, path: url.pathname, body })
      const base = `/api/v1/campaigns/${CAMPAIGN}/members`
      if (request.method === 'GET' && url.pathname === `${base}/summary`) return json(200, summary(2 - registered, registered))
      if (request.method === 'GET' && url.pathname === base) return json(200, { items: [ALICE, BOB], total: 2, limit: 20, offset: 0 })
      if (request.method === 'PATCH' && url.pathname === `${base}/${ALICE.id}`) {
        registered = 1
        return json(200, { ...ALICE, status: (body as { status: string }).status })
      }
      if (request.method === 'POST' && url.pathname === `${base}/bulk-status`) {
        registered = 2
        return json(200, { updated: 2 })
      }
      return json(404, { statusCode: 404, code: 'not_found', message: 'no' })
    })
  })

  const mounted: ReturnType<typeof mount>[] = []
  afterEach(() => {
    for (const wrapper of mounted.splice(0)) wrapper.unmount()
    fetch.mockReset()
    vi.unstubAllGlobals()
    localStorage.clear()
    document.body.innerHTML = ''
  })

  async function mountTab() {
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { render: () => null } }] })
    const wrapper = mount(CampaignMembers, { props: { campaignId: CAMPAIGN, canWrite: true }, global: { plugins: [createPinia(), i18n, router] }, attachTo: document.body })
    mounted.push(wrapper)
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.text()).toContain('王小明'))
    return wrapper
  }

  /** Opens an Element Plus select and clicks one of its options, as a user does. */
  async function pick(select: Element, option: string) {
    const trigger = select.querySelector<HTMLElement>('.el-select__wrapper')!
    trigger.click()
    await flushPromises()
    // The options live in the select's own popper, teleported to the body.
    const popper = document.getElementById(trigger.getAttribute('aria-describedby')!)!
    const item = [...popper.querySelectorAll<HTMLElement>('.el-select-dropdown__item')].find((li) => li.textContent?.trim() === option)
    expect(item, `option ${option}`).toBeDefined()
    item!.click()
    await flushPromises()
  }

  const funnelLabel = () => document.querySelector('[data-test=member-summary]')!.textContent!.trim()

  it('shows the members with their status and the funnel\'s totals', async () => {
    const wrapper = await mountTab()
    const rows = wrapper.findAll('.el-table__body tr')
    expect(rows).toHaveLength(2)
    expect(rows[0]!.text()).toContain('星河科技')
    expect(rows[0]!.text()).toContain('线索')
    expect(funnelLabel()).toBe('共 2 人 · 已响应 0 人 · 响应率 0%')
  })

  it('changes one member\'s status with PATCH and updates the funnel', async () => {
    await mountTab()
    const select = document.querySelector('[aria-label="王小明 的状态"]')!.closest('.el-select')!
    await pick(select, '已报名')
    await vi.waitFor(() => expect(sent.find((r) => r.method === 'PATCH')).toEqual({
      method: 'PATCH', path: `/api/v1/campaigns/${CAMPAIGN}/members/${ALICE.id}`, body: { status: 'registered' },
    }))
    await vi.waitFor(() => expect(funnelLabel()).toBe('共 2 人 · 已响应 1 人 · 响应率 50%'))
  })

  it('moves the selected members to one status at once', async () => {
    const wrapper = await mountTab()
    for (const box of wrapper.findAll('.el-table__body .el-checkbox__original')) await box.setValue(true)
    await vi.waitFor(() => expect(wrapper.text()).toContain('已选 2 人'))
    await pick(document.querySelector('[data-test=member-bulk-status]')!.closest('.el-select')!, '已签到')
    document.querySelector<HTMLButtonElement>('[data-test=member-bulk-apply]')!.click()
    await vi.waitFor(() => expect(sent.find((r) => r.path.endsWith('/bulk-status'))?.body).toEqual({ memberIds: [ALICE.id, BOB.id], status: 'attended' }))
    await vi.waitFor(() => expect(funnelLabel()).toBe('共 2 人 · 已响应 2 人 · 响应率 100%'))
  })
})
