// Exploit-style checks of the Electron window policy (pure predicates; the shell itself needs the Electron binary).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WEB_PREFERENCES, appPathToRelativeFile, isAllowedNavigation, isTrustedSender } from '../../../electron/shell/window-policy.ts';

test('web preferences follow the security checklist', () => {
  assert.equal(WEB_PREFERENCES.contextIsolation, true);
  assert.equal(WEB_PREFERENCES.sandbox, true);
  assert.equal(WEB_PREFERENCES.nodeIntegration, false);
  assert.equal(WEB_PREFERENCES.nodeIntegrationInSubFrames, false);
  assert.equal(WEB_PREFERENCES.webSecurity, true);
  assert.equal(WEB_PREFERENCES.webviewTag, false);
  assert.equal(WEB_PREFERENCES.allowRunningInsecureContent, false);
});

test('IPC is answered only for the app origin, top-level frame', () => {
  assert.equal(isTrustedSender({ url: 'app://medbridge/index.html', isMainFrame: true }), true);
  assert.equal(isTrustedSender({ url: 'app://medbridge/index.html', isMainFrame: false }), false, 'iframe');
  assert.equal(isTrustedSender({ url: 'https://evil.example/', isMainFrame: true }), false);
  assert.equal(isTrustedSender({ url: 'file:///etc/passwd', isMainFrame: true }), false);
  assert.equal(isTrustedSender({ url: 'app://medbridge.evil/index.html', isMainFrame: true }), false);
  assert.equal(isTrustedSender({ url: 'app://evil@medbridge/', isMainFrame: true }), true, 'userinfo does not change the host');
  assert.equal(isTrustedSender({ url: 'not a url', isMainFrame: true }), false);
  assert.equal(isTrustedSender(null), false);
});

test('navigation outside the app origin is refused', () => {
  assert.equal(isAllowedNavigation('app://medbridge/#/diagnose'), true);
  assert.equal(isAllowedNavigation('https://example.org/'), false);
  assert.equal(isAllowedNavigation('javascript:alert(1)'), false);
  assert.equal(isAllowedNavigation('file:///'), false);
});

test('app:// paths cannot escape the renderer folder', () => {
  assert.equal(appPathToRelativeFile('app://medbridge/'), 'index.html');
  assert.equal(appPathToRelativeFile('app://medbridge/assets/index.js'), 'assets/index.js');
  // The URL parser resolves encoded dot-segments at the root, so this stays inside the renderer folder (→ 404).
  assert.equal(appPathToRelativeFile('app://medbridge/%2e%2e/%2e%2e/etc/passwd'), 'etc/passwd');
  assert.equal(appPathToRelativeFile('app://medbridge/assets/..%5c..%5csecret'), null);
  assert.equal(appPathToRelativeFile('app://medbridge/a%00b'), null);
  assert.equal(appPathToRelativeFile('app://other/index.html'), null);
});
