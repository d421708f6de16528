// Renders images/icon.png (128×128, the Marketplace icon) from the SVG below with the harness chromium.
// Usage: npm run icon   (needs `bash scripts/vscode/install.sh` for chromium; playwright-core is a test dependency)
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchChromium } from './vscode/harness.mjs';

const out = resolve(import.meta.dirname, '../images/icon.png');

// A topology as a little atom: the nucleus (a service everyone depends on) and three services around it,
// joined by dependency edges, on an orbit.
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#1d3557"/>
      <stop offset="1" stop-color="#0f1b2d"/>
    </linearGradient>
    <radialGradient id="core" cx="0.4" cy="0.35" r="0.7">
      <stop offset="0" stop-color="#ffd27a"/>
      <stop offset="1" stop-color="#f08a24"/>
    </radialGradient>
  </defs>
  <rect x="4" y="4" width="120" height="120" rx="24" fill="url(#bg)"/>
  <ellipse cx="64" cy="64" rx="46" ry="20" fill="none" stroke="#5fa8d3" stroke-opacity="0.45" stroke-width="3"
           transform="rotate(-30 64 64)"/>
  <g stroke="#cfe8ff" stroke-width="4" stroke-linecap="round">
    <line x1="64" y1="64" x2="33" y2="36"/>
    <line x1="64" y1="64" x2="98" y2="44"/>
    <line x1="64" y1="64" x2="58" y2="100"/>
  </g>
  <circle cx="64" cy="64" r="17" fill="url(#core)"/>
  <g fill="#7fd1ff" stroke="#0f1b2d" stroke-width="3">
    <circle cx="33" cy="36" r="10"/>
    <circle cx="98" cy="44" r="10"/>
    <circle cx="58" cy="100" r="10"/>
  </g>
</svg>`;

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  mkdirSync(join(out, '..'), { recursive: true });
  await page.locator('svg').screenshot({ path: out, omitBackground: true });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}
