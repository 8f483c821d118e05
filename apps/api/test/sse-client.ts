/** One parsed server-sent event. */
export interface SseEvent {
  event: string
  id: string | null
  data: string
  retry: number | null
}

export interface SseClient {
  status: number
  headers: Headers
  /** Every event so far, in order. */
  events: SseEvent[]
  /** Comment lines so far (`: keep-alive`). */
  comments: string[]
  /** The first event so far or to come that matches, or a rejection after timeoutMs. */
  next(match: (event: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>
  /** Resolves when the server ends the stream. */
  closed: Promise<void>
  close(): void
}

/**
 * Reads an event stream the way a browser app should: fetch with an Authorization header and a
 * streaming body reader (EventSource cannot send the header).
 */
export async function openSse(url: string, token: string): Promise<SseClient> {
  const abort = new AbortController()
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: abort.signal })
  const events: SseEvent[] = []
  const comments: string[] = []
  const waiters = new Set<() => void>()
  const notify = () => {
    for (const waiter of [...waiters]) waiter()
  }

  const closed = (async () => {
    if (!res.body) return
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
    let buffer = ''
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) return
        buffer += value
        let end: number
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const event: SseEvent = { event: 'message', id: null, data: '', retry: null }
          const data: string[] = []
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim())
            const [, field, content = ''] = /^([^:]+):? ?(.*)$/.exec(line) ?? []
            if (field === 'event') event.event = content
            else if (field === 'id') event.id = content
            else if (field === 'data') data.push(content)
            else if (field === 'retry') event.retry = Number(content)
          }
          event.data = data.join('\n')
          if (data.length > 0 || event.retry !== null) events.push(event)
        }
        notify()
      }
    } catch {
      // Aborted by close().
    } finally {
      notify()
    }
  })()

  return {
    status: res.status,
    headers: res.headers,
    events,
    comments,
    closed,
    close: () => abort.abort(),
    next(match, timeoutMs = 2_000) {
      return new Promise((resolve, reject) => {
        let seen = 0
        const check = () => {
          for (; seen < events.length; seen++) {
            if (match(events[seen]!)) {
              cleanUp()
              resolve(events[seen]!)
              return
            }
          }
        }
        const timer = setTimeout(() => {
          cleanUp()
          reject(new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => `${e.event} ${e.data}`))}`))
        }, timeoutMs)
        const cleanUp = () => {
          clearTimeout(timer)
          waiters.delete(check)
        }
        waiters.add(check)
        check()
      })
    },
  }
}
