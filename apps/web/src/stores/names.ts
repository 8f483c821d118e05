import { defineStore } from 'pinia'
import { reactive } from 'vue'
import { api } from '../api/client.ts'
import { unwrap } from '../api/errors.ts'

export type RecordKind = 'campaign' | 'account' | 'contact' | 'opportunity' | 'lead'

/** What a record is called in links: the name, or the number/code where it has one. */
export interface NamedRecord {
  id: string
  name: string
}

async function fetchName(kind: RecordKind, id: string): Promise<string | null> {
  const params = { params: { path: { id } } }
  try {
    switch (kind) {
      case 'campaign': return (await unwrap(api.GET('/api/v1/campaigns/{id}', params))).name
      case 'account': return (await unwrap(api.GET('/api/v1/accounts/{id}', params))).name
      case 'contact': return (await unwrap(api.GET('/api/v1/contacts/{id}', params))).name
      case 'opportunity': return (await unwrap(api.GET('/api/v1/opportunities/{id}', params))).name
      case 'lead': return (await unwrap(api.GET('/api/v1/leads/{id}', params))).name
    }
  } catch {
    return null
  }
}

/**
 * Names of related records by id, for tables that only carry ids (a lead's campaignId, an
 * order's accountId). Lists prime it; what is still unknown is fetched once per id.
 */
export const useNameStore = defineStore('names', () => {
  const names = reactive(new Map<string, string | null>())
  const pending = new Map<string, Promise<void>>()

  const key = (kind: RecordKind, id: string) => `${kind}:${id}`

  function remember(kind: RecordKind, records: readonly NamedRecord[]): void {
    for (const record of records) names.set(key(kind, record.id), record.name)
  }

  /** Fetches the names not known yet (at most a few requests at a time). */
  async function ensure(kind: RecordKind, ids: readonly (string | null | undefined)[]): Promise<void> {
    const missing = [...new Set(ids.filter((id): id is string => !!id && !names.has(key(kind, id))))]
    const queue = [...missing]
    const worker = async () => {
      for (let id = queue.shift(); id; id = queue.shift()) {
        const k = key(kind, id)
        if (!pending.has(k)) {
          pending.set(k, fetchName(kind, id).then((name) => {
            names.set(k, name)
            pending.delete(k)
          }))
        }
        await pending.get(k)
      }
    }
    await Promise.all(Array.from({ length: Math.min(6, queue.length) }, worker))
  }

  /** The name, undefined while unknown, null when the record is gone or not readable. */
  function name(kind: RecordKind, id: string | null | undefined): string | null | undefined {
    return id ? names.get(key(kind, id)) : null
  }

  function forget(kind: RecordKind, id: string): void {
    names.delete(key(kind, id))
  }

  return { remember, ensure, name, forget }
})
