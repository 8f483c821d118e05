import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { STATUS_CODES } from 'node:http'
import { DomainError, type ErrorBody, type ErrorCode, type FieldProblem } from '../errors.ts'
import { snakeToCamel } from '../lib/case.ts'

interface AjvError {
  instancePath: string
  keyword: string
  message?: string
  params: Record<string, unknown>
}

interface PgError {
  code: string
  detail?: string
  column?: string
  constraint?: string
  table?: string
}

/** One JSON error shape for every failure; 5xx bodies never carry internals. */
export default fp(async function errorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const body = toErrorBody(error, request)
    if (body.statusCode >= 500) {
      request.log.error({ err: error, reqId: request.id }, 'request failed')
    }
    const headers = error instanceof DomainError ? error.headers : undefined
    if (headers) void reply.headers(headers)
    return reply.status(body.statusCode).send(body)
  })

  app.setNotFoundHandler((request, reply) => {
    // Client-side routes of the SPA (history mode) get its index.html; /api stays JSON, and a
    // missing file (/assets/old-hash.js) stays a 404 rather than HTML the browser cannot run.
    const path = request.url.split('?')[0]!
    if (app.servesWeb && request.method === 'GET' && !path.startsWith('/api') && !/\.[a-z0-9]+$/i.test(path)) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html')
    }
    const body = errorBody(404, 'route_not_found', `Route ${request.method} ${request.url.split('?')[0]} does not exist`)
    return reply.status(404).send(body)
  })
}, { name: 'error-handler', dependencies: ['web'] })

export function errorBody(statusCode: number, code: ErrorCode, message: string, details?: FieldProblem[]): ErrorBody {
  return {
    statusCode,
    error: STATUS_CODES[statusCode] ?? 'Error',
    code,
    message,
    ...(details && details.length > 0 ? { details } : {}),
  }
}

function toErrorBody(error: FastifyError, request: FastifyRequest): ErrorBody {
  if (error instanceof DomainError) return errorBody(error.statusCode, error.code, error.message, error.details)

  if (error.validation) {
    const details = (error.validation as AjvError[]).map((e) => ajvProblem(e, error.validationContext))
    return errorBody(400, 'validation_failed', details.map((d) => `${d.field}: ${d.message}`).join('; '), details)
  }

  if (isPgError(error)) {
    const mapped = pgErrorBody(error)
    if (mapped) return mapped
  }

  const status = error.statusCode ?? 500
  if (status === 429) return errorBody(429, 'too_many_requests', error.message)
  if (status === 413) return errorBody(413, 'payload_too_large', 'The request body is larger than the server accepts')
  if (status === 415) return errorBody(415, 'unsupported_media_type', error.message)
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (status === 400 && error instanceof SyntaxError)) {
    return errorBody(400, 'validation_failed', 'The request body is not valid JSON', [{ field: 'body', message: 'not valid JSON' }])
  }
  if (status >= 400 && status < 500) return errorBody(status, status === 401 ? 'unauthorized' : status === 404 ? 'not_found' : 'validation_failed', error.message)
  if (isConnectionError(error)) {
    return { ...errorBody(503, 'service_unavailable', 'The database is unreachable; try again shortly'), requestId: String(request.id) }
  }
  return {
    ...errorBody(500, 'internal_error', `Something went wrong on the server; quote request id ${request.id} to your administrator`),
    requestId: String(request.id),
  }
}

function ajvProblem(e: AjvError, context: string | undefined): FieldProblem {
  const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.')
  let field = base
  let message = e.message ?? 'is invalid'
  if (e.keyword === 'required') {
    field = [base, String(e.params.missingProperty)].filter(Boolean).join('.')
    message = 'is required'
  } else if (e.keyword === 'additionalProperties') {
    field = [base, String(e.params.additionalProperty)].filter(Boolean).join('.')
    message = 'is not a known field'
  } else if (e.keyword === 'enum') {
    message = `must be one of ${(e.params.allowedValues as unknown[]).join(', ')}`
  }
  if (!field) field = context === 'body' ? 'body' : (context ?? 'request')
  return { field, message }
}

function isPgError(error: unknown): error is PgError {
  return typeof error === 'object' && error !== null && typeof (error as PgError).code === 'string' && /^[0-9A-Z]{5}$/.test((error as PgError).code)
}

function columnsFromDetail(detail: string | undefined): string[] {
  const match = detail?.match(/Key \((.+?)\)=/)
  if (!match?.[1]) return []
  // Expression indexes read like "lower(email::text)": keep the column names.
  return match[1].split(',').map((part) => {
    const ident = part.trim().match(/([a-z_][a-z0-9_]*)(?:::[a-z ]+)?\)*$/)
    return snakeToCamel(ident?.[1] ?? part.trim())
  })
}

function pgErrorBody(error: PgError): ErrorBody | null {
  switch (error.code) {
    case '23505': {
      const fields = columnsFromDetail(error.detail)
      const field = fields.at(-1) ?? 'id'
      return errorBody(409, 'conflict', `Another record already has this ${field}`, [{ field, message: 'is already taken' }])
    }
    case '23503': {
      if (error.detail?.includes('is still referenced')) {
        const table = error.detail.match(/from table "(.+?)"/)?.[1] ?? 'other records'
        return errorBody(409, 'conflict', `This record is still used by ${table.replace(/_/g, ' ')}`)
      }
      const field = columnsFromDetail(error.detail)[0] ?? 'id'
      return errorBody(400, 'invalid_reference', `${field} refers to a record that does not exist`, [{ field, message: 'does not exist' }])
    }
    case '23514':
    case '23502': {
      const field = error.column ? snakeToCamel(error.column) : (error.constraint ?? 'body')
      return errorBody(400, 'validation_failed', `${field} is not valid here`, [{ field, message: 'is not valid' }])
    }
    case '22P02':
    case '22003':
    case '22007':
    case '22008':
      return errorBody(400, 'validation_failed', 'A value has the wrong format or is out of range')
    case '40001':
    case '40P01':
      return errorBody(503, 'service_unavailable', 'The database was busy; retry the request')
    default:
      return null
  }
}

function isConnectionError(error: unknown): boolean {
  const { code = '', severity } = error as { code?: string; severity?: string }
  const message = (error as Error).message ?? ''
  // PostgreSQL ends the session with FATAL when it refuses or drops a connection (database not
  // accepting connections, too many clients, shutting down): the database is unreachable for now.
  if (severity === 'FATAL') return true
  return ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '08006', '08001', '08003'].includes(code) ||
    /Connection terminated|timeout exceeded when trying to connect/.test(message)
}

