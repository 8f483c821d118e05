import { reactive, ref, watch, type WatchSource } from 'vue'
import { ApiError, fieldErrors } from '../api/errors.ts'
import { useFeedback } from './useFeedback.ts'

/**
 * A form's submit state and the server's field errors, shown at the field with
 * `<el-form-item :error="errors.email">`. Problems on fields the form does not show,
 * and every other failure, go to a toast.
 */
/** Pass `values` as a getter returning a copy, e.g. `() => ({ ...form })`. */
export function useServerForm<Field extends string>(fields: readonly Field[], values?: WatchSource<Record<Field, unknown>>) {
  const feedback = useFeedback()
  const errors = reactive({}) as Partial<Record<Field, string>>
  const submitting = ref(false)

  function clear(): void {
    for (const key of Object.keys(errors)) delete errors[key as Field]
  }

  /** Shows the error; returns true when at least one problem landed on a field of this form. */
  function show(error: unknown): boolean {
    clear()
    const byField = fieldErrors(error)
    const known = Object.entries(byField).filter(([field]) => (fields as readonly string[]).includes(field))
    for (const [field, message] of known) errors[field as Field] = message
    const unknown = Object.keys(byField).length - known.length
    if (known.length === 0 || unknown > 0 || !(error instanceof ApiError) || error.status !== 400) {
      // 409 conflicts also name the field, but say more than "check the fields".
      if (!(error instanceof ApiError && error.status === 409 && known.length > 0 && unknown === 0)) feedback.failure(error)
    }
    return known.length > 0
  }

  /** Runs the submit; resolves to its result, or undefined when it failed (already shown). */
  async function submit<T>(action: () => Promise<T>): Promise<T | undefined> {
    if (submitting.value) return undefined
    submitting.value = true
    clear()
    try {
      return await action()
    } catch (error) {
      show(error)
      return undefined
    } finally {
      submitting.value = false
    }
  }

  // An error stays until the user changes that field.
  if (values) {
    watch(values, (next, before) => {
      if (!before) return
      for (const field of fields) if (next[field] !== before[field]) delete errors[field]
    })
  }

  return { errors, submitting, submit, show, clear }
}
