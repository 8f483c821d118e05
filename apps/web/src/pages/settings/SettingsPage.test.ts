import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { createMemoryHistory, createRouter, RouterView } from 'vue-router'
import { i18n } from '../../i18n/index.ts'
import SettingsPage from './SettingsPage.vue'

function logInAs(role: string) {
  localStorage.setItem('ys.session', JSON.stringify({
    accessToken: 'a', refreshToken: 'r',
    user: { id: 'u', email: 'x@y', name: 'X', role, active: true, locale: 'zh-CN', lastLoginAt: null, createdAt: '', updatedAt: '' },
  }))
}

async function tabsFor(role: string): Promise<string[]> {
  logInAs(role)
  const Empty = defineComponent({ render: () => h('div') })
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{
      path: '/settings', component: SettingsPage, children: [
        { path: 'profile', name: 'settings-profile', component: Empty },
        { path: 'users', name: 'settings-users', component: Empty },
        { path: 'api-tokens', name: 'settings-api-tokens', component: Empty },
        { path: 'attribution', name: 'settings-attribution', component: Empty },
        { path: 'member-flows', name: 'settings-member-flows', component: Empty },
      ],
    }],
  })
  await router.push('/settings/profile')
  const wrapper = mount({ render: () => h(RouterView) }, { global: { plugins: [createPinia(), i18n, router] } })
  await flushPromises()
  return wrapper.findAll('[role=tab]').map((tab) => tab.text())
}

describe('the settings page', () => {
  beforeEach(() => {
    localStorage.clear()
    i18n.global.locale.value = 'zh-CN'
  })

  it('offers users, API tokens, attribution and member status flows to admins', async () => {
    expect(await tabsFor('admin')).toEqual(['个人资料', '用户管理', 'API 令牌', '归因设置', '成员状态流程'])
  })

  it('offers only the profile to the other roles', async () => {
    for (const role of ['marketing', 'sales', 'viewer']) expect(await tabsFor(role)).toEqual(['个人资料'])
  })
})
