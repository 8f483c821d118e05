import type { Campaign } from '../../api/types.ts'

/** A campaign with its sub-campaigns, as ElTable's tree rows expect them (`children` only when there are some). */
export type CampaignNode = Campaign & { children?: CampaignNode[] }

/**
 * The campaigns as a forest: each under its parent, in the order given (the server's sort), so
 * siblings keep that order. A campaign whose parent is not among them (no parent, or a parent
 * the filters left out) is a root. A parent chain that loops is cut where it closes.
 *
 * @example
 * buildCampaignTree([expo, expoDay1, webinar]) // [{ ...expo, children: [expoDay1] }, webinar]
 */
export function buildCampaignTree(campaigns: readonly Campaign[]): CampaignNode[] {
  const nodes = new Map<string, CampaignNode>(campaigns.map((c) => [c.id, { ...c }]))
  const childrenOf = new Map<string, CampaignNode[]>()
  const roots: CampaignNode[] = []
  for (const campaign of campaigns) {
    const node = nodes.get(campaign.id)!
    if (campaign.parentId && campaign.parentId !== campaign.id && nodes.has(campaign.parentId) && !loops(campaign, nodes)) {
      const siblings = childrenOf.get(campaign.parentId) ?? []
      siblings.push(node)
      childrenOf.set(campaign.parentId, siblings)
    } else {
      roots.push(node)
    }
  }
  for (const [id, children] of childrenOf) nodes.get(id)!.children = children
  return roots
}

/** Whether following parents from the campaign comes back to it (bad data the API's checks should prevent). */
function loops(campaign: Campaign, nodes: ReadonlyMap<string, Campaign>): boolean {
  const seen = new Set<string>([campaign.id])
  for (let parent = campaign.parentId; parent; parent = nodes.get(parent)?.parentId ?? null) {
    // A loop further up, not through this campaign: it still hangs under its parent.
    if (seen.has(parent)) return parent === campaign.id
    seen.add(parent)
  }
  return false
}
