import { Button, InlineStack, Text } from '@shopify/polaris';
import { useState } from 'react';

/**
 * Opens a PDF of the app (label, invoice, slip, manifest). Fetched rather than linked: inside the
 * admin App Bridge adds the session token to the app's fetches, never to a plain link, so a link
 * opened in a new tab would arrive unauthenticated.
 */
export function PrintButton({ href, label, variant }: { href: string; label: string; variant?: 'primary' | 'secondary' }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const open = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await fetch(href, { headers: { Accept: 'application/pdf' } });
      if (!r.ok) throw new Error((await r.text()) || `HTTP ${r.status}`);
      const blob = await r.blob();
      window.open(URL.createObjectURL(blob), '_blank');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <InlineStack gap="100" blockAlign="center">
      <Button onClick={open} loading={busy} {...(variant ? { variant } : {})}>
        {label}
      </Button>
      {error ? (
        <Text as="span" tone="critical" variant="bodySm">
          {error}
        </Text>
      ) : null}
    </InlineStack>
  );
}

/**
 * Downloads a file of the app (a report's CSV) the same way: fetched with the session token App
 * Bridge adds, then saved under the name the server gave.
 */
export function DownloadButton({ href, label, filename }: { href: string; label: string; filename: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await fetch(href, { headers: { Accept: 'text/csv' } });
      if (!r.ok) throw new Error((await r.text()) || `HTTP ${r.status}`);
      const name = /filename="?([^";]+)"?/.exec(r.headers.get('content-disposition') ?? '')?.[1] ?? filename;
      const a = document.createElement('a');
      a.href = URL.createObjectURL(await r.blob());
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <InlineStack gap="100" blockAlign="center">
      <Button onClick={download} loading={busy}>
        {label}
      </Button>
      {error ? (
        <Text as="span" tone="critical" variant="bodySm">
          {error}
        </Text>
      ) : null}
    </InlineStack>
  );
}
