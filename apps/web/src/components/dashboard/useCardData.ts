import { ref, shallowRef } from 'vue'

/**
 * One dashboard card's answer, with its own loading and error state, so a slow or failing
 * figure does not hold the others back. Only the latest request counts.
 */
export function useCardData<T>(fetch: () => Promise<T>) {
  const data = shallowRef<T | null>(null)
  const loading = ref(false)
  const error = shallowRef<unknown>(null)
  let sequence = 0

  /**
   * `silent`: a live refresh. The figures change in place without a loading mask, and a
   * failure keeps what is on screen (the next change or poll tries again).
   */
  async function load(how: { silent?: boolean } = {}): Promise<void> {
    const mine = ++sequence
    if (!how.silent) loading.value = true
    try {
      const answer = await fetch()
      if (mine !== sequence) return
      data.value = answer
      error.value = null
    } catch (cause) {
      // After new filters, the old figures would answer another question: show the error instead.
      if (mine === sequence && !how.silent) {
        data.value = null
        error.value = cause
      }
    } finally {
      if (mine === sequence) loading.value = false
    }
  }

  return { data, loading, error, load }
}

export type CardData<T> = ReturnType<typeof useCardData<T>>
