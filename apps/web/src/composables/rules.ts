import type { FormItemRule } from 'element-plus'
import { t } from '../i18n/index.ts'

// Form rules whose messages are looked up when validating, so they follow a language switch.
// The server checks everything again; these only save a round trip.

const MONEY = /^\d{1,16}(\.\d{1,2})?$/
const EMAIL = /^[^\s@]+@[^\s@]+$/

export const required = (trigger: 'blur' | 'change' = 'blur'): FormItemRule => ({
  required: true,
  trigger,
  validator: (_rule, value: unknown, callback) => {
    const empty = value === null || value === undefined || (typeof value === 'string' && value.trim() === '')
    callback(empty ? new Error(t('fieldErrors.required')) : undefined)
  },
})

export const money = (): FormItemRule => ({
  trigger: 'blur',
  validator: (_rule, value: unknown, callback) => {
    const text = typeof value === 'number' ? String(value) : (value as string | null | undefined)?.trim()
    callback(text && !MONEY.test(text) ? new Error(t('entity.amountInvalid')) : undefined)
  },
})

export const email = (): FormItemRule => ({
  trigger: 'blur',
  validator: (_rule, value: unknown, callback) => {
    const text = (value as string | null | undefined)?.trim()
    callback(text && !EMAIL.test(text) ? new Error(t('fieldErrors.email')) : undefined)
  },
})

export const maxLength = (n: number): FormItemRule => ({
  trigger: 'blur',
  validator: (_rule, value: unknown, callback) => {
    callback(typeof value === 'string' && value.length > n ? new Error(t('fieldErrors.tooLong', { n })) : undefined)
  },
})

/** '' and whitespace become null: the API distinguishes "no value" from an empty string. */
export const orNull = (value: string | null | undefined): string | null => {
  const trimmed = value?.trim()
  return trimmed ? trimmed : null
}
