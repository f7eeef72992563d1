// `npx tsx scripts/favicon.ts`: draws app/favicon.ico (16, 32 and 48 px PNGs in one ICO) from the SVG below,
// rendered by Debian's Chromium, so the icon can be changed here rather than in a binary file.
import { writeFileSync } from 'node:fs';
import { launchBrowser } from '@/test/support/over-http/browser.ts';

const SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
  <rect width="32" height="32" rx="7" fill="#0b5cad"/>
  <circle cx="16" cy="12" r="5.5" fill="#fff"/>
  <path d="M6 27c0-6 4.5-9 10-9s10 3 10 9z" fill="#fff"/>
</svg>`;

const SIZES = [16, 32, 48];

/** An ICO file holding PNG images, as every browser since IE Vista-era reads it. */
function ico(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, index) => {
    const entry = 6 + 16 * index;
    header.writeUInt8(size % 256, entry);
    header.writeUInt8(size % 256, entry + 1);
    header.writeUInt16LE(1, entry + 4);
    header.writeUInt16LE(32, entry + 6);
    header.writeUInt32LE(png.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map(({ png }) => png)]);
}

const browser = await launchBrowser();
try {
  const images = [];
  for (const size of SIZES) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(
      `<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${SVG}`,
    );
    images.push({ size, png: await page.screenshot({ omitBackground: true, type: 'png' }) });
    await page.close();
  }
  writeFileSync('app/favicon.ico', ico(images));
  console.log(`app/favicon.ico: ${SIZES.join(', ')} px`);
} finally {
  await browser.close();
}
