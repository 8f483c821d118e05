import Type, { type TSchema } from 'typebox'

export const Uuid = Type.String({ format: 'uuid' })
export const IdParams = Type.Object({ id: Uuid })
export const Timestamp = Type.String({ format: 'date-time' })
export const NullableString = (options: Parameters<typeof Type.String>[0] = {}) =>
  Type.Union([Type.String(options), Type.Null()])

export const ErrorResponse = Type.Object(
  {
    statusCode: Type.Integer(),
    error: Type.String(),
    code: Type.String({ description: 'Stable machine-readable code, e.g. validation_failed, not_found, conflict' }),
    message: Type.String(),
    details: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
    requestId: Type.Optional(Type.String()),
  },
  { $id: 'Error', title: 'Error' },
)

const ErrorRef = Type.Ref('Error')

/** The error responses a route documents, by status code. */
export function errors(...codes: number[]): Record<number, TSchema> {
  return Object.fromEntries(codes.map((code) => [code, ErrorRef]))
}

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
}

export function Page<T extends TSchema>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    total: Type.Integer({ description: 'All records matching the filters, ignoring limit and offset' }),
    limit: Type.Integer(),
    offset: Type.Integer(),
  })
}

export const Password = Type.String({ minLength: 8, maxLength: 200 })
// Deliberately loose: intranet addresses such as admin@localhost have no dot in the domain.
export const Email = Type.String({ pattern: '^[^\\s@]+@[^\\s@]+$', maxLength: 254, description: 'An email address' })

/** The same schema with its own description, for a shared type used by fields that mean different things. */
export function described<T extends TSchema>(schema: T, description: string): T {
  return { ...schema, description }
}
