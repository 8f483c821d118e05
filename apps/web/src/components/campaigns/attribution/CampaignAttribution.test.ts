import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { i18n } from '../../../i18n/index.ts'
import CampaignAttribution from './CampaignAttribution.vue'

// happy-dom has no canvas: the chart hands its option to a stand-in.
vi.mock('vue-echarts', () => ({
  default: defineComponent({ props: { option: { type: Object, required: true } }, setup: (props) => () => h('div', { 'data-test': 'echarts', 'data-option': JSON.stringify(props.option) }) }),
}))

const CAMPAIGN = '11111111-1111-4111-8111-111111111111'
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

// What the server answers per model for a campaign that cost 20,000.00.
const FIGURES: Record<string, { attributedRevenue: string; attributedWon: number; attributedPipeline: string; roiPct: number | null }> = {
  primary_source: { attributedRevenue: '100000.00', attributedWon: 1, attributedPipeline: '9999999999999999.99', roiPct: 400 },
  first_touch: { attributedRevenue: '0.00', attributedWon: 0, attributedPipeline: '0.00', roiPct: -100 },
  last_touch: { attributedRevenue: '33333.34', attributedWon: 0.3333, attributedPipeline: '0.00', roiPct: 66.67 },
  linear: { attributedRevenue: '33333.33', attributedWon: 0.3333, attributedPipeline: '0.00', roiPct: 66.67 },
  u_shaped: { attributedRevenue: '40000.00', attributedWon: 0.4, attributedPipeline: '0.00', roiPct: 100 },
  w_shaped: { attributedRevenue: '0.01', attributedWon: 0.125, attributedPipeline: '0.00', roiPct: null },
}

describe('the campaign attribution tab', () => {
  const fetch = vi.fn<(request: Request) => Promise<Response>>()
  const asked: URL[] = []
  const mounted: ReturnType<typeof mount>[] = []

  beforeEach(() => {
    i18n.global.locale.value = 'zh-CN'
    asked.length = 0
    vi.stubGlobal('fetch', fetch)
    fetch.mockImplementation(async (request) => {
      const url = new URL(request.url, 'http://localhost')
      asked.push(url)
      const model = url.searchParams.get('model') ?? 'primary_source'
      return json(200, { model, ...FIGURES[model]! })
    })
  })

  afterEach(() => {
    for (const wrapper of mounted.splice(0)) wrapper.unmount()
    fetch.mockReset()
    vi.unstubAllGlobals()
    document.body.innerHTML = ''
  })

  async function mountTab() {
    const wrapper = mount(CampaignAttribution, { props: { campaignId: CAMPAIGN }, global: { plugins: [createPinia(), i18n] }, attachTo: document.body })
    mounted.push(wrapper)
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.findAll('.el-table__body tr').length).toBeGreaterThan(0))
    return wrapper
  }

  const cells = (wrapper: ReturnType<typeof mount>) => wrapper.findAll('.el-table__body tr').map((tr) => tr.findAll('td').map((td) => td.text()))

  it('asks for the five default models and shows each one\'s exact figures in catalogue order', async () => {
    const wrapper = await mountTab()
    expect(asked.map((u) => [u.pathname, u.searchParams.get('model')])).toEqual(
      ['primary_source', 'first_touch', 'last_touch', 'linear', 'u_shaped'].map((m) => [`/api/v1/campaigns/${CAMPAIGN}/attribution`, m]),
    )
    expect(cells(wrapper)).toEqual([
      ['主来源活动100% 归商机所属活动，即实际收益', '¥100,000.00', '1.00', '¥9,999,999,999,999,999.99', '400%'],
      ['首次触点100% 归第一个触点', '¥0.00', '0.00', '¥0.00', '-100%'],
      ['末次触点100% 归赢单前的最后一个触点', '¥33,333.34', '0.33', '¥0.00', '66.67%'],
      ['线性所有触点平均分配', '¥33,333.33', '0.33', '¥0.00', '66.67%'],
      ['U 型首触 40% · 末触 40% · 中间 20%', '¥40,000.00', '0.40', '¥0.00', '100%'],
    ])
  })

  it('draws one bar per model and reads the exact amounts in its description', async () => {
    const wrapper = await mountTab()
    await vi.waitFor(() => expect(wrapper.find('[data-test=echarts]').exists()).toBe(true))
    const option = JSON.parse(wrapper.get('[data-test=echarts]').attributes('data-option')!) as { xAxis: { data: string[] } }
    expect(option.xAxis.data).toEqual(['主来源活动', '首次触点', '末次触点', '线性', 'U 型'])
    expect(wrapper.get('figure').attributes('aria-label')).toContain('U 型 ¥40,000.00')
  })

  it('shows English figures and model names after a language switch', async () => {
    const wrapper = await mountTab()
    i18n.global.locale.value = 'en'
    await flushPromises()
    expect(cells(wrapper)[4]).toEqual(['U-shapedFirst touch 40% · last touch 40% · middle 20%', 'CN¥40,000.00', '0.40', 'CN¥0.00', '100%'])
  })
})
