/**
 * Integer division rounded half away from zero, the rule of PostgreSQL's `round(numeric)`,
 * so a figure computed here equals the same figure computed in SQL.
 *
 * @example
 * ```ts
 * divRound(5n, 2n)   // 3n
 * divRound(-5n, 2n)  // -3n
 * divRound(4n, 3n)   // 1n
 * ```
 */
export function divRound(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('divRound: division by zero')
  const negative = numerator < 0n !== denominator < 0n
  const n = numerator < 0n ? -numerator : numerator
  const d = denominator < 0n ? -denominator : denominator
  const quotient = (2n * n + d) / (2n * d)
  return negative ? -quotient : quotient
}

/**
 * `numerator ÷ denominator` rounded half away from zero to `scale` decimals; `null` when the
 * denominator is zero (shown as "—").
 *
 * @example
 * ```ts
 * ratio(1n, 3n)     // 0.33
 * ratio(2n, 3n, 4)  // 0.6667
 * ratio(1n, 0n)     // null
 * ```
 */
export function ratio(numerator: bigint, denominator: bigint, scale = 2): number | null {
  if (!Number.isSafeInteger(scale) || scale < 0) throw new RangeError(`ratio: scale must be a non-negative integer, got ${scale}`)
  if (denominator === 0n) return null
  return scaledToNumber(divRound(numerator * 10n ** BigInt(scale), denominator), scale)
}

/**
 * `numerator ÷ denominator × 100`, rounded half away from zero to two decimals; `null` when the
 * denominator is zero.
 *
 * @example
 * ```ts
 * pct(4000000n, 10000000n) // 40
 * pct(1n, 3n)              // 33.33
 * pct(2n, 3n)              // 66.67
 * pct(-1n, 3n)             // -33.33
 * pct(1n, 0n)              // null
 * ```
 */
export function pct(numerator: bigint, denominator: bigint): number | null {
  return ratio(numerator * 100n, denominator, 2)
}

/**
 * Cents per unit (cost per lead, per opportunity, per won deal), rounded half-up to the cent;
 * `null` when the count is zero.
 *
 * @example
 * ```ts
 * moneyPerUnit(4000000n, 120) // 33333n  (40,000.00 ÷ 120 = 333.33)
 * moneyPerUnit(100n, 3n)      // 33n
 * moneyPerUnit(500n, 0)       // null
 * ```
 */
export function moneyPerUnit(cents: bigint, count: number | bigint): bigint | null {
  const units = toCount(count)
  return units === 0n ? null : divRound(cents, units)
}

/**
 * How many of something (leads, won customers) each 10,000.00 of spend brought, to two decimals;
 * `null` when nothing was spent.
 *
 * @example
 * ```ts
 * perTenThousand(120, 4000000n) // 30     (120 leads for 40,000.00)
 * perTenThousand(1, 3000000n)   // 0.33
 * perTenThousand(5, 0n)         // null
 * ```
 */
export function perTenThousand(count: number | bigint, costCents: bigint): number | null {
  return ratio(toCount(count) * 10_000_00n, costCents, 2)
}

function toCount(count: number | bigint): bigint {
  const value = typeof count === 'bigint' ? count : Number.isSafeInteger(count) ? BigInt(count) : -1n
  if (value < 0n) throw new RangeError(`expected a non-negative integer count, got ${count}`)
  return value
}

// Parsing the decimal string yields the double nearest the exact value, which dividing
// by a power of ten does not guarantee once the integer passes 2^53.
function scaledToNumber(scaled: bigint, scale: number): number {
  if (scale === 0) return Number(scaled)
  const sign = scaled < 0n ? '-' : ''
  const digits = String(scaled < 0n ? -scaled : scaled).padStart(scale + 1, '0')
  return Number(`${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`)
}
