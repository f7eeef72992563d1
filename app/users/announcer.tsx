'use client';
// Says what a row's action did, from outside the rows: a deleted user's row, and its button, are gone by then.
import { createContext, useContext, useState, type ReactNode } from 'react';

const AnnounceContext = createContext<(message: string) => void>(() => {});

/** Reports an outcome in a polite live region above its children. */
export function useAnnounce(): (message: string) => void {
  return useContext(AnnounceContext);
}

export function Announcer({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState('');
  return (
    <AnnounceContext value={setMessage}>
      <p role="status" className="form-message announcement">
        {message}
      </p>
      {children}
    </AnnounceContext>
  );
}
