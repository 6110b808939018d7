import { readFileSync } from 'node:fs';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';

/** The fake stores' self-signed certificate for 127.0.0.1 (test/fixtures/tls/README.md). */
export const TEST_TLS = {
  key: readFileSync(new URL('../fixtures/tls/fake-store.key', import.meta.url), 'utf8'),
  cert: readFileSync(new URL('../fixtures/tls/fake-store.crt', import.meta.url), 'utf8'),
};

/**
 * Makes this test process trust TEST_TLS besides the usual roots, so the core's own fetch (the
 * real WooCommerce client, no test hook) reaches an https fake store as it would a real one.
 */
export function trustTestCertificate(): void {
  const current = getCACertificates('default');
  if (!current.includes(TEST_TLS.cert)) setDefaultCACertificates([...current, TEST_TLS.cert]);
}
