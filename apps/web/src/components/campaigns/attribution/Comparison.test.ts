import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n } from '../../../i18n/index.ts'
import { allTotalsAgree, byMaxRevenue, comparisonRows } from './comparison.ts'
import { comparisonFixture } from './comparison.fixture.ts'
import ComparisonTable from './ComparisonTable.vue'
import ComparisonTotals from './ComparisonTotals.vue'

const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { render: () => null } }] })
const plugins = [createPinia(), i18n, router]

describe('comparisonRows', () => {
  it('computes each campaign\'s spread as a share of its highest revenue, exactly', () => {
    const rows = comparisonRows(comparisonFixture())
    expect(rows.map((r) => [r.name, r.spreadPct])).toEqual([['展会', 60], ['搜索广告', 100], ['线上研讨会', 100]])
    expect(rows[0]!.byModel.first_touch?.attributedRevenue).toBe('40000.00')
  })

  it('has no share when no model credits the campaign anything', () => {
    const data = comparisonFixture()
    data.campaigns[2]!.spread = { min: '0.00', max: '0.00', range: '0.00' }
    expect(comparisonRows(data)[2]!.spreadPct).toBeNull()
  })

  it('orders the chart\'s campaigns by their highest revenue under any model', () => {
    expect(byMaxRevenue(comparisonRows(comparisonFixture())).map((r) => r.name)).toEqual(['展会', '搜索广告', '线上研讨会'])
  })
})

describe('the comparison table', () => {
  beforeEach(() => {
    i18n.global.locale.value = 'zh-CN'
  })

  async function mountTable() {
    const wrapper = mount(ComparisonTable, { props: { rows: comparisonRows(comparisonFixture()), models: ['primary_source', 'first_touch', 'u_shaped'] }, global: { plugins } })
    await flushPromises()
    return wrapper
  }
  const names = (wrapper: ReturnType<typeof mount>) => wrapper.findAll('.el-table__body tr').map((tr) => tr.find('a').text())

  it('lists the campaigns by spread, largest first, with one revenue and ROI per model', async () => {
    const wrapper = await mountTable()
    // 搜索广告 and 展会 both differ by 60,000.00: the larger share of the highest comes first.
    expect(names(wrapper)).toEqual(['搜索广告', '展会', '线上研讨会'])
    const expo = wrapper.findAll('.el-table__body tr')[1]!.findAll('td').map((td) => td.text())
    expect(expo).toEqual(['展会EXPO', '¥10,000.00', '¥100,000.00ROI 900%', '¥40,000.00ROI 300%', '¥40,000.00ROI 300%', '¥60,000.00占最高值 60%'])
    expect(wrapper.find('.el-table__body a').attributes('href')).toBe('/campaigns/c0000000-0000-4000-8000-00000000000b')
  })

  it('sorts by spread the other way round when asked', async () => {
    const wrapper = await mountTable()
    const spreadHeader = wrapper.findAll('.el-table__header th').find((th) => th.text().includes('模型差异'))!
    await spreadHeader.get('.sort-caret.ascending').trigger('click')
    expect(names(wrapper)).toEqual(['线上研讨会', '展会', '搜索广告'])
  })
})

describe('the comparison totals', () => {
  beforeEach(() => {
    i18n.global.locale.value = 'zh-CN'
  })

  it('shows the total revenue with a check mark when every model adds up to it', async () => {
    const data = comparisonFixture()
    expect(allTotalsAgree(data)).toBe(true)
    const wrapper = mount(ComparisonTotals, { props: { data }, global: { plugins } })
    await flushPromises()
    expect(wrapper.get('[data-test=total-revenue]').text()).toBe('¥100,000.00')
    expect(wrapper.get('[data-test=totals-verdict]').text()).toBe('各模型合计均等于总收益')
    expect(wrapper.findAll('.el-table__body tr').map((tr) => tr.findAll('td').slice(0, 4).map((td) => td.text()))).toEqual([
      ['主来源活动', '¥100,000.00', '¥0.00', '¥100,000.00'],
      ['首次触点', '¥100,000.00', '¥0.00', '¥100,000.00'],
      ['U 型', '¥100,000.00', '¥0.00', '¥100,000.00'],
    ])
    expect(wrapper.findAll('[aria-label=等于总收益]')).toHaveLength(3)
  })

  it('says so when a model loses a cent', async () => {
    const data = comparisonFixture()
    data.totals[2] = { model: 'u_shaped', attributedRevenue: '99999.99', unattributedRevenue: '0.00', totalRevenue: '100000.00' }
    expect(allTotalsAgree(data)).toBe(false)
    const wrapper = mount(ComparisonTotals, { props: { data }, global: { plugins } })
    await flushPromises()
    expect(wrapper.get('[data-test=totals-verdict]').text()).toBe('有模型的合计不等于总收益')
    expect(wrapper.findAll('[aria-label=不等于总收益]')).toHaveLength(1)
  })
})
