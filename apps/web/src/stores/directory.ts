import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { api } from '../api/client.ts'
import { unwrap } from '../api/errors.ts'
import type { User } from '../api/types.ts'
import { t } from '../i18n/index.ts'
import { useSessionStore } from './session.ts'

/**
 * Who the owners are. Admins load the full user list (users:manage), which the owner pickers
 * offer; every other role loads the directory (names and roles only), so owners show by name.
 */
export const useDirectoryStore = defineStore('directory', () => {
  const session = useSessionStore()
  const users = shallowRef<User[]>([])
  const names = shallowRef(new Map<string, string>())
  const loaded = ref(false)
  let loading: Promise<void> | null = null

  const canList = computed(() => session.can('users:manage'))

  function load(): Promise<void> {
    if (loaded.value) return Promise.resolve()
    const everyone = canList.value
      ? unwrap(api.GET('/api/v1/users', { params: { query: { limit: 500 } } })).then((page) => {
        users.value = page.items
        return page.items
      })
      : unwrap(api.GET('/api/v1/users/directory')).then((directory) => directory.items)
    loading ??= everyone
      .then((items) => {
        names.value = new Map(items.map((user) => [user.id, user.name]))
        loaded.value = true
      })
      .catch(() => undefined)
      .finally(() => {
        loading = null
      })
    return loading
  }

  /** The owner's name for a table cell. */
  function userName(id: string | null | undefined): string {
    if (!id) return t('entity.unassigned')
    if (id === session.user?.id) return session.user.name
    return names.value.get(id) ?? t('entity.otherUser')
  }

  /** Whom an owner picker offers: every active user for admins, yourself otherwise. */
  const ownerOptions = computed(() => {
    const me = session.user
    if (canList.value && users.value.length > 0) return users.value.filter((user) => user.active).map((user) => ({ id: user.id, name: user.name }))
    return me ? [{ id: me.id, name: me.name }] : []
  })

  return { users, loaded, canList, load, userName, ownerOptions }
})
