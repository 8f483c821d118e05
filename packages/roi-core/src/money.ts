export type MoneyErrorCode = 'invalid_money' | 'negative_money' | 'money_out_of_range'

/**
 * An amount that cannot be stored as PostgreSQL `numeric(18,2)`; `input` is what the caller passed.
 *
 * @example
 * ```ts
 * try { parseMoney('1.234') } catch (e) { e instanceof MoneyError && e.code } // 'invalid_money'
 * ```
 */
export class MoneyError extends Error {
  override readonly name = 'MoneyError'
  readonly code: MoneyErrorCode
  readonly input: string | number

  constructor(code: MoneyErrorCode, input: string | number, message: string) {
    super(message)
    this.code = code
    this.input = input
  }
}

// numeric(18,2) holds 16 integer digits: |units| < 10^16, so |cents| < 10^18.
const CENTS_LIMIT = 10n ** 18n
const MONEY_PATTERN = /^(-?)(\d+)(?:\.(\d{1,2}))?$/

/**
 * Parses an amount into integer cents. Strings are trimmed; numbers go through their shortest
 * decimal form (`String(n)`), so a float that prints as `19.99` is taken to mean exactly 19.99.
 * Thousands separators, exponents and more than two decimals are rejected rather than guessed at.
 *
 * @example
 * ```ts
 * parseMoney('80000.5')                          // 8000050n
 * parseMoney(' 12.30 ')                          // 1230n
 * parseMoney(0.1)                                // 10n
 * parseMoney('-1.00', { allowNegative: true })   // -100n
 * parseMoney('-1.00')                            // throws MoneyError 'negative_money'
 * parseMoney('1.234')                            // throws MoneyError 'invalid_money'
 * parseMoney('10000000000000000')                // throws MoneyError 'money_out_of_range'
 * ```
 */
export function parseMoney(input: string | number, opts: { allowNegative?: boolean } = {}): bigint {
  if (typeof input === 'number' && !Number.isFinite(input)) {
    throw new MoneyError('invalid_money', input, `${input} is not an amount`)
  }
  const text = typeof input === 'number' ? String(input) : input.trim()
  const match = MONEY_PATTERN.exec(text)
  if (!match) {
    // Very large numbers print with an exponent; they are too big, not malformed.
    const code = typeof input === 'number' && Math.abs(input) >= 1e16 ? 'money_out_of_range' : 'invalid_money'
    throw new MoneyError(code, input, `"${input}" is not an amount with at most two decimals`)
  }
  const [, sign = '', units = '', fraction = ''] = match
  const magnitude = BigInt(units) * 100n + BigInt(fraction.padEnd(2, '0'))
  if (magnitude >= CENTS_LIMIT) {
    throw new MoneyError('money_out_of_range', input, `"${input}" exceeds numeric(18,2)`)
  }
  const cents = sign === '-' ? -magnitude : magnitude
  if (cents < 0n && !opts.allowNegative) {
    throw new MoneyError('negative_money', input, `"${input}" must not be negative`)
  }
  return cents
}

/**
 * Formats cents as the decimal string the API sends: two decimals, no grouping, `-` when negative.
 *
 * @example
 * ```ts
 * formatMoney(8000000n) // '80000.00'
 * formatMoney(-5n)      // '-0.05'
 * formatMoney(0n)       // '0.00'
 * ```
 */
export function formatMoney(cents: bigint): string {
  const sign = cents < 0n ? '-' : ''
  const magnitude = cents < 0n ? -cents : cents
  return `${sign}${magnitude / 100n}.${String(magnitude % 100n).padStart(2, '0')}`
}

/**
 * Adds amounts in cents; an empty input sums to `0n`.
 *
 * @example
 * ```ts
 * sumMoney([1999n, 1n, 8000000n]) // 8002000n
 * sumMoney([])                    // 0n
 * ```
 */
export function sumMoney(values: Iterable<bigint>): bigint {
  let total = 0n
  for (const value of values) total += value
  return total
}
