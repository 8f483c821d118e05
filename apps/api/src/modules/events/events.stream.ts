import type { ServerResponse } from 'node:http'
import type { Permission } from '../../lib/permissions.ts'
import type { ChangeListener } from './events.listener.ts'
import { mayReceive } from './events.service.ts'

/** How long a browser's EventSource waits before reconnecting (fetch clients may use it too). */
export const RETRY_MS = 3_000
/** Proxies and load balancers close connections idle for a minute or so; a comment keeps this one busy. */
export const KEEP_ALIVE_MS = 15_000
/** A client this far behind is not reading: drop it; it reconnects and refetches. */
const MAX_BUFFERED_BYTES = 1024 * 1024

export interface EventStreamOptions {
  /** What the reader may read; only changes of those entities are sent. */
  permissions: ReadonlySet<Permission>
  listener: ChangeListener
  /** When the stream ends by itself (epoch ms): when the credential it was opened with expires. */
  endsAt: number
  keepAliveMs?: number
}

export interface EventStream {
  /** Ends the stream (the app is closing); the client reconnects elsewhere. */
  end(): void
  /** Resolves once the stream is over, for whatever reason. */
  readonly ended: Promise<void>
}

/** One SSE frame; data is JSON, so it never spans lines. */
export function sseFrame(fields: { id?: string; event?: string; data: unknown }): string {
  return `${fields.id ? `id: ${fields.id}\n` : ''}${fields.event ? `event: ${fields.event}\n` : ''}data: ${JSON.stringify(fields.data)}\n\n`
}

/**
 * Serves server-sent events on a response whose head is already written: a `ready` event, then
 * the changes the reader may see, `resync` when this process may have missed some, and a
 * keep-alive comment while nothing happens.
 */
export function openEventStream(res: ServerResponse, options: EventStreamOptions): EventStream {
  let finish!: () => void
  const ended = new Promise<void>((resolve) => {
    finish = resolve
  })

  const write = (chunk: string) => {
    if (res.writableEnded || res.destroyed) return
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      res.destroy()
      return
    }
    res.write(chunk)
  }

  const unsubscribe = options.listener.subscribe({
    change(event) {
      if (mayReceive(options.permissions, event)) write(sseFrame({ id: event.eventId, event: 'change', data: event }))
    },
    resync() {
      write(sseFrame({ event: 'resync', data: {} }))
    },
  })
  const keepAlive = setInterval(() => write(': keep-alive\n\n'), options.keepAliveMs ?? KEEP_ALIVE_MS)
  const expiry = setTimeout(() => res.end(), Math.max(0, options.endsAt - Date.now()))

  const cleanUp = () => {
    unsubscribe()
    clearInterval(keepAlive)
    clearTimeout(expiry)
    finish()
  }
  res.once('close', cleanUp)
  res.once('finish', cleanUp)

  write(`retry: ${RETRY_MS}\n\n`)
  write(sseFrame({ event: 'ready', data: { live: options.listener.listening } }))

  return {
    end() {
      if (!res.writableEnded) res.end()
      // Nothing may be listening for 'finish' on a response whose client is gone.
      cleanUp()
    },
    ended,
  }
}
