import { onBeforeUnmount, onMounted } from 'vue'
import { useChangeFeedStore, type ChangeEvent } from '../stores/changes.ts'

/**
 * Calls `refresh` (at most every `delayMs`) when a change event concerns this page, or when
 * the feed asks everyone to resync. While the feed is not live, it polls every `pollMs`.
 */
export function useLiveChanges(concerns: (event: ChangeEvent) => boolean, refresh: () => void, options: { delayMs?: number; pollMs?: number } = {}) {
  const feed = useChangeFeedStore()
  const delay = options.delayMs ?? 400
  let timer: ReturnType<typeof setTimeout> | undefined
  let poll: ReturnType<typeof setInterval> | undefined
  let unsubscribe: (() => void) | undefined

  // One action sends several events (a win: the opportunity and its order): refresh once.
  function schedule(): void {
    clearTimeout(timer)
    timer = setTimeout(refresh, delay)
  }

  onMounted(() => {
    unsubscribe = feed.subscribe((message) => {
      if (message.kind === 'resync' || concerns(message.event)) schedule()
    })
    if (options.pollMs) {
      poll = setInterval(() => {
        if (!feed.live && document.visibilityState === 'visible') refresh()
      }, options.pollMs)
    }
  })

  onBeforeUnmount(() => {
    unsubscribe?.()
    clearTimeout(timer)
    clearInterval(poll)
  })
}

/** Whether the event may have moved this campaign's figures. */
export const touchesCampaign = (campaignId: string) => (event: ChangeEvent) =>
  event.campaignIds === null || event.campaignIds.includes(campaignId) || (event.entity === 'campaign' && event.id === campaignId)
