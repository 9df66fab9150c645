import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newNonce } from '../../../src/core/ui/nonce.ts';
import { panelHtml } from '../../../src/core/ui/panelHtml.ts';

const opts = { cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce: newNonce(), scriptUri: 'https://x/media/dist/live.js', styleUri: 'https://x/media/panel.css', title: 'Live <fastclick> & "vpp"' };

describe('panelHtml', () => {
  it('sets a strict CSP: nothing by default, scripts only with the nonce, styles/images/fonts from the webview source', () => {
    const html = panelHtml(opts);
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
    assert.ok(meta);
    const csp = meta[1]!.replaceAll('&#39;', "'");
    const d = Object.fromEntries(csp.split('; ').map((x) => [x.split(' ')[0], x.split(' ').slice(1).join(' ')]));
    // Every directive, checked on its own (not against the builder that wrote them).
    assert.deepEqual(Object.keys(d).sort(), ['base-uri', 'default-src', 'font-src', 'form-action', 'img-src', 'script-src', 'style-src']);
    assert.equal(d['base-uri'], "'none'", 'no <base> can redirect relative URLs');
    assert.equal(d['form-action'], "'none'", 'no form can post anywhere');
    assert.equal(d['default-src'], "'none'");
    assert.equal(d['script-src'], `'nonce-${opts.nonce}'`);
    assert.equal(d['style-src'], opts.cspSource);
    assert.equal(d['img-src'], `${opts.cspSource} data:`);
    assert.equal(d['font-src'], opts.cspSource);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  });

  it('gives every script the nonce and escapes the title', () => {
    const html = panelHtml(opts);
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]!);
    assert.equal(scripts.length, 2);
    for (const s of scripts) assert.ok(s.includes(`nonce="${opts.nonce}"`), s);
    assert.ok(html.includes(`src="${opts.scriptUri}"`));
    assert.ok(html.includes(`<link rel="stylesheet" href="${opts.styleUri}">`));
    assert.ok(html.includes('<title>Live &lt;fastclick&gt; &amp; &quot;vpp&quot;</title>'));
    assert.ok(!html.includes('<fastclick>'));
    assert.ok(html.includes("addEventListener('securitypolicyviolation'"));
  });

  it('refuses a weak nonce or a CSP source that would open another directive', () => {
    assert.throws(() => panelHtml({ ...opts, nonce: 'abc' }), /nonce/);
    assert.throws(() => panelHtml({ ...opts, nonce: "abcdefghijklmnopq'; script-src *" }), /nonce/);
    assert.throws(() => panelHtml({ ...opts, cspSource: "https://x; script-src 'unsafe-inline'" }), /CSP source/);
    assert.notEqual(newNonce(), newNonce());
  });

  it('makes nonces of at least 128 random bits, in characters a CSP allows', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const n = newNonce();
      assert.match(n, /^[A-Za-z0-9_-]{22,}$/, n);
      seen.add(n);
    }
    assert.equal(seen.size, 200);
  });
});
