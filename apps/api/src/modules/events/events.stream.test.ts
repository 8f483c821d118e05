import type { ServerResponse } from 'node:http'
import { EventEmitter } from 'node:events'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Permission } from '../../lib/permissions.ts'
import type { ChangeListener, ChangeSubscriber } from './events.listener.ts'
import type { ChangeEvent } from './events.service.ts'
import { KEEP_ALIVE_MS, openEventStream } from './events.stream.ts'

/** The parts of a response the stream uses, recording what is written. */
class FakeResponse extends EventEmitter {
  chunks: string[] = []
  writableEnded = false
  destroyed = false
  writableLength = 0
  write(chunk: string) {
    this.chunks.push(chunk)
    return true
  }
  end() {
    this.writableEnded = true
    this.emit('finish')
  }
  destroy() {
    this.destroyed = true
    this.emit('close')
  }
}

class FakeListener {
  subscribers = new Set<ChangeSubscriber>()
  listening = true
  subscribe(subscriber: ChangeSubscriber) {
    this.subscribers.add(subscriber)
    return () => this.subscribers.delete(subscriber)
  }
  send(event: Partial<ChangeEvent>) {
    const full: ChangeEvent = { eventId: 'e1', entity: 'order', id: 'o1', action: 'create', campaignIds: [], at: '1970-01-01T00:00:00.000Z', ...event }
    for (const s of this.subscribers) s.change(full)
  }
}

function open(permissions: Permission[] = ['orders:read'], endsInMs = 3_600_000) {
  const res = new FakeResponse()
  const listener = new FakeListener()
  const stream = openEventStream(res as unknown as ServerResponse, {
    permissions: new Set(permissions), listener: listener as unknown as ChangeListener, endsAt: Date.now() + endsInMs,
  })
  return { res, listener, stream }
}

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('openEventStream', () => {
  it('starts with the retry hint and a ready event saying whether changes will come', () => {
    const { res } = open()
    expect(res.chunks).toEqual(['retry: 3000\n\n', 'event: ready\ndata: {"live":true}\n\n'])
  })

  it('sends the changes the reader may read, with their id, and keeps the others back', () => {
    const { res, listener } = open(['orders:read'])
    res.chunks = []
    listener.send({ eventId: 'e-order', entity: 'order' })
    listener.send({ eventId: 'e-cost', entity: 'cost' })
    expect(res.chunks).toHaveLength(1)
    expect(res.chunks[0]).toMatch(/^id: e-order\nevent: change\ndata: \{.*"entity":"order".*\}\n\n$/)
  })

  it('passes a resync on', () => {
    const { res, listener } = open()
    for (const s of listener.subscribers) s.resync()
    expect(res.chunks.at(-1)).toBe('event: resync\ndata: {}\n\n')
  })

  it('writes a keep-alive comment every 15 seconds', () => {
    const { res } = open()
    res.chunks = []
    vi.advanceTimersByTime(KEEP_ALIVE_MS * 2)
    expect(res.chunks).toEqual([': keep-alive\n\n', ': keep-alive\n\n'])
  })

  it('ends when the credential expires, and lets go of the listener', async () => {
    const { res, listener, stream } = open(['orders:read'], 60_000)
    vi.advanceTimersByTime(60_000)
    expect(res.writableEnded).toBe(true)
    await stream.ended
    expect(listener.subscribers.size).toBe(0)
  })

  it('lets go of the listener and its timers when the client disconnects', async () => {
    const { res, listener, stream } = open()
    res.emit('close')
    await stream.ended
    expect(listener.subscribers.size).toBe(0)
    res.chunks = []
    vi.advanceTimersByTime(KEEP_ALIVE_MS * 3)
    expect(res.chunks).toEqual([])
  })

  it('drops a client that stopped reading instead of buffering for it without end', () => {
    const { res, listener } = open()
    res.writableLength = 2 * 1024 * 1024
    listener.send({})
    expect(res.destroyed).toBe(true)
    expect(listener.subscribers.size).toBe(0)
  })
})
