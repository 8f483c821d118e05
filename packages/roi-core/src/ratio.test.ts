import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { divRound, moneyPerUnit, pct, perTenThousand, ratio } from './ratio.ts'

const abs = (n: bigint): bigint => (n < 0n ? -n : n)

/** The exact decimal a 2-decimal result stands for, in hundredths, without float arithmetic. */
function hundredths(value: number): bigint {
  const text = value.toFixed(2)
  expect(Number(text)).toBe(value)
  return BigInt(text.replace('.', ''))
}

describe('divRound', () => {
  it('rounds halves away from zero like PostgreSQL round(numeric)', () => {
    expect(divRound(5n, 2n)).toBe(3n)
    expect(divRound(-5n, 2n)).toBe(-3n)
    expect(divRound(5n, -2n)).toBe(-3n)
    expect(divRound(-5n, -2n)).toBe(3n)
    expect(divRound(4n, 3n)).toBe(1n)
    expect(divRound(-4n, 3n)).toBe(-1n)
  })

  it('refuses to divide by zero', () => {
    expect(() => divRound(1n, 0n)).toThrow(RangeError)
  })

  it('lands within half a unit of the exact quotient', () => {
    const nonZero = fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).filter((d) => d !== 0n)
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }), nonZero, (n, d) => {
        const q = divRound(n, d)
        // |q − n/d| ≤ 1/2  ⇔  |2(q·d − n)| ≤ |d|
        expect(abs(2n * (q * d - n)) <= abs(d)).toBe(true)
      }),
    )
  })
})

describe('pct', () => {
  it('gives percentages rounded to two decimals', () => {
    expect(pct(4000000n, 10000000n)).toBe(40)
    expect(pct(1n, 3n)).toBe(33.33)
    expect(pct(2n, 3n)).toBe(66.67)
    expect(pct(-1n, 3n)).toBe(-33.33)
    expect(pct(1n, 8n)).toBe(12.5)
    expect(pct(1n, 1n)).toBe(100)
    expect(pct(0n, 7n)).toBe(0)
  })

  it('rounds a half hundredth away from zero', () => {
    expect(pct(1n, 80000n)).toBe(0)
    expect(pct(1n, 16000n)).toBe(0.01) // 0.00625
    expect(pct(1n, 20000n)).toBe(0.01) // 0.005
    expect(pct(-1n, 20000n)).toBe(-0.01)
  })

  it('never returns negative zero', () => {
    expect(Object.is(pct(-1n, 10n ** 9n), 0)).toBe(true)
  })

  it('is null when the denominator is zero', () => {
    expect(pct(5n, 0n)).toBeNull()
    expect(pct(0n, 0n)).toBeNull()
  })

  it('is null exactly when the denominator is zero, and otherwise within 0.005 of the true percentage', () => {
    const numerator = fc.bigInt({ min: -(10n ** 11n), max: 10n ** 11n })
    const denominator = fc.oneof(fc.constant(0n), fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }))
    fc.assert(
      fc.property(numerator, denominator, (n, d) => {
        const result = pct(n, d)
        if (d === 0n) {
          expect(result).toBeNull()
          return
        }
        expect(result).not.toBeNull()
        const p = hundredths(result as number)
        // |p/100 − 100·n/d| ≤ 1/200  ⇔  |2·p·d − 20000·n| ≤ |d|
        expect(abs(2n * p * d - 20000n * n) <= abs(d)).toBe(true)
      }),
    )
  })
})

describe('ratio', () => {
  it('rounds a plain ratio to the requested decimals', () => {
    expect(ratio(1n, 3n)).toBe(0.33)
    expect(ratio(2n, 3n, 4)).toBe(0.6667)
    expect(ratio(7n, 2n, 0)).toBe(4)
    expect(ratio(-7n, 2n, 0)).toBe(-4)
    expect(ratio(1n, 0n)).toBeNull()
  })

  it('stays exact beyond the range of safe integers', () => {
    expect(ratio(10n ** 30n + 1n, 10n ** 10n, 2)).toBe(1e20)
  })

  it('rejects a scale that is not a non-negative integer', () => {
    expect(() => ratio(1n, 3n, -1)).toThrow(RangeError)
    expect(() => ratio(1n, 3n, 1.5)).toThrow(RangeError)
  })
})

describe('moneyPerUnit', () => {
  it('divides cents by a count, rounding half-up to the cent', () => {
    expect(moneyPerUnit(4000000n, 120)).toBe(33333n)
    expect(moneyPerUnit(100n, 3n)).toBe(33n)
    expect(moneyPerUnit(200n, 3)).toBe(67n)
    expect(moneyPerUnit(5n, 2)).toBe(3n)
  })

  it('is null for a count of zero', () => {
    expect(moneyPerUnit(500n, 0)).toBeNull()
    expect(moneyPerUnit(500n, 0n)).toBeNull()
  })

  it('rejects counts that are negative or not whole', () => {
    expect(() => moneyPerUnit(500n, -1)).toThrow(RangeError)
    expect(() => moneyPerUnit(500n, 1.5)).toThrow(RangeError)
    expect(() => moneyPerUnit(500n, Number.NaN)).toThrow(RangeError)
  })

  it('is within half a cent of the exact share', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 18n }), fc.integer({ min: 1, max: 1_000_000 }), (cents, count) => {
        const share = moneyPerUnit(cents, count) as bigint
        expect(abs(2n * (share * BigInt(count) - cents)) <= BigInt(count)).toBe(true)
      }),
    )
  })
})

describe('perTenThousand', () => {
  it('counts per 10,000.00 of spend', () => {
    expect(perTenThousand(120, 4000000n)).toBe(30)
    expect(perTenThousand(1, 3000000n)).toBe(0.33)
    expect(perTenThousand(3n, 1000000n)).toBe(3)
    expect(perTenThousand(0, 1000000n)).toBe(0)
  })

  it('is null when nothing was spent', () => {
    expect(perTenThousand(5, 0n)).toBeNull()
  })
})
