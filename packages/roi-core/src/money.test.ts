import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { MoneyError, formatMoney, parseMoney, sumMoney } from './money.ts'

const CENTS_LIMIT = 10n ** 18n
const inRangeCents = fc.bigInt({ min: -CENTS_LIMIT + 1n, max: CENTS_LIMIT - 1n })

function errorCode(run: () => unknown): string | undefined {
  try {
    run()
  } catch (error) {
    if (error instanceof MoneyError) return error.code
    throw error
  }
  return undefined
}

describe('parseMoney', () => {
  it('reads whole amounts, one decimal and two decimals as cents', () => {
    expect(parseMoney('80000')).toBe(8000000n)
    expect(parseMoney('80000.5')).toBe(8000050n)
    expect(parseMoney('80000.50')).toBe(8000050n)
    expect(parseMoney('0.07')).toBe(7n)
  })

  it('trims surrounding whitespace', () => {
    expect(parseMoney(' 12.30 ')).toBe(1230n)
  })

  it('reads numbers through their shortest decimal form', () => {
    expect(parseMoney(0.1)).toBe(10n)
    expect(parseMoney(19.99)).toBe(1999n)
    expect(parseMoney(1.1)).toBe(110n)
    expect(parseMoney(80000)).toBe(8000000n)
  })

  it('rejects negatives unless they are allowed', () => {
    expect(errorCode(() => parseMoney('-1.00'))).toBe('negative_money')
    expect(errorCode(() => parseMoney(-0.5))).toBe('negative_money')
    expect(parseMoney('-1.00', { allowNegative: true })).toBe(-100n)
    expect(parseMoney(-0.05, { allowNegative: true })).toBe(-5n)
  })

  it('treats negative zero as zero', () => {
    expect(parseMoney('-0.00')).toBe(0n)
    expect(parseMoney(-0)).toBe(0n)
  })

  it.each(['1.234', '1e5', '', '   ', 'abc', '1,000', '1.', '.5', '+1', '1 000', '0x10', '１２'])(
    'rejects %j as invalid money',
    (input) => {
      expect(errorCode(() => parseMoney(input))).toBe('invalid_money')
    },
  )

  it('rejects numbers that are not finite or have more than two decimals', () => {
    expect(errorCode(() => parseMoney(Number.NaN))).toBe('invalid_money')
    expect(errorCode(() => parseMoney(Number.POSITIVE_INFINITY))).toBe('invalid_money')
    expect(errorCode(() => parseMoney(0.1 + 0.2))).toBe('invalid_money')
    expect(errorCode(() => parseMoney(1e-7))).toBe('invalid_money')
  })

  it('accepts the largest numeric(18,2) value and rejects anything beyond it', () => {
    expect(parseMoney('9999999999999999.99')).toBe(CENTS_LIMIT - 1n)
    expect(parseMoney('-9999999999999999.99', { allowNegative: true })).toBe(-CENTS_LIMIT + 1n)
    expect(errorCode(() => parseMoney('10000000000000000'))).toBe('money_out_of_range')
    expect(errorCode(() => parseMoney('-10000000000000000', { allowNegative: true }))).toBe('money_out_of_range')
    expect(errorCode(() => parseMoney(1e16))).toBe('money_out_of_range')
    expect(errorCode(() => parseMoney(1e25))).toBe('money_out_of_range')
  })

  it('keeps the offending input on the error', () => {
    const error = (() => {
      try {
        return parseMoney('1,000')
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(MoneyError)
    expect(error).toMatchObject({ name: 'MoneyError', code: 'invalid_money', input: '1,000' })
  })

  it('reads back every in-range amount it formats', () => {
    fc.assert(
      fc.property(inRangeCents, (cents) => {
        expect(parseMoney(formatMoney(cents), { allowNegative: true })).toBe(cents)
      }),
    )
  })

  it('reads a number built from a formatted amount as the same cents', () => {
    // Up to 15 significant digits a double prints back as the decimal it was parsed from.
    const cents = fc.bigInt({ min: -(10n ** 15n) + 1n, max: 10n ** 15n - 1n })
    fc.assert(
      fc.property(cents, (c) => {
        expect(parseMoney(Number(formatMoney(c)), { allowNegative: true })).toBe(c)
      }),
    )
  })

  it('rejects every amount at or beyond the numeric(18,2) limit', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: CENTS_LIMIT, max: CENTS_LIMIT * 1000n }), fc.boolean(), (cents, negative) => {
        const text = formatMoney(negative ? -cents : cents)
        expect(errorCode(() => parseMoney(text, { allowNegative: true }))).toBe('money_out_of_range')
      }),
    )
  })
})

describe('formatMoney', () => {
  it('writes two decimals with a leading minus for negatives', () => {
    expect(formatMoney(8000000n)).toBe('80000.00')
    expect(formatMoney(-5n)).toBe('-0.05')
    expect(formatMoney(0n)).toBe('0.00')
    expect(formatMoney(1230n)).toBe('12.30')
    expect(formatMoney(-123456n)).toBe('-1234.56')
  })

  it('gives back any canonical amount string unchanged', () => {
    const canonical = fc
      .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 16n - 1n }), fc.integer({ min: 0, max: 99 }))
      .filter(([negative, units, fraction]) => !negative || units > 0n || fraction > 0)
      .map(([negative, units, fraction]) => `${negative ? '-' : ''}${units}.${String(fraction).padStart(2, '0')}`)
    fc.assert(
      fc.property(canonical, (text) => {
        expect(formatMoney(parseMoney(text, { allowNegative: true }))).toBe(text)
      }),
    )
  })
})

describe('sumMoney', () => {
  it('adds cents exactly where floats would drift', () => {
    expect(sumMoney([10n, 20n])).toBe(30n)
    expect(sumMoney(Array.from({ length: 1000 }, () => 1n))).toBe(1000n)
  })

  it('sums nothing to zero', () => {
    expect(sumMoney([])).toBe(0n)
  })

  it('accepts any iterable, including a generator', () => {
    function* amounts() {
      yield 1999n
      yield -999n
    }
    expect(sumMoney(amounts())).toBe(1000n)
  })
})
