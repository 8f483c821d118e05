import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { createMemoryHistory, createRouter, RouterView, type Router } from 'vue-router'
import {
  channelsFixture, EXPO, funnelFixture, leadTrendFixture, overviewFixture, roiViewsFixture, teamFixture,
} from '../components/dashboard/dashboard.fixture.ts'
import DashboardFilterBar from '../components/dashboard/DashboardFilterBar.vue'
import type { GroupBy } from '../components/dashboard/types.ts'
import { i18n } from '../i18n/index.ts'
import { useChangeFeedStore, type ChangeEvent, type FeedMessage } from '../stores/changes.ts'
import DashboardPage from './DashboardPage.vue'

// happy-dom has no canvas: the chart hands its option to a stand-in that draws a fixed PNG.
const charts = vi.hoisted(() => ({ asked: [] as unknown[] }))
vi.mock('vue-echarts', () => ({
  default: defineComponent({
    name: 'VChartStandIn',
    props: { option: { type: Object, required: true } },
    setup(props, { expose }) {
      expose({
        getDataURL: (options: unknown) => {
          charts.asked.push(options)
          return `data:image/png;base64,${btoa('PNG')}`
        },
      })
      return () => h('div', { 'data-test': 'echarts', 'data-option': JSON.stringify(props.option) })
    },
  }),
}))

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

