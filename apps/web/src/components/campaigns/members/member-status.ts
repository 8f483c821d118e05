import { useI18n } from 'vue-i18n'
import type { paths } from '../../../api/schema'

export type MemberSummary = paths['/api/v1/campaigns/{id}/members/summary']['get']['responses'][200]['content']['application/json']
export type SummaryStatus = MemberSummary['statuses'][number]

/**
 * The statuses a member can be moved to, in funnel order. The summary lists the campaign type's
 * flow first (position set), then statuses members still hold that the flow no longer has.
 */
export function flowStatuses(summary: MemberSummary | null): SummaryStatus[] {
  return (summary?.statuses ?? []).filter((s) => s.position !== null).sort((a, b) => a.position! - b.position!)
}

/** The funnel's bars: the flow in order, then the statuses no longer in it (as the server lists them). */
export function funnelStatuses(summary: MemberSummary | null): SummaryStatus[] {
  return [...flowStatuses(summary), ...(summary?.statuses ?? []).filter((s) => s.position === null)]
}

/**
 * A member status's name: the glossary's for the standard ones (已邀约, 已报名 …), the raw
 * status for one an administrator invented.
 */
export function useMemberStatusLabel() {
  const { t, te } = useI18n()
  return (status: string): string => {
    if (te(`memberStatus.${status}`)) return t(`memberStatus.${status}` as 'memberStatus.invited')
    if (te(`members.statusNames.${status}`)) return t(`members.statusNames.${status}` as 'members.statusNames.sent')
    return status
  }
}
