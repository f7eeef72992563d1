'use client';
// A one-time link the admin just issued, ready to copy and pass on: what it does for whom, and until when.
import { useId, useRef, useState } from 'react';
import type { InvitationLink } from '@/src/invitations/schema.ts';

export function IssuedLink({ link, name }: { link: InvitationLink; name: string }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'copied' | 'select' | undefined>();
  const invitation = link.purpose === 'invitation';
  const until = new Date(link.expiresAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

  async function copy() {
    try {
      await navigator.clipboard.writeText(link.url);
      setCopied('copied');
    } catch {
      // No clipboard (a page not served over HTTPS or localhost): leave the link selected to copy by hand.
      input.current?.select();
      setCopied('select');
    }
  }

  return (
    <div className="issued-link">
      <label htmlFor={id}>{invitation ? `Invitation link for ${name}` : `Password-reset link for ${name}`}</label>
      <div className="copy-row">
        <input id={id} ref={input} readOnly value={link.url} onFocus={(event) => event.currentTarget.select()} />
        <button type="button" className="button-secondary" onClick={copy}>
          Copy
        </button>
      </div>
      <p className="field-hint">
        {invitation
          ? `Send it to ${name}: it sets their password and signs them in. It works once, until ${until}.`
          : `Send it to ${name}: it sets a new password and signs them out everywhere else. It works once, until ${until}.`}{' '}
        Any earlier link for them no longer works.
      </p>
      <p aria-live="polite" className="form-message">
        {copied === 'copied' ? 'Copied.' : copied === 'select' ? 'Selected: copy it with Ctrl+C or ⌘C.' : ''}
      </p>
    </div>
  );
}
