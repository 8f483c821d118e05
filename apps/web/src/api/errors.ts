import { t } from '../i18n/index.ts'
import type { components } from './schema'

export type ErrorBody = components['schemas']['Error']
export type FieldProblem = NonNullable<ErrorBody['details']>[number]

/** Any failed API call: a JSON error body from the server, another HTTP failure, or no answer at all (status 0). */
export class ApiError extends Error {
  override readonly name = 'ApiError'

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldProblem[] = [],
    readonly requestId: string | null = null,
    /** Seconds from Retry-After on a 429, when the server sent it. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message)
  }

  /** True when the server could not be reached or said it is down (the UI says "server down"). */
  get isUnavailable(): boolean {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504
  }

  static network(cause: unknown): ApiError {
    const error = new ApiError(0, 'network_error', cause instanceof Error ? cause.message : 'Network error')
    return Object.assign(error, { cause })
  }

  static fromResponse(response: Response, body: unknown): ApiError {
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'))
    const requestId = response.headers.get('x-request-id')
    if (isErrorBody(body)) {
      return new ApiError(response.status, body.code, body.message, body.details ?? [], body.requestId ?? requestId, retryAfter)
    }
    // Not our JSON: a proxy page or an empty body.
    const code = response.status >= 502 && response.status <= 504 ? 'service_unavailable' : response.status >= 500 ? 'internal_error' : 'http_error'
    return new ApiError(response.status, code, response.statusText || `HTTP ${response.status}`, [], requestId, retryAfter)
  }
}

export function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === 'object' && value !== null
    && typeof (value as ErrorBody).code === 'string' && typeof (value as ErrorBody).statusCode === 'number'
}

/** Retry-After as seconds: either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (!value) return null
  if (/^\d+$/.test(value.trim())) return Number(value.trim())
  const at = Date.parse(value)
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000))
}

interface FetchResult<T> {
  data?: T
  error?: unknown
  response: Response
}

/**
 * The data of a successful call, or an ApiError thrown: pages write
 * `const page = await unwrap(api.GET('/api/v1/users', …))` inside one try/catch.
 */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>
  try {
    result = await call
  } catch (error) {
    if (error instanceof ApiError) throw error
    if (error instanceof DOMException && error.name === 'AbortError') throw error
    throw ApiError.network(error)
  }
  if (!result.response.ok || result.error !== undefined) throw ApiError.fromResponse(result.response, result.error)
  return result.data as T
}

/** One sentence for a toast or an alert, in the UI language. */
export function errorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return t('errors.unexpected')
  if (error.status === 0) return t('errors.network')
  if (error.isUnavailable) return t('errors.serverDown')
  switch (error.code) {
    case 'validation_failed': return t('errors.validation')
    case 'invalid_reference': return t('errors.invalidReference')
    case 'unauthorized':
    case 'token_expired':
    case 'token_invalid': return t('login.sessionExpired')
    case 'forbidden': return t('errors.forbidden')
    case 'not_found':
    case 'route_not_found': return t('errors.notFound')
    case 'conflict': return t('errors.conflict')
    case 'invalid_state': return t('errors.invalidState')
    case 'too_many_requests': return t('errors.tooManyRequests')
    case 'payload_too_large': return t('errors.payloadTooLarge')
  }
  if (error.status >= 500) return error.requestId ? t('errors.unexpectedWithId', { id: error.requestId }) : t('errors.unexpected')
  return t('errors.unexpected')
}

/** The server's English field message in the UI language. */
export function fieldMessage(problem: FieldProblem): string {
  const message = problem.message
  let match: RegExpMatchArray | null
  if (message === 'is required') return t('fieldErrors.required')
  if (message === 'is already taken') return t('fieldErrors.taken')
  if ((match = message.match(/fewer than (\d+) characters/))) return t('fieldErrors.tooShort', { n: Number(match[1]) })
  if ((match = message.match(/more than (\d+) characters/))) return t('fieldErrors.tooLong', { n: Number(match[1]) })
  if (/^must match (pattern|format)/.test(message)) return /email/i.test(problem.field) || /"email"/.test(message) ? t('fieldErrors.email') : t('fieldErrors.format')
  if (message.startsWith('must be one of') || message.startsWith('must be equal to one of')) return t('fieldErrors.oneOf')
  if (message === 'must be in the future') return t('fieldErrors.future')
  if (message === 'does not match your current password') return t('fieldErrors.currentPasswordMismatch')
  if (message === 'must differ from the current one') return t('fieldErrors.mustDiffer')
  if (message === 'is not a known field') return t('fieldErrors.unknownField')
  if (/does not exist/.test(message)) return t('fieldErrors.notFound')
  return t('fieldErrors.invalid', { message })
}

/**
 * The error's field problems keyed by field, translated, for `<el-form-item :error>`.
 * A nested field (`address.city`) keeps its path; the first problem of a field wins.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {}
  const result: Record<string, string> = {}
  for (const problem of error.details) {
    if (!(problem.field in result)) result[problem.field] = fieldMessage(problem)
  }
  return result
}
