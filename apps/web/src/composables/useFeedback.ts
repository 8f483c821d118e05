import { ElMessage, ElMessageBox } from 'element-plus'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import { useI18n } from 'vue-i18n'
import { errorMessage } from '../api/errors.ts'

/** Toasts and confirmations in the UI language (programmatic Element Plus calls do not see ElConfigProvider). */
export function useFeedback() {
  const { t } = useI18n()

  function success(message: string): void {
    ElMessage({ type: 'success', message, grouping: true })
  }

  function warn(message: string): void {
    ElMessage({ type: 'warning', message, grouping: true, duration: 5000, showClose: true })
  }

  function failure(error: unknown): void {
    ElMessage({ type: 'error', message: errorMessage(error), grouping: true, duration: 5000, showClose: true })
  }

  /** Resolves true when confirmed; Escape, the close button and Cancel resolve false. */
  async function confirm(options: { title: string; message: string; confirmText?: string; danger?: boolean }): Promise<boolean> {
    try {
      await ElMessageBox.confirm(options.message, options.title, {
        type: options.danger ? 'warning' : 'info',
        confirmButtonText: options.confirmText ?? t('common.confirm'),
        cancelButtonText: t('common.cancel'),
        confirmButtonType: options.danger ? 'danger' : 'primary',
        autofocus: true,
        closeOnClickModal: false,
      })
      return true
    } catch {
      return false
    }
  }

  return { success, warn, failure, confirm }
}
