import { describe, expect, it } from 'vitest'
import { DEFAULT_FILTERS, filtersToQuery, isIsoDate, parseFilters, scopeOf, shortcutPeriod } from './filters.ts'

const CAMPAIGN = '22222222-2222-4222-8222-222222222222'

describe('the dashboard filters in the URL', () => {
  it('reads every filter from a well-formed link and writes the same link back', () => {
    const query = { from: '2026-01-01', to: '2026-03-31', type: 'webinar', campaignId: CAMPAIGN, ownerId: CAMPAIGN, model: 'u_shaped', interval: 'month', groupBy: 'campaign', horizonMonths: '36' }
    const filters = parseFilters(query)
    expect(filters).toEqual({ ...query, horizonMonths: 36 })
    expect(filtersToQuery(filters)).toEqual(query)
  })

  it('leaves the defaults out of the link', () => {
    expect(parseFilters({})).toEqual(DEFAULT_FILTERS)
    expect(filtersToQuery(DEFAULT_FILTERS)).toEqual({})
    expect(scopeOf(DEFAULT_FILTERS)).toEqual({ from: undefined, to: undefined, type: undefined, campaignId: undefined, ownerId: undefined })
  })

  it('falls back to the default for each value it cannot use', () => {
    expect(parseFilters({
      from: '2026-02-30', to: '2026-03-31', type: 'billboard', campaignId: "1' or 1=1", ownerId: '', model: 'magic', interval: 'hour', groupBy: 'owner', horizonMonths: '0',
    })).toEqual(DEFAULT_FILTERS)
    // A period ending before it starts, or half a period, is no period.
    expect(parseFilters({ from: '2026-03-31', to: '2026-01-01' })).toMatchObject({ from: null, to: null })
    expect(parseFilters({ from: '2026-03-31' })).toMatchObject({ from: null, to: null })
    expect(parseFilters({ horizonMonths: '121' }).horizonMonths).toBe(12)
    expect(parseFilters({ horizonMonths: '1.5' }).horizonMonths).toBe(12)
    // A repeated key counts once.
    expect(parseFilters({ type: ['email', 'social'] }).type).toBe('email')
  })

  it('knows a real calendar day', () => {
    expect(isIsoDate('2028-02-29')).toBe(true)
    expect(isIsoDate('2026-02-29')).toBe(false)
    expect(isIsoDate('2026-1-01')).toBe(false)
  })
})

describe('the period shortcuts', () => {
  const today = new Date(2026, 10, 23, 15, 30)

  it('count back from today, today included', () => {
    expect(shortcutPeriod('last7', today)).toEqual(['2026-11-17', '2026-11-23'])
    expect(shortcutPeriod('last30', today)).toEqual(['2026-10-25', '2026-11-23'])
    expect(shortcutPeriod('last90', today)).toEqual(['2026-08-26', '2026-11-23'])
  })

  it('start this month, quarter or year', () => {
    expect(shortcutPeriod('thisMonth', today)).toEqual(['2026-11-01', '2026-11-23'])
    expect(shortcutPeriod('thisQuarter', today)).toEqual(['2026-10-01', '2026-11-23'])
    expect(shortcutPeriod('thisYear', today)).toEqual(['2026-01-01', '2026-11-23'])
  })
})
