import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

/** Debian's Chromium (package `chromium`); a browser is never downloaded. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Where the tests keep their screenshots (gitignored). */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../test-artifacts/', import.meta.url));

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

export interface DashboardPage {
  page: Page;
  /** Console errors and warnings and uncaught exceptions, as they happened. */
  problems: string[];
  close(): Promise<void>;
}

/** Opens the dashboard in a fresh context (own sessionStorage), recording every console error or warning. */
export async function openDashboard(browser: Browser, url: string, options: BrowserContextOptions = {}): Promise<DashboardPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console.${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(url);
  await waitForLiveFeed(page);
  return { page, problems, close: () => context.close() };
}

/** Waits until the feed's stream is connected. */
export async function waitForLiveFeed(page: Page, timeout = 10_000): Promise<void> {
  await page.locator('[data-testid="stream-status"][data-status="live"]').waitFor({ timeout });
}

/** A number shown by the element with this data-testid. */
export async function shownNumber(page: Page, testId: string): Promise<number> {
  return Number((await page.getByTestId(testId).textContent())?.trim());
}

/** Saves a screenshot (the whole page, or what the viewport shows) under test-artifacts/ and returns its path. */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const path = `${ARTIFACTS_DIR}${name}.png`;
  // The header is sticky: from the top, a full-page picture shows it once, where it belongs.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: options.fullPage ?? true });
  return path;
}

const NAMED_ROLES = new Set(['button', 'link', 'textbox', 'searchbox', 'combobox', 'radio', 'checkbox', 'dialog', 'region', 'navigation', 'table', 'img']);

/** Controls and landmarks without an accessible name, as Chromium computes names (DevTools accessibility tree). */
export async function unnamedControls(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
      nodes: { ignored?: boolean; role?: { value?: unknown }; name?: { value?: unknown } }[];
    };
    return nodes
      .filter((node) => !node.ignored && NAMED_ROLES.has(String(node.role?.value)) && !String(node.name?.value ?? '').trim())
      .map((node) => String(node.role?.value));
  } finally {
    await cdp.detach();
  }
}
