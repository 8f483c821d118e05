import Type from 'typebox'

export const SortOrder = Type.Union([Type.Literal('asc'), Type.Literal('desc')], {
  description: 'asc or desc; without sort the list is newest first',
})

/** A `sort` query parameter over the given fields. */
export const SortField = <const Values extends string[]>(fields: readonly [...Values]) =>
  Type.Enum(fields, { description: `One of ${fields.join(', ')}` })

/** An ILIKE pattern matching `q` anywhere, with LIKE's wildcards taken literally. */
export const containsPattern = (q: string): string => `%${q.trim().replace(/[\\%_]/g, '\\$&')}%`

/** The direction a list sorts in: newest first by default, ascending once a field is chosen. */
export const sortDirection = (sort: string | undefined, order: 'asc' | 'desc' | undefined): 'asc' | 'desc' =>
  order ?? (sort === undefined ? 'desc' : 'asc')
