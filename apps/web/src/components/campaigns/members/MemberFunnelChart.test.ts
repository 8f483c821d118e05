import { mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { i18n } from '../../../i18n/index.ts'
import type { MemberSummary } from './member-status.ts'
import MemberFunnelChart from './MemberFunnelChart.vue'

// happy-dom has no canvas: the chart hands its option to a stand-in that shows it.
vi.mock('vue-echarts', () => ({
  default: defineComponent({ props: { option: { type: Object, required: true } }, setup: (props) => () => h('div', { 'data-test': 'echarts', 'data-option': JSON.stringify(props.option) }) }),
}))

const summary: MemberSummary = {
  campaignType: 'conference',
  // Not in flow order on purpose, and a status the flow no longer has.
  statuses: [
    { status: 'attended', position: 2, responded: true, count: 3 },
    { status: 'invited', position: 0, responded: false, count: 10 },
    { status: 'vip_seat', position: null, responded: false, count: 1 },
    { status: 'no_show', position: 3, responded: false, count: 2 },
    { status: 'registered', position: 1, responded: true, count: 5 },
  ],
  total: 21,
  responded: 8,
}

const option = (wrapper: ReturnType<typeof mount>) => JSON.parse(wrapper.get('[data-test=echarts]').attributes('data-option')!) as {
  yAxis: { data: string[] }
  series: { data: { value: number; itemStyle: { color: string } }[] }[]
}

describe('the member status funnel', () => {
  beforeEach(() => {
    i18n.global.locale.value = 'zh-CN'
  })

  it('draws the statuses in the flow\'s order, then those no longer in the flow, with their counts', () => {
    const wrapper = mount(MemberFunnelChart, { props: { summary }, global: { plugins: [i18n] } })
    const drawn = option(wrapper)
    expect(drawn.yAxis.data).toEqual(['已邀约', '已报名', '已签到', '未到场', 'vip_seat'])
    expect(drawn.series[0]!.data.map((d) => d.value)).toEqual([10, 5, 3, 2, 1])
    expect(wrapper.get('figure').attributes('aria-label')).toBe('成员状态漏斗：已邀约 10、已报名 5、已签到 3、未到场 2、vip_seat 1')
  })

  it('marks the statuses that count as a response', () => {
    const wrapper = mount(MemberFunnelChart, { props: { summary }, global: { plugins: [i18n] } })
    const colors = option(wrapper).series[0]!.data.map((d) => d.itemStyle.color)
    expect(colors[1]).toBe(colors[2]) // registered, attended: responded
    expect(colors[0]).not.toBe(colors[1])
    expect(colors[3]).toBe(colors[0]) // no_show: not a response
  })

  it('names the standard statuses of other flows in English, and custom ones as they are', async () => {
    i18n.global.locale.value = 'en'
    const wrapper = mount(MemberFunnelChart, {
      props: {
        summary: {
          campaignType: 'email', total: 3, responded: 1,
          statuses: [
            { status: 'sent', position: 0, responded: false, count: 1 },
            { status: 'opened', position: 1, responded: false, count: 1 },
            { status: 'clicked', position: 2, responded: true, count: 1 },
            { status: 'replied_twice', position: 3, responded: true, count: 0 },
          ],
        },
      },
      global: { plugins: [i18n] },
    })
    expect(option(wrapper).yAxis.data).toEqual(['Sent', 'Opened', 'Clicked', 'replied_twice'])
  })
})
