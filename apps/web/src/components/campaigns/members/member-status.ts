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
