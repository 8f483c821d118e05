import { flushPromises, mount } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import { usePagedList, type PageQuery } from './usePagedList.ts'

type Query = PageQuery & { q?: string; status?: string }

async function setup(url: string, answer: (query: Query) => { items: number[]; total: number }) {
  const fetch = vi.fn(async (query: Query) => answer(query))
  let list!: ReturnType<typeof usePagedList<number, { q: string; status: string }>>
  const Page = defineComponent({
    setup() {
      list = usePagedList({ filters: { q: '', status: '' }, fetch })
      void list.load()
      return () => h('div')
    },
  })
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/list', component: Page }] })
  await router.push(url)
  mount(Page, { global: { plugins: [router] } })
  await flushPromises()
  return { list, fetch, router }
}

describe('usePagedList', () => {
  it('starts from the filters, page and sort in the URL', async () => {
    const { fetch, list } = await setup('/list?status=active&page=3&sort=roi&order=desc', () => ({ items: [1], total: 100 }))
    expect(fetch).toHaveBeenCalledWith({ limit: 20, offset: 40, status: 'active', sort: 'roi', order: 'desc' })
    expect(list.defaultSort).toEqual({ prop: 'roi', order: 'descending' })
  })

  it('goes back to page 1 on a new search and writes the state to the URL', async () => {
    const { fetch, list, router } = await setup('/list?page=2', () => ({ items: [1], total: 100 }))
    list.filters.q = '展会'
    await list.search()
    await flushPromises()
    expect(fetch).toHaveBeenLastCalledWith({ limit: 20, offset: 0, q: '展会' })
    expect(router.currentRoute.value.query).toEqual({ q: '展会' })
  })

  it('turns a table sort into sort and order', async () => {
    const { fetch, list, router } = await setup('/list', () => ({ items: [1], total: 1 }))
    list.onSortChange({ prop: 'achievement', order: 'descending' })
    await flushPromises()
    expect(fetch).toHaveBeenLastCalledWith({ limit: 20, offset: 0, sort: 'achievement', order: 'desc' })
    expect(router.currentRoute.value.query).toEqual({ sort: 'achievement', order: 'desc' })
  })

  it('steps back to the last page when the current one emptied', async () => {
    const { fetch, list } = await setup('/list?page=5', (query) => (query.offset > 40 ? { items: [], total: 41 } : { items: [41], total: 41 }))
    expect(fetch).toHaveBeenLastCalledWith({ limit: 20, offset: 40 })
    expect(list.page.value).toBe(3)
  })

  it('does not loop when the server keeps answering an empty page', async () => {
    const { fetch, list } = await setup('/list?page=5', () => ({ items: [], total: 41 }))
    expect(fetch).toHaveBeenCalledTimes(2)
    expect(list.page.value).toBe(3)
  })

  it('keeps the error of a failed load for the error state', async () => {
    const { list } = await setup('/list', () => {
      throw new Error('down')
    })
    expect(list.error.value).toBeInstanceOf(Error)
    expect(list.loading.value).toBe(false)
  })
})
