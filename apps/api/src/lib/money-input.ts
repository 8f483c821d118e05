import { formatMoney, MoneyError, parseMoney } from '@yardstick/roi-core'
import Type from 'typebox'
import { DomainError } from '../errors.ts'

/** What a money field accepts: a decimal string ("80000.5") or a JSON number (80000.5). */
export const MoneyInput = Type.Union([Type.String({ maxLength: 40 }), Type.Number()], {
  description: 'An amount with at most two decimals, as a string ("80000.00") or a number',
})

/** Money as the API sends it: a decimal string with two decimals. */
export const Money = Type.String({ pattern: '^-?\\d+\\.\\d{2}$', description: 'A decimal string with two decimals, e.g. "80000.00"' })

const REASONS: Record<MoneyError['code'], string> = {
  invalid_money: 'must be an amount with at most two decimals, e.g. "80000.00"',
  negative_money: 'must not be negative',
  money_out_of_range: 'is too large',
}

/** Parses a money field of a request into cents; a bad amount becomes a 400 naming the field. */
export function moneyField(field: string, value: string | number): bigint {
  try {
    return parseMoney(value)
  } catch (error) {
    if (error instanceof MoneyError) {
      const message = REASONS[error.code]
      throw new DomainError(400, 'validation_failed', `${field}: ${message}`, [{ field, message }])
    }
    throw error
  }
}

/** Cents from a `numeric(…, 2)` value as PostgreSQL returns it (a string); null stays 0. */
export function centsFromDb(value: string | number | bigint | null | undefined): bigint {
  if (value === null || value === undefined) return 0n
  if (typeof value === 'bigint') return value * 100n
  return parseMoney(String(value), { allowNegative: true })
}

/** A `numeric(…, 2)` value from the database as the API's decimal string. */
export const moneyFromDb = (value: string | number | bigint | null | undefined): string => formatMoney(centsFromDb(value))
