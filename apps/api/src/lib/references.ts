import { DomainError, type FieldProblem } from '../errors.ts'

/** A 400 for an id in the request that points at no record, naming the field. */
export const invalidReference = (field: string, message: string): DomainError =>
  new DomainError(400, 'invalid_reference', `${field}: ${message}`, [{ field, message }])

/** A 409 for a delete refused because other records still point at this one. */
export function stillReferenced(entity: string, references: Record<string, number>): DomainError | null {
  const used = Object.entries(references).filter(([, n]) => n > 0).map(([what, n]) => `${n} ${what}`)
  if (used.length === 0) return null
  return new DomainError(409, 'conflict', `This ${entity} is still used by ${used.join(', ')}; unlink or delete those first`)
}

const MAX_REPORTED_PROBLEMS = 20

/** A 400 for the bad references of a batch, all in one answer: the first twenty named, the rest counted. */
export function invalidReferences(problems: readonly FieldProblem[]): DomainError {
  const shown = problems.slice(0, MAX_REPORTED_PROBLEMS)
  const more = problems.length - shown.length
  return new DomainError(400, 'invalid_reference',
    `${shown.map((p) => `${p.field}: ${p.message}`).join('; ')}${more > 0 ? ` (and ${more} more)` : ''}`, shown)
}
