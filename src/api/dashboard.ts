// The live dashboard (SPEC §5 `GET /dashboard`): plain HTML, CSS and JavaScript read from
// src/api/dashboard/ at startup and served from memory, plus the chart library uPlot read from its
// npm package (node_modules/uplot/dist). No build step and no external assets: the pages talk only
// to this API (/api/services, /api/services/:name/series, /events, /events/stream), so they are
// served with a Content-Security-Policy that allows nothing but their own origin.
// `/dashboard/services/<name>` is one service's page (service.html), the name read by its script.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router, type Response } from 'express';

/** The policy the page is served with: no inline script or style, no other origin, no framing. */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  body: Buffer;
  type: string;
}

const FILES: Record<string, string> = {
  'dashboard.html': 'text/html; charset=utf-8',
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
  'dom.js': 'text/javascript; charset=utf-8',
  'charts.js': 'text/javascript; charset=utf-8',
  'service.html': 'text/html; charset=utf-8',
  'service.js': 'text/javascript; charset=utf-8',
  'history.js': 'text/javascript; charset=utf-8',
};

/** The chart library's files, served under /dashboard/vendor/. */
const VENDOR: Record<string, string> = {
  'uPlot.esm.js': 'text/javascript; charset=utf-8',
  'uPlot.min.css': 'text/css; charset=utf-8',
};

/** node_modules/uplot/dist/, wherever npm put it (a dependency, so also in the runtime image). */
export function vendorDir(): string {
  const require = createRequire(import.meta.url);
  return `${dirname(require.resolve('uplot/package.json'))}/dist/`;
}


/**
 * The folder holding the page's files. Under tsx it sits beside this module; `tsc` copies no
 * non-TypeScript files, so the compiled dist/api/dashboard.js reads them from src/api/dashboard/.
 */
export function assetDir(): string {
  const candidates = [new URL('./dashboard/', import.meta.url), new URL('../../src/api/dashboard/', import.meta.url)].map((u) => fileURLToPath(u));
  const found = candidates.find((dir) => existsSync(`${dir}dashboard.html`));
  if (!found) throw new Error(`dashboard assets not found in ${candidates.join(' or ')}; reinstall DSR`);
  return found;
}

/** Reads the page's files once, so a request never touches the disk. */
function loadAssets(dir: string, files: Record<string, string>): Map<string, Asset> {
  return new Map(Object.entries(files).map(([name, type]) => [name, { body: readFileSync(`${dir}${name}`), type }]));
}

function send(res: Response, asset: Asset): void {
  res
    .status(200)
    .set({
      'Content-Type': asset.type,
      'Content-Security-Policy': DASHBOARD_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
      // Small files, and an upgraded DSR must never run a stale script against a newer API.
      'Cache-Control': 'no-cache',
    })
    .send(asset.body);
}

/** Routes GET /dashboard (the page), /dashboard/services/<name>, /dashboard/<file> and /dashboard/vendor/<file>. */
export function dashboardRouter(dir: string = assetDir(), vendor: string = vendorDir()): Router {
  const assets = loadAssets(dir, FILES);
  const vendored = loadAssets(vendor, VENDOR);
  const router = Router();
  router.get('/dashboard', (_req, res) => send(res, assets.get('dashboard.html')!));
  router.get('/dashboard/services/:name', (_req, res) => send(res, assets.get('service.html')!));
  router.get('/dashboard/vendor/:file', (req, res, next) => {
    const asset = vendored.get(req.params.file);
    if (asset) send(res, asset);
    else next();
  });
  router.get('/dashboard/:file', (req, res, next) => {
    const asset = req.params.file.endsWith('.html') ? undefined : assets.get(req.params.file);
    if (asset) send(res, asset);
    else next();
  });
  return router;
}
