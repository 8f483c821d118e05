import pg from 'pg'
import { CHANGE_CHANNEL, decodeChange, type ChangeEvent } from './events.service.ts'

/** Someone in this process who wants the changes: an open event stream. */
export interface ChangeSubscriber {
  change(event: ChangeEvent): void
  /** The connection was lost and is back: changes made in between were missed, so refetch. */
  resync(): void
}

export interface ChangeListenerLog {
  info(obj: object, message: string): void
  warn(obj: object, message: string): void
}

export interface ChangeListenerOptions {
  /** Where to connect: the app pool's settings. The listener holds its own connection, outside the pool. */
  connection: pg.ClientConfig
  log: ChangeListenerLog
  /** The first retry waits this long, each further one twice as long, up to maxDelayMs. */
  minDelayMs?: number
  maxDelayMs?: number
  /** How often the connection is checked, so that one dropped without a word is noticed. */
  checkIntervalMs?: number
}

const LISTEN = `LISTEN ${CHANGE_CHANNEL}`

/**
 * One dedicated connection per process LISTENing on the change channel, fanning each event out
 * to the subscribers in this process. It reconnects with backoff when the connection drops, and
 * then tells the subscribers to resync, since NOTIFYs sent meanwhile are lost.
 */
export class ChangeListener {
  private readonly subscribers = new Set<ChangeSubscriber>()
  private readonly minDelayMs: number
  private readonly maxDelayMs: number
  private readonly checkIntervalMs: number
  private client: pg.Client | null = null
  private connecting: Promise<void> | null = null
  private retryTimer: NodeJS.Timeout | null = null
  private checkTimer: NodeJS.Timeout | null = null
  private failures = 0
  private connectedBefore = false
  private stopped = true

  constructor(private readonly options: ChangeListenerOptions) {
    this.minDelayMs = options.minDelayMs ?? 500
    this.maxDelayMs = options.maxDelayMs ?? 30_000
    this.checkIntervalMs = options.checkIntervalMs ?? 30_000
  }

  /** True while the connection is up and LISTENing: events written anywhere reach this process. */
  get listening(): boolean {
    return this.client !== null
  }

  get subscriberCount(): number {
    return this.subscribers.size
  }

  /** Returns the unsubscribe function. */
  subscribe(subscriber: ChangeSubscriber): () => void {
    this.subscribers.add(subscriber)
    return () => this.subscribers.delete(subscriber)
  }

  /** Makes the first attempt and resolves after it, whether it worked or not: failures retry in the background. */
  async start(): Promise<void> {
    if (!this.stopped) return
    this.stopped = false
    await this.connect()
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.retryTimer) clearTimeout(this.retryTimer)
    if (this.checkTimer) clearInterval(this.checkTimer)
    this.retryTimer = null
    this.checkTimer = null
    await this.connecting
    const client = this.client
    this.client = null
    await client?.end().catch(() => {})
  }

  private connect(): Promise<void> {
    this.connecting = this.attempt().finally(() => {
      this.connecting = null
    })
    return this.connecting
  }

  private async attempt(): Promise<void> {
    const client = new pg.Client({ ...this.options.connection, keepAlive: true, application_name: 'yardstick-events' })
    client.on('notification', (message) => {
      if (message.channel === CHANGE_CHANNEL && message.payload) this.dispatch(message.payload)
    })
    client.on('error', (error) => this.lost(client, error))
    client.on('end', () => this.lost(client, null))
    try {
      await client.connect()
      await client.query(LISTEN)
    } catch (error) {
      await client.end().catch(() => {})
      this.retry(error)
      return
    }
    if (this.stopped) {
      await client.end().catch(() => {})
      return
    }
    this.client = client
    if (this.failures > 0 || this.connectedBefore) {
      this.options.log.info({ failures: this.failures }, 'live change events: listening again')
    }
    this.failures = 0
    if (this.connectedBefore) this.fanOut((subscriber) => subscriber.resync())
    this.connectedBefore = true
    // Re-LISTENing is a no-op that proves the connection still answers.
    this.checkTimer = setInterval(() => {
      client.query(LISTEN).catch((error: unknown) => this.lost(client, error))
    }, this.checkIntervalMs)
    this.checkTimer.unref()
  }

  private lost(client: pg.Client, error: unknown): void {
    if (client !== this.client) return
    this.client = null
    if (this.checkTimer) clearInterval(this.checkTimer)
    this.checkTimer = null
    client.end().catch(() => {})
    if (this.stopped) return
    this.options.log.warn({ err: error ?? undefined }, 'live change events: the LISTEN connection was lost; reconnecting')
    this.retry(null)
  }

  private retry(error: unknown): void {
    if (this.stopped) return
    const delay = Math.min(this.maxDelayMs, this.minDelayMs * 2 ** this.failures)
    this.failures += 1
    if (error && this.failures === 1) {
      this.options.log.warn(
        { err: error },
        'live change events are off: could not LISTEN on the database; clients get no live updates until it works (retrying)',
      )
    }
    // Jitter, so that processes cut off together do not all come back in the same instant.
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null
      void this.connect()
    }, delay * (0.8 + Math.random() * 0.4))
    this.retryTimer.unref()
  }

  private dispatch(payload: string): void {
    const event = decodeChange(payload)
    if (event) this.fanOut((subscriber) => subscriber.change(event))
  }

  private fanOut(deliver: (subscriber: ChangeSubscriber) => void): void {
    for (const subscriber of [...this.subscribers]) {
      try {
        deliver(subscriber)
      } catch (error) {
        // One broken stream must not keep the event from the others.
        this.options.log.warn({ err: error }, 'live change events: a subscriber failed')
      }
    }
  }
}
