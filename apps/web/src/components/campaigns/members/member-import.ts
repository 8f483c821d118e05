export interface ImportResult {
  added: number
  alreadyMembers: number
}

/** The server adds at most this many people in one request (all or nothing). */
export const MAX_IMPORT = 10_000

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Pasted text (a spreadsheet column, a list) → the distinct ids in it and what is not an id.
 * Ids are separated by line breaks, commas, semicolons or spaces.
 *
 * @example parseIds('A…1, A…1\nfoo') // { ids: ['a…1'], invalid: ['foo'] }
 */
export function parseIds(text: string): { ids: string[]; invalid: string[] } {
  const parts = text.split(/[\s,;，；]+/).filter(Boolean)
  const ids = [...new Set(parts.filter((p) => UUID.test(p)).map((p) => p.toLowerCase()))]
  return { ids, invalid: parts.filter((p) => !UUID.test(p)) }
}
