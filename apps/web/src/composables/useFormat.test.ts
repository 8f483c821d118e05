import { describe, expect, it } from 'vitest'
import { formatDate, formatMoney, formatPercent } from './useFormat.ts'

describe('formatMoney', () => {
  it('shows yuan as ¥80,000.00 in Chinese and CN¥80,000.00 in English', () => {
    expect(formatMoney('80000.00', 'zh-CN')).toBe('¥80,000.00')
    expect(formatMoney('80000.00', 'en')).toBe('CN¥80,000.00')
  })

  it('keeps every cent of amounts beyond a float\'s precision', () => {
    expect(formatMoney('9999999999999999.99', 'zh-CN')).toBe('¥9,999,999,999,999,999.99')
  })

  it('shows a dash when there is no amount', () => {
    expect(formatMoney(null, 'zh-CN')).toBe('—')
  })
})

describe('formatPercent', () => {
  it('shows the API\'s ×100 numbers with up to two decimals', () => {
    expect(formatPercent(40, 'zh-CN')).toBe('40%')
    expect(formatPercent(12.35, 'en')).toBe('12.35%')
    expect(formatPercent(-50, 'en')).toBe('-50%')
  })

  it('shows a dash for a ratio whose denominator is zero (null)', () => {
    expect(formatPercent(null, 'zh-CN')).toBe('—')
  })
})

describe('formatDate', () => {
  it('writes the date in the locale', () => {
    expect(formatDate('2026-03-05', 'zh-CN')).toBe('2026年3月5日')
    expect(formatDate('2026-03-05', 'en')).toBe('Mar 5, 2026')
  })
})
