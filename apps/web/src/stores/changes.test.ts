import { describe, expect, it } from 'vitest'
import { parseFrames } from './changes.ts'

describe('parseFrames', () => {
  it('reads complete frames and keeps the unfinished rest for the next chunk', () => {
    const chunk = 'retry: 3000\n\nevent: ready\ndata: {"live":true}\n\n: keep-alive\n\nid: 1\nevent: change\ndata: {"entity":"order"'
    const first = parseFrames(chunk)
    expect(first.frames).toEqual([{ event: 'ready', data: '{"live":true}' }])
    const second = parseFrames(`${first.rest},"campaignIds":["c1"]}\n\n`)
    expect(second.frames).toEqual([{ event: 'change', data: '{"entity":"order","campaignIds":["c1"]}' }])
    expect(second.rest).toBe('')
  })

  it('joins multi-line data and accepts CRLF line ends', () => {
    expect(parseFrames('event: change\r\ndata: a\r\ndata: b\r\n\r\n').frames).toEqual([{ event: 'change', data: 'a\nb' }])
  })

  it('passes a data-less resync', () => {
    expect(parseFrames('event: resync\n\n').frames).toEqual([{ event: 'resync', data: '' }])
  })
})
