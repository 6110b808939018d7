import type { Browser, Page } from 'playwright-core';
import { launchChromium, phoneContext } from './ui-support.ts';

/** What receiveStockOnPhone needs: where the core is, who logs in, and the one line to receive. */
export interface ReceiveOnPhoneInput {
  /** The core's base URL, e.g. http://127.0.0.1:3000 (no trailing slash). */
  coreUrl: string;
  /** A warehouse UI login whose role may receive stock (operator, warehouse, logistics or manager). */
  email: string;
  password: string;
  /** Needed only when this e-mail has logins in several tenants (the login asks for the workspace). */
  tenantId?: string;
  /** Needed only when the tenant has more than one warehouse (else its only warehouse is used). */
  warehouseId?: string;
  /** The bin's code in that warehouse, scanned first. */
  binCode: string;
  /** The item's barcode (scanned) or SKU (a code no product has as barcode is taken as the SKU). */
  item: string;
  quantity: number;
  /** The supplier's delivery note number, kept on the stock receipt. */
  reference?: string;
  /** Reuse a running Chromium; without it one is launched and closed. */
  browser?: Browser;
  /** Where to save a full-page PNG of the screen after the submit. */
  screenshotPath?: string;
}

export interface ReceiveOnPhoneResult {
  /** The stock receipt's id (as GET /api/v1/stock-receipts/{id} knows it). */
  receiptId: string;
  /** The blocked delivery notes this receipt released. */
  releasedDeliveryNoteIds: string[];
  /** The line the screen confirmed with, in the UI's language. */
  message: string;
}

/** What a keyboard-wedge scanner does: the code as a burst of keys and Enter, with no field focused. */
async function wedgeScan(page: Page, code: string): Promise<void> {
  const before = Number((await page.locator('html').getAttribute('data-tone-count')) ?? 0);
  // The burst is dispatched inside the page in one go, as a scanner types it (a few ms per key): keys
  // sent one by one from the test could arrive slower than a scanner on a loaded machine.
  await page.evaluate((c) => {
    (document.activeElement as HTMLElement | null)?.blur();
    for (const key of [...c, 'Enter']) document.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  }, code);
  await page.waitForSelector(`html[data-tone-count="${before + 1}"]`);
}

/**
 * Receives stock the way a warehouse worker does on the phone screen (/warehouse/receive) in real
 * Chromium: logs in, scans the bin, scans the item, types the quantity and submits. The screen posts
 * one stock receipt through flows/receive-stock.ts (the same as POST /api/v1/stock-receipts), which
 * releases the blocked delivery notes it covers. Throws with the screen's error when it refuses.
 */
export async function receiveStockOnPhone(input: ReceiveOnPhoneInput): Promise<ReceiveOnPhoneResult> {
  const own = input.browser ? null : await launchChromium();
  const browser = input.browser ?? own!.browser;
  const context = await phoneContext(browser);
  try {
    const page = await context.newPage();
    await page.goto(`${input.coreUrl}/warehouse/login?next=${encodeURIComponent('/warehouse/receive')}`);
    await page.fill('#email', input.email);
    await page.fill('#password', input.password);
    await page.click('button[type=submit]');
    await page.waitForLoadState('domcontentloaded');
    if (await page.locator('#tenant').count()) {
      if (!input.tenantId) throw new Error(`${input.email} has logins in several tenants: give tenantId`);
      await page.fill('#password', input.password);
      await page.selectOption('#tenant', input.tenantId);
      await page.click('button[type=submit]');
    }
    await page.waitForURL(`${input.coreUrl}/warehouse/receive`);
    if ((await page.locator('#receive-form').count()) === 0) throw new Error(`no receive form for ${input.email}: ${((await page.locator('main').textContent()) ?? '').trim()}`);
    if (input.warehouseId) {
      if (await page.locator('#warehouse').count()) await page.selectOption('#warehouse', input.warehouseId);
      else if ((await page.locator('input[name=warehouseId]').getAttribute('value')) !== input.warehouseId) throw new Error(`warehouse ${input.warehouseId} is not this tenant's`);
    }
    await wedgeScan(page, input.binCode);
    await wedgeScan(page, input.item);
    await page.fill('#quantity', String(input.quantity));
    if (input.reference) await page.fill('#reference', input.reference);
    await Promise.all([page.waitForLoadState('domcontentloaded'), page.click('#receive-submit')]);
    await page.waitForSelector('[data-receipt-id], #feedback[data-state="error"]');
    if (input.screenshotPath) await page.screenshot({ path: input.screenshotPath, fullPage: true });
    const message = ((await page.locator('#feedback').textContent()) ?? '').trim();
    const receipt = page.locator('[data-receipt-id]');
    if ((await receipt.count()) === 0) throw new Error(`the receive screen refused: ${message}`);
    const receiptId = (await receipt.getAttribute('data-receipt-id'))!;
    const releasedDeliveryNoteIds = await page.locator('[data-released-note]').evaluateAll((els) => els.map((e) => e.getAttribute('data-released-note')!));
    return { receiptId, releasedDeliveryNoteIds, message };
  } finally {
    await context.close();
    await own?.close();
  }
}
