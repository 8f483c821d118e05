/** The closed set of error codes integrators can rely on (`code` in every error body). */
export type ErrorCode =
  | 'validation_failed'
  | 'invalid_credentials'
  | 'unauthorized'
  | 'token_expired'
  | 'token_invalid'
  | 'forbidden'
  | 'not_found'
  | 'route_not_found'
  | 'conflict'
  | 'invalid_reference'
  | 'invalid_state'
  | 'too_many_requests'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'service_unavailable'
  | 'internal_error'

export interface FieldProblem {
  field: string
  message: string
}

export interface ErrorBody {
  statusCode: number
  error: string
  code: ErrorCode
  message: string
  details?: FieldProblem[]
  requestId?: string
}

/** A failure the user can act on; the error handler turns it into the JSON error body. */
export class DomainError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldProblem[],
    readonly headers?: Record<string, string>,
  ) {
    super(message)
    this.name = 'DomainError'
  }
}

export const notFound = (entity: string, id: string): DomainError =>
  new DomainError(404, 'not_found', `${entity} ${id} does not exist`)

export const invalidField = (field: string, message: string): DomainError =>
  new DomainError(400, 'validation_failed', `${field}: ${message}`, [{ field, message }])

export const invalidState = (message: string, field?: string): DomainError =>
  new DomainError(409, 'invalid_state', message, field ? [{ field, message }] : undefined)

export const forbidden = (message = 'Your role may not do this'): DomainError =>
  new DomainError(403, 'forbidden', message)
