import { computed } from 'vue'
import { useI18n } from 'vue-i18n'

/** What the UI shows for a missing value or a ratio whose denominator is zero. */
export const EMPTY = '—'

type Money = string | number | null | undefined

/**
 * Money in the locale's currency style, exactly: the API's decimal strings are handed to
 * Intl as strings, so no float rounding on large amounts.
 * @example formatMoney('80000.00', 'zh-CN') // '¥80,000.00'; 'en' gives 'CN¥80,000.00'
 */
export function formatMoney(value: Money, locale: string): string {
  if (value === null || value === undefined || value === '') return EMPTY
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY' })
  return format.format(typeof value === 'number' ? value : (value as Intl.StringNumericLiteral))
}

/**
 * A percentage the API sends ×100 (40 means 40 %), or null when undefined.
 * @example formatPercent(12.35, 'zh-CN') // '12.35%'; formatPercent(null, 'en') // '—'
 */
export function formatPercent(value: number | null | undefined, locale: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return EMPTY
  // Shift the decimal point in the string, not with a float division.
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(`${value}E-2` as Intl.StringNumericLiteral)
}

export function formatNumber(value: number | string | null | undefined, locale: string, maximumFractionDigits = 2): string {
  if (value === null || value === undefined || value === '') return EMPTY
  return new Intl.NumberFormat(locale, { maximumFractionDigits }).format(typeof value === 'number' ? value : (value as Intl.StringNumericLiteral))
}

function toDate(value: string | Date | null | undefined): Date | null {
  if (!value) return null
  const date = value instanceof Date ? value : new Date(value)
  return Number.isNaN(date.getTime()) ? null : date
}

/** A calendar date; a bare 'YYYY-MM-DD' is that day wherever the browser is. */
export function formatDate(value: string | Date | null | undefined, locale: string): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${value}T00:00:00Z`))
  }
  const date = toDate(value)
  return date ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(date) : EMPTY
}

/** A compact date for table cells: 2026/03/05 (zh-CN), 03/05/2026 (en). */
export function formatShortDate(value: string | null | undefined, locale: string): string {
  if (!value) return EMPTY
  const options: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit' }
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }).format(new Date(`${value}T00:00:00Z`))
  const date = toDate(value)
  return date ? new Intl.DateTimeFormat(locale, options).format(date) : EMPTY
}

export function formatDateTime(value: string | Date | null | undefined, locale: string): string {
  const date = toDate(value)
  return date ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date) : EMPTY
}

/** The formatters bound to the current UI language; they follow a language switch. */
export function useFormat() {
  const { locale } = useI18n()
  const current = computed(() => locale.value)
  return {
    money: (value: Money) => formatMoney(value, current.value),
    percent: (value: number | null | undefined) => formatPercent(value, current.value),
    number: (value: number | string | null | undefined, digits?: number) => formatNumber(value, current.value, digits),
    date: (value: string | Date | null | undefined) => formatDate(value, current.value),
    shortDate: (value: string | null | undefined) => formatShortDate(value, current.value),
    dateTime: (value: string | Date | null | undefined) => formatDateTime(value, current.value),
  }
}
