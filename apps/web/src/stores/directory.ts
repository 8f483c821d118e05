import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { api } from '../api/client.ts'
import { unwrap } from '../api/errors.ts'
import type { User } from '../api/types.ts'
import { t } from '../i18n/index.ts'
import { useSessionStore } from './session.ts'

/**
 * Who the owners are. Only admins may list users (users:manage), so for the other roles the
 * directory knows just the signed-in user; other owners show as "another user".
 */
export const useDirectoryStore = defineStore('directory', () => {
  const session = useSessionStore()
  const users = shallowRef<User[]>([])
  const loaded = ref(false)
  let loading: Promise<void> | null = null

  const canList = computed(() => session.can('users:manage'))

  function load(): Promise<void> {
    if (loaded.value || !canList.value) return Promise.resolve()
    loading ??= unwrap(api.GET('/api/v1/users', { params: { query: { limit: 500 } } }))
      .then((page) => {
        users.value = page.items
        loaded.value = true
      })
      .catch(() => undefined)
      .finally(() => {
        loading = null
      })
    return loading
  }

  const byId = computed(() => new Map(users.value.map((user) => [user.id, user])))

  /** The owner's name for a table cell. */
  function userName(id: string | null | undefined): string {
    if (!id) return t('entity.unassigned')
    if (id === session.user?.id) return session.user.name
    return byId.value.get(id)?.name ?? t('entity.otherUser')
  }

  /** Whom an owner picker offers: every active user for admins, yourself otherwise. */
  const ownerOptions = computed(() => {
    const me = session.user
    if (canList.value && users.value.length > 0) return users.value.filter((user) => user.active).map((user) => ({ id: user.id, name: user.name }))
    return me ? [{ id: me.id, name: me.name }] : []
  })

  return { users, loaded, canList, load, userName, ownerOptions }
})
