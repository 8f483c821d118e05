import { invalidField } from '../errors.ts'

/** A required text field, trimmed; blank is a 400 naming the field. */
export function requiredText(field: string, value: string): string {
  const trimmed = value.trim()
  if (!trimmed) throw invalidField(field, 'must not be blank')
  return trimmed
}

/** An optional text field, trimmed, blank stored as null; undefined (not sent) stays undefined. */
export function optionalText(value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value
  const trimmed = value.trim()
  return trimmed === '' ? null : trimmed
}

/** Drops the keys whose value is undefined, so a patch only touches what was sent. */
export function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
