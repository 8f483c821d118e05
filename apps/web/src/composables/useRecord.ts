import { ref, shallowRef } from 'vue'

/** One record a detail page shows: loaded once, reloaded after edits, with its error kept for the error state. */
export function useRecord<T>(fetch: () => Promise<T>) {
  const record = shallowRef<T | null>(null)
  const loading = ref(true)
  const error = shallowRef<unknown>(null)

  async function load(): Promise<void> {
    loading.value = true
    error.value = null
    try {
      record.value = await fetch()
    } catch (cause) {
      error.value = cause
    } finally {
      loading.value = false
    }
  }

  /** Reloads without the loading state (figures refresh in place). */
  async function refresh(): Promise<void> {
    try {
      record.value = await fetch()
    } catch {
      // Keep what is on screen; the next refresh may succeed.
    }
  }

  void load()
  return { record, loading, error, load, refresh }
}