describe('the dashboard', () => {
  const fetch = vi.fn<(request: Request) => Promise<Response>>()
  const asked: URL[] = []
  let revenue = '120000.00'
  let wrapper: ReturnType<typeof mount> | undefined
  let listeners: ((message: FeedMessage) => void)[] = []

  beforeEach(() => {
    i18n.global.locale.value = 'zh-CN'
    asked.length = 0
    charts.asked.length = 0
    revenue = '120000.00'
    listeners = []
    vi.stubGlobal('fetch', fetch)
    fetch.mockImplementation(async (request) => {
      const url = new URL(request.url, 'http://localhost')
      asked.push(url)
      const q = url.searchParams
      switch (url.pathname) {
        case '/api/v1/analytics/overview': return json(200, { ...overviewFixture(revenue), model: q.get('model') ?? 'primary_source' })
        case '/api/v1/analytics/lead-trend': return json(200, leadTrendFixture((q.get('interval') ?? 'day') as 'day'))
        case '/api/v1/analytics/channels': return json(200, channelsFixture())
        case '/api/v1/analytics/funnel': return json(200, funnelFixture((q.get('groupBy') ?? 'none') as GroupBy))
        case '/api/v1/analytics/team': return json(200, teamFixture())
        case '/api/v1/analytics/roi-views': return json(200, roiViewsFixture(Number(q.get('horizonMonths') ?? 12)))
        case '/api/v1/campaigns': return json(200, { items: [], total: 0, limit: 20, offset: 0 })
        default: return json(404, { statusCode: 404, error: 'Not Found', code: 'not_found', message: url.pathname })
      }
    })
  })

  afterEach(() => {
    wrapper?.unmount()
    wrapper = undefined
    fetch.mockReset()
    vi.unstubAllGlobals()
    vi.restoreAllMocks()
    document.body.innerHTML = ''
  })

  async function open(path: string): Promise<{ router: Router; pinia: Pinia }> {
    const pinia = createPinia()
    setActivePinia(pinia)
    // The change feed is the server's stream in the app; here the test sends the events.
    vi.spyOn(useChangeFeedStore(pinia), 'subscribe').mockImplementation((listener) => {
      listeners.push(listener)
      return () => {
        listeners = listeners.filter((l) => l !== listener)
      }
    })
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [{ path: '/dashboard', component: DashboardPage }, { path: '/campaigns/:id', component: { render: () => h('p', 'campaign') } }],
    })
    await router.push(path)
    wrapper = mount({ render: () => h(RouterView) }, { global: { plugins: [pinia, i18n, router] }, attachTo: document.body })
    await flushPromises()
    await vi.waitFor(() => expect(wrapper!.find('[data-test=channels-table] .el-table__body tr').exists()).toBe(true), { timeout: 5_000 })
    return { router, pinia }
  }

  const text = (testid: string) => wrapper!.get(`[data-test="${testid}"]`).text()
  const analytics = (path: string) => asked.filter((u) => u.pathname === `/api/v1/analytics/${path}`)
  const queryOf = (url: URL | undefined) => Object.fromEntries(url?.searchParams ?? [])

  it('shows each KPI with the previous period and the change, in percentage points for ROI', async () => {
    await open('/dashboard')
    expect(text('kpi-cost')).toBe('¥25,000.00')
    expect(text('kpi-cost-previous')).toBe('上期 ¥20,000.00')
    expect(text('kpi-cost-change')).toBe('▲ 25%')
    // More spend is not good news: the rise shows as bad.
    expect(wrapper!.get('[data-test=kpi-cost-change]').classes()).toContain('change--bad')

    expect(text('kpi-revenue')).toBe('¥120,000.00')
    expect(text('kpi-revenue-change')).toBe('▲ 20%')
    expect(wrapper!.get('[data-test=kpi-revenue-change]').classes()).toContain('change--good')
    expect(wrapper!.get('[data-test=kpi-revenue-change]').attributes('aria-label')).toBe('较上期增加 20%')

    expect(text('kpi-roi')).toBe('380%')
    expect(text('kpi-roi-previous')).toBe('上期 400%')
    expect(text('kpi-roi-change')).toBe('▼ 20 个百分点')

    // A ratio without a denominator is "—", and so is its change.
    expect(text('kpi-achievement')).toBe('—')
    expect(text('kpi-achievement-change')).toBe('—')

    // No leads before: the change is the count itself, not a percentage of zero.
    expect(text('kpi-leads')).toBe('42')
    expect(text('kpi-leads-change')).toBe('▲ 42')
    expect(text('kpi-opportunities-change')).toBe('▼ 16.67%')
    expect(text('kpi-won')).toBe('3')
    expect(wrapper!.get('[data-test=kpi-won-change]').attributes('aria-label')).toBe('与上期持平')
  })

  it('shows the figures in English after a language switch', async () => {
    await open('/dashboard')
    i18n.global.locale.value = 'en'
    await flushPromises()
    expect(text('kpi-revenue')).toBe('CN¥120,000.00')
    expect(text('kpi-cost-previous')).toBe('Previous: CN¥20,000.00')
    expect(text('kpi-roi-change')).toBe('▼ 20 pp')
  })

  it('asks every endpoint for the last 30 days by default, and keeps the plain link plain', async () => {
    const { router } = await open('/dashboard')
    for (const path of ['overview', 'lead-trend', 'channels', 'funnel', 'team', 'roi-views']) expect(analytics(path)).toHaveLength(1)
    expect(queryOf(analytics('overview')[0])).toEqual({ model: 'primary_source' })
    expect(queryOf(analytics('lead-trend')[0])).toEqual({ interval: 'day' })
    expect(queryOf(analytics('funnel')[0])).toEqual({ groupBy: 'none' })
    expect(queryOf(analytics('team')[0])).toEqual({})
    expect(queryOf(analytics('roi-views')[0])).toEqual({ model: 'primary_source', horizonMonths: '12' })
    expect(router.currentRoute.value.fullPath).toBe('/dashboard')
  })

  it('takes every filter from the link', async () => {
    const owner = '66666666-6666-4666-8666-666666666666'
    await open(`/dashboard?from=2026-01-01&to=2026-03-31&type=trade_show&campaignId=${EXPO}&ownerId=${owner}&model=linear&interval=week&groupBy=type&horizonMonths=24`)
    const scope = { from: '2026-01-01', to: '2026-03-31', type: 'trade_show', campaignId: EXPO, ownerId: owner }
    expect(queryOf(analytics('overview')[0])).toEqual({ ...scope, model: 'linear' })
    expect(queryOf(analytics('lead-trend')[0])).toEqual({ ...scope, interval: 'week' })
    expect(queryOf(analytics('channels')[0])).toEqual({ ...scope, model: 'linear' })
    expect(queryOf(analytics('funnel')[0])).toEqual({ ...scope, groupBy: 'type' })
    expect(queryOf(analytics('team')[0])).toEqual(scope)
    expect(queryOf(analytics('roi-views')[0])).toEqual({ ...scope, model: 'linear', horizonMonths: '24' })
    // Grouped by type, the funnel is a table of the groups; the revenue is the model's credit.
    expect(wrapper!.findAll('[data-test=funnel-table] .el-table__body tr').map((tr) => tr.find('td').text())).toEqual(['展会', '竞价广告'])
    expect(wrapper!.get('[data-test=kpi-card-revenue]').text()).toContain('归因收益')
  })

  it('falls back to the defaults for what the link says wrongly, and corrects the link', async () => {
    const { router } = await open('/dashboard?from=2026-02-30&to=2026-03-31&type=billboard&campaignId=42&model=magic&interval=hour&groupBy=owner&horizonMonths=999')
    expect(queryOf(analytics('overview')[0])).toEqual({ model: 'primary_source' })
    expect(queryOf(analytics('lead-trend')[0])).toEqual({ interval: 'day' })
    expect(queryOf(analytics('roi-views')[0])).toEqual({ model: 'primary_source', horizonMonths: '12' })
    expect(router.currentRoute.value.fullPath).toBe('/dashboard')
  })

  it('writes a changed filter to the link and asks again only the cards it concerns', async () => {
    const { router } = await open('/dashboard?type=webinar')
    asked.length = 0
    await wrapper!.get('[data-test=trend-interval]').findAll('label').find((l) => l.text() === '按月')!.trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.query).toEqual({ type: 'webinar', interval: 'month' })
    expect(asked.map((u) => u.pathname)).toEqual(['/api/v1/analytics/lead-trend'])
    expect(queryOf(asked[0])).toEqual({ type: 'webinar', interval: 'month' })

    asked.length = 0
    await wrapper!.get('[data-test=funnel-group-by]').findAll('label').find((l) => l.text() === '按活动')!.trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.query).toEqual({ type: 'webinar', interval: 'month', groupBy: 'campaign' })
    expect(asked.map((u) => u.pathname)).toEqual(['/api/v1/analytics/funnel'])
    await vi.waitFor(() => expect(wrapper!.find('[data-test=funnel-table] a').attributes('href')).toBe(`/campaigns/${EXPO}`))

    // A reload of that link shows the same view (the router forgets its route when the app goes).
    const link = router.currentRoute.value.fullPath
    wrapper!.unmount()
    asked.length = 0
    await open(link)
    expect(queryOf(analytics('lead-trend')[0])).toEqual({ type: 'webinar', interval: 'month' })
    expect(queryOf(analytics('funnel')[0])).toEqual({ type: 'webinar', groupBy: 'campaign' })
  })

  it('puts the period, type, campaign and owner chosen in the filter bar into the link, and resets them', async () => {
    const owner = '66666666-6666-4666-8666-666666666666'
    const { router } = await open('/dashboard?interval=week')
    const bar = wrapper!.findComponent(DashboardFilterBar)
    // Before anything is chosen, the picker shows the period the server chose.
    expect(bar.props('resolvedPeriod')).toEqual({ from: '2026-10-25', to: '2026-11-23' })
    asked.length = 0
    bar.vm.$emit('change', { from: '2026-07-01', to: '2026-09-30' })
    bar.vm.$emit('change', { type: 'webinar', campaignId: EXPO, ownerId: owner })
    await flushPromises()
    expect(router.currentRoute.value.query).toEqual({ from: '2026-07-01', to: '2026-09-30', type: 'webinar', campaignId: EXPO, ownerId: owner, interval: 'week' })
    await vi.waitFor(() => expect(analytics('team').at(-1) && queryOf(analytics('team').at(-1))).toEqual({ from: '2026-07-01', to: '2026-09-30', type: 'webinar', campaignId: EXPO, ownerId: owner }))

    await wrapper!.get('[data-test=filter-reset]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/dashboard')
    expect(wrapper!.find('[data-test=filter-reset]').exists()).toBe(false)
  })

  it('lists every channel figure with the total row', async () => {
    await open('/dashboard')
    const rows = wrapper!.findAll('[data-test=channels-table] .el-table__body tr').map((tr) => tr.findAll('td').map((td) => td.text()))
    expect(rows[0]).toEqual(['展会', '2', '¥20,000.00', '30', '90%', '8', '2', '¥100,000.00', '26.67%', '50%', '¥666.67', '¥10,000.00', '400%'])
    expect(rows[1]).toEqual(['竞价广告', '1', '¥5,000.00', '12', '75%', '2', '0', '¥0.00', '16.67%', '—', '¥416.67', '—', '-100%'])
    const total = wrapper!.findAll('[data-test=channels-table] .el-table__footer td').map((td) => td.text())
    expect(total).toEqual(['合计', '3', '¥25,000.00', '42', '85.71%', '10', '2', '¥100,000.00', '23.81%', '50%', '¥595.24', '¥12,500.00', '300%'])
  })

  it('exports the channel table as a CSV Excel opens: BOM, CRLF, plain money, Chinese headers, the total row', async () => {
    await open('/dashboard')
    const blobs: Blob[] = []
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob)
      return 'blob:dashboard'
    })
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined)
    const names: string[] = []
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download)
    })
    await wrapper!.get('[data-test=export-channels-csv]').trigger('click')
    expect(names).toEqual(['yardstick-channels-2026-10-25_2026-11-23.csv'])
    const bytes = new Uint8Array(await blobs[0]!.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).split('\r\n')).toEqual([
      '\uFEFF渠道,活动数,营销支出,线索数,线索正确率（%）,商机数,赢单数,实际收益,线索转商机率（%）,赢单率（%）,单条线索成本,获客成本,投资回报率（%）',
      '展会,2,20000.00,30,90,8,2,100000.00,26.67,50,666.67,10000.00,400',
      '竞价广告,1,5000.00,12,75,2,0,0.00,16.67,,416.67,,-100',
      '合计,3,25000.00,42,85.71,10,2,100000.00,23.81,50,595.24,12500.00,300',
      '',
    ])
  })

  it('quotes names and defuses formulas in the exported tables', async () => {
    await open('/dashboard')
    const blobs: Blob[] = []
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob)
      return 'blob:dashboard'
    })
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined)
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined)
    await wrapper!.get('[data-test=export-team-csv]').trigger('click')
    await wrapper!.get('[data-test=export-campaigns-csv]').trigger('click')
    const [team, campaigns] = await Promise.all(blobs.map((b) => b.text()))
    expect(team!.split('\r\n')[2]).toBe('"Li, ""Lei""",22,4,0,,25000.00,,')
    expect(campaigns!.split('\r\n')[2]).toMatch(/^"'=HYPERLINK\(""http:\/\/evil.example""\)",SEM-01,竞价广告,/)
  })

  it('shows revenue ROI and the short, medium and long-term views, and exports them per campaign with the total', async () => {
    await open('/dashboard')
    const rows = wrapper!.findAll('[data-test=roi-views-table] .el-table__body tr').map((tr) => tr.findAll('td').map((td) => td.text()))
    expect(rows.map((r) => r[0])).toEqual([
      '收益期间内的营销支出与收益', '短期 · 线索获取带来多少线索，单条成本多少', '中期 · 商机转化转化多快、多少、赢得多少客户', '长期 · 客户价值赢得的客户此后带来的全部订单',
    ])
    expect(rows.map((r) => r[1])).toEqual(['300%投资回报率', '16.8 / 万元线索ROI', '0.8 / 万元转化ROI', '500%长期ROI'])
    expect(rows[2]![2]).toBe('商机数 10 · 线索转商机率 23.81% · 赢单数 2 · 赢单率 66.67% · 成交周期 12.5 天 · 赢得客户数 2')
    expect(rows[3]![2]).toBe('长期收益（12 个月） ¥150,000.00')

    const blobs: Blob[] = []
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob)
      return 'blob:dashboard'
    })
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined)
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined)
    await wrapper!.get('[data-test=export-roi-views-csv]').trigger('click')
    const lines = (await blobs[0]!.text()).split('\r\n')
    expect(lines[0]).toBe('\uFEFF活动名称,活动编号,活动类型,营销支出,实际收益,投资回报率（%）,线索数,单条线索成本,线索ROI（每万元）,商机数,线索转商机率（%）,赢单数,赢单率（%）,成交周期（天）,赢得客户数,转化ROI（每万元）,长期收益（12 个月）,长期ROI（%）')
    expect(lines[1]).toBe('2026 上海工业博览会,EXPO-2026-SH,展会,20000.00,100000.00,400,42,595.24,16.8,10,23.81,2,66.67,12.5,2,0.8,150000.00,500')
    expect(lines[3]).toBe('合计,,,25000.00,100000.00,300,42,595.24,16.8,10,23.81,2,66.67,12.5,2,0.8,150000.00,500')
  })

  it('exports a chart as a 2× PNG on white', async () => {
    await open('/dashboard')
    await vi.waitFor(() => expect(wrapper!.find('[data-test=trend-chart]').exists()).toBe(true))
    const blobs: Blob[] = []
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob)
      return 'blob:dashboard'
    })
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined)
    const names: string[] = []
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download)
    })
    await wrapper!.get('[data-test=export-trend-png]').trigger('click')
    expect(charts.asked).toEqual([{ type: 'png', pixelRatio: 2, backgroundColor: '#fff' }])
    expect(names).toEqual(['yardstick-lead-trend-2026-10-25_2026-11-23.png'])
    expect(blobs[0]!.type).toBe('image/png')
  })

  it('describes the charts for screen readers', async () => {
    await open('/dashboard')
    await vi.waitFor(() => expect(wrapper!.find('[data-test=funnel-chart]').exists()).toBe(true))
    expect(wrapper!.get('[data-test=trend-chart]').attributes('aria-label')).toContain('展会 5、竞价广告 5、合计 10')
    expect(wrapper!.get('[data-test=funnel-chart]').attributes('aria-label')).toBe('转化漏斗：线索 42、已确认 20（47.62%）、商机 10（50%）、赢单 2（20%）')
    await vi.waitFor(() => expect(wrapper!.find('[data-test=channels-chart]').exists()).toBe(true))
    expect(wrapper!.get('[data-test=channels-chart]').attributes('aria-label')).toContain('展会 支出 ¥20,000.00、收益 ¥100,000.00、投资回报率 400%')
  })

  it('opens a campaign from its bubble', async () => {
    const { router } = await open('/dashboard')
    await vi.waitFor(() => expect(wrapper!.find('[data-test=campaigns-chart]').exists()).toBe(true))
    const bubbles = wrapper!.findAllComponents({ name: 'VChartStandIn' }).find((c) => c.element.closest('[data-test=campaigns-chart]'))!
    bubbles.vm.$emit('click', { seriesType: 'scatter', data: { campaign: roiViewsFixture().campaigns[0] } })
    await flushPromises()
    expect(router.currentRoute.value.path).toBe(`/campaigns/${EXPO}`)
  })

  it('refetches every figure on screen when a deal is won elsewhere, without a reload', async () => {
    await open('/dashboard?type=trade_show')
    expect(text('kpi-revenue')).toBe('¥120,000.00')
    const marker = wrapper!.get('[data-test=kpis]').element
    asked.length = 0
    revenue = '160000.00'
    const win = (entity: ChangeEvent['entity'], action: string): FeedMessage => ({
      kind: 'change', event: { eventId: crypto.randomUUID(), entity, id: crypto.randomUUID(), action, campaignIds: [EXPO], at: new Date().toISOString() },
    })
    // A win sends the opportunity and its order: one refetch of each card, not two.
    for (const listener of listeners) {
      listener(win('opportunity', 'win'))
      listener(win('order', 'create'))
    }
    await vi.waitFor(() => expect(text('kpi-revenue')).toBe('¥160,000.00'), { timeout: 2_000 })
    await flushPromises()
    expect(asked.map((u) => u.pathname).sort()).toEqual(['channels', 'funnel', 'lead-trend', 'overview', 'roi-views', 'team'].map((p) => `/api/v1/analytics/${p}`))
    expect(asked.every((u) => u.searchParams.get('type') === 'trade_show')).toBe(true)
    // Refreshed in place: the same elements, no loading mask.
    expect(wrapper!.get('[data-test=kpis]').element).toBe(marker)
    expect(wrapper!.find('.el-loading-mask').exists()).toBe(false)
  })

  it('ignores changes that move no figure here, and refetches on a resync', async () => {
    await open('/dashboard')
    asked.length = 0
    for (const listener of listeners) listener({ kind: 'change', event: { eventId: crypto.randomUUID(), entity: 'contact', id: null, action: 'update', campaignIds: [], at: new Date().toISOString() } })
    await new Promise((resolve) => setTimeout(resolve, 700))
    expect(asked).toEqual([])
    for (const listener of listeners) listener({ kind: 'resync' })
    await vi.waitFor(() => expect(analytics('overview')).toHaveLength(1), { timeout: 2_000 })
  })

  it('shows an error with a retry in the card that failed, and the other cards still', async () => {
    const answer = fetch.getMockImplementation()!
    fetch.mockImplementation(async (request) => (new URL(request.url, 'http://localhost').pathname === '/api/v1/analytics/team'
      ? json(500, { statusCode: 500, error: 'Internal Server Error', code: 'internal_error', message: 'x' })
      : answer(request)))
    await open('/dashboard')
    await vi.waitFor(() => expect(wrapper!.text()).toContain('服务器出错了'))
    expect(wrapper!.find('[data-test=team-table]').exists()).toBe(false)
    expect(text('kpi-revenue')).toBe('¥120,000.00')
    fetch.mockImplementation(answer)
    const retry = wrapper!.findAll('button').find((b) => b.text() === '重试')!
    await retry.trigger('click')
    await vi.waitFor(() => expect(wrapper!.findAll('[data-test=team-table] .el-table__body tr')).toHaveLength(2))
  })
})
