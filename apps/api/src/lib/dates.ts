const DAY_MS = 86_400_000

const dayNumber = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY_MS
const dateOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10)

/** Adds days to a calendar date. @example addDays('2026-03-01', -1) // '2026-02-28' */
export const addDays = (date: string, days: number): string => dateOf(dayNumber(date) + days)

/** Days from one date to another, both ends counted. @example daysInclusive('2026-01-01', '2026-01-31') // 31 */
export const daysInclusive = (from: string, to: string): number => dayNumber(to) - dayNumber(from) + 1

/** Today's date (YYYY-MM-DD) in a time zone: the company's day, not the server's. */
export function today(timeZone: string, now: Date = new Date()): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}
