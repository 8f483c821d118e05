import { beforeEach, describe, expect, it } from 'vitest'
import { i18n } from '../i18n/index.ts'
import { ApiError, errorMessage, fieldErrors, parseRetryAfter, unwrap } from './errors.ts'

const body = (status: number, code: string, details?: { field: string; message: string }[]) =>
  ({ statusCode: status, error: 'x', code, message: 'x', ...(details ? { details } : {}) })

describe('API errors', () => {
  beforeEach(() => {
    i18n.global.locale.value = 'zh-CN'
  })

  it('turns field problems into translated messages keyed by field', () => {
    const error = new ApiError(400, 'validation_failed', 'x', [
      { field: 'email', message: 'must match pattern "^[^\\s@]+@[^\\s@]+$"' },
      { field: 'name', message: 'is required' },
      { field: 'newPassword', message: 'must NOT have fewer than 8 characters' },
      { field: 'oldPassword', message: 'does not match your current password' },
    ])
    expect(fieldErrors(error)).toEqual({
      email: '请输入有效的邮箱地址',
      name: '必填',
      newPassword: '至少 8 个字符',
      oldPassword: '与当前密码不符',
    })
    i18n.global.locale.value = 'en'
    expect(fieldErrors(error).name).toBe('Required')
  })

  it('keeps the server\'s words for a problem it has no translation for', () => {
    const error = new ApiError(400, 'validation_failed', 'x', [{ field: 'budget', message: 'must be at most 2 decimals' }])
    expect(fieldErrors(error).budget).toBe('输入无效（must be at most 2 decimals）')
  })

  it('reads Retry-After as seconds or as a date', () => {
    expect(parseRetryAfter('900')).toBe(900)
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:10:00 GMT', Date.parse('2026-01-01T00:00:00Z'))).toBe(600)
    expect(parseRetryAfter(null)).toBeNull()
  })

  it('unwraps data, and throws an ApiError with status 0 when the server cannot be reached', async () => {
    const response = new Response('{}', { status: 200 })
    expect(await unwrap(Promise.resolve({ data: { ok: 1 }, response }))).toEqual({ ok: 1 })
    await expect(unwrap(Promise.reject(new TypeError('Failed to fetch')))).rejects.toMatchObject({ status: 0, isUnavailable: true })
  })

  it('says what went wrong in one sentence per kind of failure', async () => {
    const fail = (status: number, payload: unknown, headers: Record<string, string> = {}) =>
      unwrap(Promise.resolve({ error: payload, response: new Response(null, { status, headers }) })).catch((e: unknown) => e)
    expect(errorMessage(await fail(403, body(403, 'forbidden')))).toBe('您的角色无权执行此操作。')
    expect(errorMessage(await fail(502, '<html>Bad gateway</html>'))).toBe('服务暂时不可用，请稍后再试。')
    expect(errorMessage(await fail(500, { ...body(500, 'internal_error'), requestId: 'req-1' }))).toContain('req-1')
    expect(errorMessage(await fail(409, body(409, 'invalid_state')))).toBe('记录当前的状态不允许此操作。')
  })
})
