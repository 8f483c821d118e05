import { describe, expect, it } from 'vitest'
import type { Campaign } from '../../api/types.ts'
import { buildCampaignTree, type CampaignNode } from './campaign-tree.ts'

const campaign = (id: string, parentId: string | null = null) => ({ id, name: id, parentId }) as Campaign
const shape = (nodes: CampaignNode[]): unknown[] => nodes.map((n) => (n.children ? { [n.id]: shape(n.children) } : n.id))

describe('buildCampaignTree', () => {
  it('puts each campaign under its parent, keeping the given order among siblings', () => {
    const tree = buildCampaignTree([
      campaign('day2', 'expo'), campaign('expo'), campaign('webinar'), campaign('day1', 'expo'), campaign('hall-a', 'day1'),
    ])
    expect(shape(tree)).toEqual([{ expo: ['day2', { day1: ['hall-a'] }] }, 'webinar'])
  })

  it('gives no children to a campaign without sub-campaigns (no expand arrow)', () => {
    const [webinar] = buildCampaignTree([campaign('webinar')])
    expect(webinar).not.toHaveProperty('children')
  })

  it('shows a campaign whose parent the filters left out at the top', () => {
    expect(shape(buildCampaignTree([campaign('day1', 'expo'), campaign('other')]))).toEqual(['day1', 'other'])
  })

  it('cuts a parent chain that loops instead of losing or repeating campaigns', () => {
    const tree = buildCampaignTree([campaign('a', 'b'), campaign('b', 'a'), campaign('c', 'a'), campaign('self', 'self')])
    expect(shape(tree)).toEqual([{ a: ['c'] }, 'b', 'self'])
  })
})
