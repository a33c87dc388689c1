/// <reference lib="dom" />
// Page functions (page.evaluate, $eval) run in the browser: they are typed with the DOM.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

/**
 * A real Chromium for the viewer's tests and bench, driven by puppeteer-core: Debian's `chromium`
 * package (`.ci/run` installs it when missing), headless, WebGL through SwiftShader (no GPU here),
 * and every page's requests watched and kept to the loopback host.
 */

/** The installed Chromium: CHROMIUM_PATH, else Debian's binary, else `chromium` on the PATH. */
export function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  // Debian's /usr/bin/chromium is a shell wrapper around this binary.
  if (existsSync('/usr/lib/chromium/chromium')) return '/usr/lib/chromium/chromium';
  try {
    return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('no Chromium found: apt-get install -y chromium (as .ci/run does), or set CHROMIUM_PATH');
  }
}

export async function launchChromium(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      // Tests run as root in a container: Chromium's sandbox needs user namespaces it may not have.
      '--no-sandbox',
      // sigma draws with WebGL; without a GPU, SwiftShader renders it in software.
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--window-size=1280,900',
    ],
    defaultViewport: { width: 1280, height: 900 },
  });
}

/** A page in its own browser context (its own sessionStorage), with every request it made. */
export interface WatchedPage {
  page: Page;
  /** Every URL the page asked for, in order (data: URLs left out). */
  requests: string[];
  /** Requests refused because they were not for `allowedHost`. */
  blocked: string[];
  /** Console errors and uncaught exceptions (a CSP violation is one). */
  errors: string[];
  close(): Promise<void>;
}

export async function openWatchedPage(browser: Browser, allowedHost = '127.0.0.1'): Promise<WatchedPage> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  const requests: string[] = [];
  const blocked: string[] = [];
  const errors: string[] = [];
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:')) return void request.continue();
    requests.push(url);
    if (new URL(url).hostname !== allowedHost) {
      blocked.push(url);
      return void request.abort('blockedbyclient');
    }
    return void request.continue();
  });
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${response.url().split('#')[0]}`);
  });
  return { page, requests, blocked, errors, close: () => context.close() };
}

/**
 * How much of an element's screenshot is drawn: the distinct colours and the share of pixels that
 * are not the background (the top-left pixel), decoded by the browser itself on a blank page.
 */
export async function drawnPixels(browser: Browser, png: Uint8Array): Promise<{ colours: number; inked: number }> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(async (base64: string) => {
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      const { data } = context.getImageData(0, 0, image.width, image.height);
      const colours = new Set<number>();
      let inked = 0;
      const background = (data[0]! << 16) | (data[1]! << 8) | data[2]!;
      for (let i = 0; i < data.length; i += 4) {
        const colour = (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
        colours.add(colour);
        if (colour !== background) inked++;
      }
      return { colours: colours.size, inked: inked / (data.length / 4) };
    }, Buffer.from(png).toString('base64'));
  } finally {
    await page.close();
  }
}
