// The email that carries a one-time link: both bodies name the person, the link and its expiry; the HTML escapes.
import { describe, expect, it } from 'vitest';
import { escapeHtml, linkMessage } from '@/src/email/messages.ts';

const link = {
  name: 'Ada Lovelace',
  url: 'https://users.example.com/invite/abc123',
  purpose: 'invitation' as const,
  expiresAt: '2026-12-14T06:00:00.000Z',
};

describe('linkMessage', () => {
  it('names the person, the link and when it stops working, in the text and the HTML', () => {
    const { subject, text, html } = linkMessage(link);
    expect(subject).toBe('Set your password for Users');
    for (const body of [text, html]) {
      expect(body).toContain('Ada Lovelace');
      expect(body).toContain('https://users.example.com/invite/abc123');
      expect(body).toContain('until 14 December 2026 at 06:00 UTC');
    }
    expect(html).toContain('<a href="https://users.example.com/invite/abc123"');
  });

  it('words a reset as a reset, and says it signs the person out elsewhere', () => {
    const { subject, text } = linkMessage({ ...link, purpose: 'password_reset' });
    expect(subject).toBe('Reset your password for Users');
    expect(text).toContain('signs you out everywhere else');
    expect(text).toContain('If you did not ask for this');
  });

  it('escapes the name in the HTML, where it is markup, and keeps it as typed in the text', () => {
    const name = `<img src=x onerror="alert('hi')"> & Co`;
    const { text, html } = linkMessage({ ...link, name });
    expect(html).not.toContain('<img');
    expect(html).toContain('Hello &lt;img src=x onerror=&quot;alert(&#39;hi&#39;)&quot;&gt; &amp; Co,');
    expect(text).toContain(`Hello ${name},`);
  });

  it('escapes the link in its attribute', () => {
    const { html } = linkMessage({ ...link, url: 'https://users.example.com/invite/a"b<c' });
    expect(html).toContain('href="https://users.example.com/invite/a&quot;b&lt;c"');
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and quoted attributes', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });
});
