import { DomainError } from '../errors.ts'

/** A 400 for an id in the request that points at no record, naming the field. */
export const invalidReference = (field: string, message: string): DomainError =>
  new DomainError(400, 'invalid_reference', `${field}: ${message}`, [{ field, message }])

/** A 409 for a delete refused because other records still point at this one. */
export function stillReferenced(entity: string, references: Record<string, number>): DomainError | null {
  const used = Object.entries(references).filter(([, n]) => n > 0).map(([what, n]) => `${n} ${what}`)
  if (used.length === 0) return null
  return new DomainError(409, 'conflict', `This ${entity} is still used by ${used.join(', ')}; unlink or delete those first`)
}
