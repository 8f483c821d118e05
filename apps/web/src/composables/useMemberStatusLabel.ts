import { useI18n } from 'vue-i18n'

/**
 * The glossary's name of a member status (已邀约, 已报名 …, 已发送, 已点击 …), or null for a
 * status an administrator invented.
 */
export function useMemberStatusName(): (status: string) => string | null {
  const { t, te } = useI18n()
  return (status) => {
    const key = `memberStatus.${status.trim()}`
    return status.trim() && te(key) ? t(key as 'memberStatus.invited') : null
  }
}

/** A member status as shown: its glossary name, or the status itself when it has none. */
export function useMemberStatusLabel(): (status: string) => string {
  const name = useMemberStatusName()
  return (status) => name(status) ?? status
}
