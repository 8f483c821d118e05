import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api } from '../api/client.ts'
import type { paths } from '../api/schema'

export type ChangeEvent = paths['/api/v1/events']['get']['responses'][200]['content']['text/event-stream']
export type FeedMessage = { kind: 'change'; event: ChangeEvent } | { kind: 'resync' }
type Listener = (message: FeedMessage) => void

export interface SseFrame {
  event: string
  data: string
}

/**
 * Splits what a Server-Sent Events stream has sent so far into complete frames and the
 * unfinished rest. Comments (`: keep-alive`) and `retry:` lines carry no event.
 */
export function parseFrames(buffer: string): { frames: SseFrame[]; rest: string } {
  const normalized = buffer.replace(/\r\n?/g, '\n')
  const parts = normalized.split('\n\n')
  const rest = parts.pop() ?? ''
  const frames: SseFrame[] = []
  for (const part of parts) {
    let event = 'message'
    const data: string[] = []
    for (const line of part.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim()
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''))
    }
    if (data.length > 0 || event !== 'message') frames.push({ event, data: data.join('\n') })
  }
  return { frames, rest }
}

const RECONNECT_MS = 3000

/**
 * One stream of the server's change events (GET /api/v1/events) for the whole app, so a win
 * or an order entered by anyone shows on screen without a reload. There is no replay: after
 * a reconnect, subscribers get `resync` and refetch what they show.
 */
export const useChangeFeedStore = defineStore('changes', () => {
  /** True while the server delivers changes; pages poll instead while it is false. */
  const live = ref(false)
  const listeners = new Set<Listener>()
  let controller: AbortController | null = null

  function emit(message: FeedMessage): void {
    for (const listener of listeners) {
      try {
        listener(message)
      } catch {
        // One page's handler failing does not stop the others.
      }
    }
  }

  async function follow(signal: AbortSignal): Promise<void> {
    let connectedBefore = false
    while (!signal.aborted) {
      try {
        // Through the typed client: its middleware sends the token and refreshes it on a 401.
        const { data, response } = await api.GET('/api/v1/events', { parseAs: 'stream', signal })
        if (response.ok && data) {
          const reader = data.pipeThrough(new TextDecoderStream()).getReader()
          let buffer = ''
          for (;;) {
            const { value, done } = await reader.read()
            if (done) break
            const { frames, rest } = parseFrames(buffer + value)
            buffer = rest
            for (const frame of frames) {
              if (frame.event === 'ready') {
                live.value = (JSON.parse(frame.data) as { live?: boolean }).live === true
                if (connectedBefore) emit({ kind: 'resync' })
                connectedBefore = true
              } else if (frame.event === 'resync') {
                emit({ kind: 'resync' })
              } else if (frame.event === 'change') {
                emit({ kind: 'change', event: JSON.parse(frame.data) as ChangeEvent })
              }
            }
          }
        } else if (response.status === 401 || response.status === 403) {
          break // the session is over; the layout starts a new feed after the next login
        }
      } catch {
        // Network gone or stream cut: reconnect below.
      }
      live.value = false
      if (signal.aborted) break
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS))
    }
    live.value = false
  }

  function start(): void {
    if (controller) return
    controller = new AbortController()
    void follow(controller.signal)
  }

  function stop(): void {
    controller?.abort()
    controller = null
    live.value = false
  }

  function subscribe(listener: Listener): () => void {
    listeners.add(listener)
    return () => listeners.delete(listener)
  }

  return { live, start, stop, subscribe }
})
