import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { createMemoryHistory, createRouter, RouterView } from 'vue-router'
import { comparisonFixture } from '../../components/campaigns/attribution/comparison.fixture.ts'
import { i18n } from '../../i18n/index.ts'
import ModelComparisonPage from './ModelComparisonPage.vue'

vi.mock('vue-echarts', () => ({
  default: defineComponent({ props: { option: { type: Object, required: true } }, setup: (props) => () => h('div', { 'data-test': 'echarts', 'data-option': JSON.stringify(props.option) }) }),
}))

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

describe('the model comparison page', () => {
  const fetch = vi.fn<(request: Request) => Promise<Response>>()
  const asked: URL[] = []
  let wrapper: ReturnType<typeof mount> | undefined

  beforeEach(() => {
    i18n.global.locale.value = 'zh-CN'
    asked.length = 0
    vi.stubGlobal('fetch', fetch)
    fetch.mockImplementation(async (request) => {
      const url = new URL(request.url, 'http://localhost')
      asked.push(url)
      return json(200, comparisonFixture())
    })
  })

  afterEach(() => {
    wrapper?.unmount()
    fetch.mockReset()
    vi.unstubAllGlobals()
    document.body.innerHTML = ''
  })

  async function open(path: string) {
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/attribution', component: ModelComparisonPage }, { path: '/campaigns/:id', component: { render: () => null } }] })
    await router.push(path)
    wrapper = mount({ render: () => h(RouterView) }, { global: { plugins: [createPinia(), i18n, router] }, attachTo: document.body })
    await flushPromises()
    await vi.waitFor(() => expect(wrapper!.find('[data-test=echarts]').exists()).toBe(true))
    return router
  }

  it('compares the six default models, campaigns side by side in a grouped chart', async () => {
    await open('/attribution')
    expect(asked.map((u) => [u.pathname, u.searchParams.get('models')])).toEqual([['/api/v1/attribution/compare', 'primary_source,first_touch,last_touch,linear,u_shaped,time_decay']])
    // The answer names three models: one series each, campaigns by their highest revenue.
    const option = JSON.parse(wrapper!.get('[data-test=echarts]').attributes('data-option')!) as { xAxis: { data: string[] }; series: { name: string; data: number[] }[] }
    expect(option.xAxis.data).toEqual(['展会', '搜索广告', '线上研讨会'])
    expect(option.series.map((s) => [s.name, s.data])).toEqual([
      ['主来源活动', [100000, 0, 0]],
      ['首次触点', [40000, 60000, 0]],
      ['U 型', [40000, 20000, 40000]],
    ])
    expect(wrapper!.get('[data-test=totals-verdict]').text()).toBe('各模型合计均等于总收益')
  })

  it('takes the models, type and dates from the link', async () => {
    await open('/attribution?models=u_shaped,first_touch&type=webinar&from=2026-01-01&to=2026-03-31')
    const query = Object.fromEntries(asked[0]!.searchParams)
    expect(query).toEqual({ models: 'first_touch,u_shaped', type: 'webinar', from: '2026-01-01', to: '2026-03-31' })
  })
})
