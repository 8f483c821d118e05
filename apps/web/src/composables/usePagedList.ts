import { reactive, ref, shallowRef } from 'vue'
import { useRoute, useRouter, type LocationQuery } from 'vue-router'

export interface PageQuery {
  limit: number
  offset: number
  sort?: string
  order?: 'asc' | 'desc'
}

export interface PageResult<Item> {
  items: Item[]
  total: number
}

/** ElTable's sort-change payload. */
export interface TableSort {
  prop: string | null
  order: 'ascending' | 'descending' | null
}

const PAGE_SIZES = [20, 50, 100] as const

function firstString(value: LocationQuery[string] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value
  return typeof first === 'string' && first !== '' ? first : undefined
}

/**
 * A server-paged, filtered and sorted list whose state lives in the URL, so reload, back and a
 * shared link show the same page. `filters` are strings (empty means "any"); `fetch` turns
 * them into the typed query of its endpoint.
 */
export function usePagedList<Item, Filters extends Record<string, string>>(options: {
  filters: Filters
  fetch: (query: PageQuery & Partial<Filters>) => Promise<PageResult<Item>>
  pageSize?: number
  /** Keep the state in the URL (default true). */
  syncUrl?: boolean
}) {
  const route = useRoute()
  const router = useRouter()
  const syncUrl = options.syncUrl ?? true
  const defaults = { ...options.filters }

  const filters = reactive({ ...defaults }) as Filters
  const page = ref(1)
  const pageSize = ref(options.pageSize ?? 20)
  const sort = ref<{ prop: string; order: 'asc' | 'desc' } | null>(null)

  const items = shallowRef<Item[]>([])
  const total = ref(0)
  const loading = ref(false)
  const error = shallowRef<unknown>(null)
  const loaded = ref(false)

  if (syncUrl) {
    const q = route.query
    for (const key of Object.keys(defaults)) {
      const value = firstString(q[key])
      if (value !== undefined) (filters as Record<string, string>)[key] = value
    }
    page.value = Math.max(1, Number(firstString(q.page)) || 1)
    const size = Number(firstString(q.size))
    if ((PAGE_SIZES as readonly number[]).includes(size)) pageSize.value = size
    const sortBy = firstString(q.sort)
    if (sortBy) sort.value = { prop: sortBy, order: firstString(q.order) === 'desc' ? 'desc' : 'asc' }
  }

  let sequence = 0

  /** `silent`: refresh in place (a live update) without the loading overlay. */
  async function load(how: { silent?: boolean } = {}): Promise<void> {
    const mine = ++sequence
    if (!how.silent) loading.value = true
    error.value = null
    const query = { limit: pageSize.value, offset: (page.value - 1) * pageSize.value } as PageQuery & Partial<Filters>
    for (const [key, value] of Object.entries(filters)) if (value !== '') (query as Record<string, unknown>)[key] = value
    if (sort.value) Object.assign(query, { sort: sort.value.prop, order: sort.value.order })
    try {
      const result = await options.fetch(query)
      if (mine !== sequence) return // a newer request answers instead
      items.value = result.items
      total.value = result.total
      // Deleting the last row of the last page: step back to a page that exists.
      const last = Math.max(1, Math.ceil(result.total / pageSize.value))
      if (result.items.length === 0 && page.value > last) {
        page.value = last
        return load(how)
      }
      loaded.value = true
    } catch (cause) {
      if (mine === sequence) error.value = cause
    } finally {
      if (mine === sequence) loading.value = false
    }
    if (syncUrl) writeUrl()
  }

  function writeUrl(): void {
    const query: Record<string, string> = {}
    for (const [key, value] of Object.entries(filters)) if (value !== '' && value !== defaults[key]) query[key] = value
    if (page.value > 1) query.page = String(page.value)
    if (pageSize.value !== (options.pageSize ?? 20)) query.size = String(pageSize.value)
    if (sort.value) Object.assign(query, { sort: sort.value.prop, order: sort.value.order })
    const current = route.query
    const same = Object.keys(query).length === Object.keys(current).length
      && Object.entries(query).every(([key, value]) => firstString(current[key]) === value)
    if (!same) void router.replace({ query })
  }

  /** Filters changed: back to page 1. */
  function search(): Promise<void> {
    page.value = 1
    return load()
  }

  function resetFilters(): Promise<void> {
    Object.assign(filters, defaults)
    return search()
  }

  function onSortChange({ prop, order }: TableSort): void {
    sort.value = prop && order ? { prop, order: order === 'descending' ? 'desc' : 'asc' } : null
    void search()
  }

  function setPage(value: number): void {
    page.value = value
    void load()
  }

  function setPageSize(value: number): void {
    pageSize.value = value
    page.value = 1
    void load()
  }

  const hasFilters = () => Object.entries(filters).some(([key, value]) => value !== defaults[key])

  /** ElTable's default-sort for the sort read from the URL. */
  const defaultSort = sort.value ? { prop: sort.value.prop, order: sort.value.order === 'desc' ? 'descending' as const : 'ascending' as const } : undefined

  return { items, total, page, pageSize, pageSizes: [...PAGE_SIZES], filters, sort, loading, loaded, error, load, search, resetFilters, onSortChange, setPage, setPageSize, hasFilters, defaultSort }
}
