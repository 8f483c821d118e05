import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { components } from '../../api/schema'
import { i18n } from '../../i18n/index.ts'
import TouchpointTimeline from './TouchpointTimeline.vue'

type Touchpoint = components['schemas']['Touchpoint']

const CONTACT = '22222222-2222-4222-8222-222222222222'
const LEAD = '33333333-3333-4333-8333-333333333333'
const EXPO = '44444444-4444-4444-8444-444444444444'
const SEARCH = '55555555-5555-4555-8555-555555555555'

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

const touch = (n: number, over: Partial<Touchpoint>): Touchpoint => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, personType: 'contact', personId: CONTACT, leadId: null, contactId: CONTACT,
  campaignId: EXPO, type: 'ad_click', occurredAt: '2026-03-01T08:00:00.000Z', externalId: null, metadata: null, memberId: null,
  createdAt: '2026-03-01T08:00:00.000Z', ...over,
})

describe('the touchpoint timeline', () => {
  const fetch = vi.fn<(request: Request) => Promise<Response>>()
  let queries: URLSearchParams[]

  beforeEach(() => {
    i18n.global.locale.value = 'zh-CN'
    queries = []
    vi.stubGlobal('fetch', fetch)
    fetch.mockImplementation(async (request) => {
      const url = new URL(request.url, 'http://x')
      if (url.pathname === '/api/v1/touchpoints') {
        queries.push(url.searchParams)
        const offset = Number(url.searchParams.get('offset'))
        const items = offset === 0
          ? [
            touch(1, { type: 'campaign_member', campaignId: EXPO, occurredAt: '2026-03-05T02:00:00.000Z', metadata: { status: 'attended' }, memberId: 'm' }),
            touch(2, { type: 'ad_click', campaignId: SEARCH, occurredAt: '2026-03-02T02:00:00.000Z', externalId: 'gclid-778', leadId: LEAD }),
            touch(3, { type: 'webinar_poll', campaignId: SEARCH, occurredAt: '2026-03-01T02:00:00.000Z' }),
          ]
          : [touch(4, { occurredAt: '2026-02-01T02:00:00.000Z' })]
        return json(200, { items, total: 4, limit: 3, offset })
      }
      if (url.pathname === `/api/v1/campaigns/${EXPO}`) return json(200, { id: EXPO, name: '2026 上海工业博览会' })
      if (url.pathname === `/api/v1/campaigns/${SEARCH}`) return json(200, { id: SEARCH, name: '百度品牌词' })
      return json(404, { statusCode: 404, code: 'not_found', error: 'Not Found', message: 'nope' })
    })
  })

  afterEach(() => {
    fetch.mockReset()
    vi.unstubAllGlobals()
    document.body.innerHTML = ''
  })

  async function mountTimeline(personType: 'lead' | 'contact', personId: string) {
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:any(.*)*', component: defineComponent({ render: () => h('div') }) }] })
    const wrapper = mount(TouchpointTimeline, { props: { personType, personId, pageSize: 3 }, global: { plugins: [createPinia(), i18n, router] }, attachTo: document.body })
    for (let i = 0; i < 3; i++) await flushPromises()
    return wrapper
  }

  it('shows a contact\'s touches newest first, with campaign link, type, status reached, time and external id', async () => {
    const wrapper = await mountTimeline('contact', CONTACT)
    expect(queries[0]!.get('personType')).toBe('contact')
    expect(queries[0]!.get('personId')).toBe(CONTACT)

    const items = wrapper.findAll('[data-test=touchpoint]')
    expect(items).toHaveLength(3)
    expect(items[0]!.text()).toContain('2026 上海工业博览会')
    expect(items[0]!.text()).toContain('活动成员响应')
    expect(items[0]!.text()).toContain('成员状态：已签到')
    expect(items[0]!.find('a').attributes('href')).toBe(`/campaigns/${EXPO}`)
    expect(items[1]!.text()).toContain('百度品牌词')
    expect(items[1]!.text()).toContain('广告点击')
    expect(items[1]!.text()).toContain('外部编号：gclid-778')
    // The touch came from the lead this contact was converted from.
    expect(items[1]!.text()).toContain('转化前（线索）')
    expect(items[0]!.text()).not.toContain('转化前（线索）')
    // A type an integration made up shows as sent.
    expect(items[2]!.text()).toContain('webinar_poll')
    const times = wrapper.findAll('.el-timeline-item__timestamp').map((node) => node.text())
    expect(times[0]).toContain('2026年3月5日')
  })

  it('pages through the touches', async () => {
    const wrapper = await mountTimeline('lead', LEAD)
    expect(queries[0]!.get('personType')).toBe('lead')
    // Element Plus words the total in the app's ElConfigProvider language, not mounted here.
    expect(wrapper.find('.el-pagination__total').text()).toMatch(/\b4\b/)
    await wrapper.find('.el-pagination .btn-next').trigger('click')
    for (let i = 0; i < 3; i++) await flushPromises()
    expect(queries.at(-1)!.get('offset')).toBe('3')
    expect(wrapper.findAll('[data-test=touchpoint]')).toHaveLength(1)
  })

  it('says so when there are no touches yet', async () => {
    fetch.mockImplementation(async () => json(200, { items: [], total: 0, limit: 10, offset: 0 }))
    const wrapper = await mountTimeline('lead', LEAD)
    expect(wrapper.text()).toContain('还没有触点')
    expect(wrapper.find('.el-pagination').exists()).toBe(false)
  })
})
