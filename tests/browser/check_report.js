#!/usr/bin/env node
// Real-browser test of a civicgrid HTML report: headless Chromium (Debian's /usr/bin/chromium, driven by the
// pinned playwright-core of package.json, whose 1.61 line is the last to run on Debian 12's Node.js 18; keep
// this file to what Node 18 has) opens the file and checks that
//   - the page logs no console error and throws no exception, and opens no dialog (alert());
//   - no request leaves the page: the only request is the report file itself;
//   - every chart container (.chart) holds a non-empty <svg> of non-zero size, and the page script reports
//     as many charts as there are containers (at least --min-charts);
//   - optionally, --expect-text TEXT appears literally in the scenario line of the header (escaping);
//   - optionally, every --expect-id ID (repeatable) names an element that is laid out (non-zero size), so a
//     section the report promises is really on the page;
//   - optionally, the two-page brief: the A4 PDF's first two pages (text by poppler's pdftotext) hold the heading
//     and sub-headings of every --brief-id section (repeatable) and every headline card's name and value; the
//     --appendix-id section's heading is not on them but starts page 3.
// It saves a full-page screenshot, one screenshot per chart, an A4 PDF of the print layout and the console log
// under OUT_DIR.
//
// usage: node tests/browser/check_report.js REPORT.html|RESULT_DIR OUT_DIR [--min-charts N] [--expect-text TEXT]
//                                           [--expect-id ID]... [--brief-id ID]... [--appendix-id ID]
// env:   CHROMIUM=/path/to/chromium (default /usr/bin/chromium)
// exit:  0 all checks pass, 1 a check failed, 2 usage or set-up problem
'use strict';

const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');
const { execFileSync } = require('child_process');

function usage(message) {
  if (message) console.error('check_report: ' + message);
  console.error('usage: node check_report.js REPORT.html|RESULT_DIR OUT_DIR [--min-charts N] [--expect-text TEXT] [--expect-id ID]...');
  process.exit(2);
}

const positional = [];
let minCharts = 1;
let expectText = null;
const expectIds = [];
const briefIds = [];
let appendixId = null;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--min-charts') minCharts = Number(argv[++i]);
  else if (argv[i] === '--expect-text') expectText = argv[++i];
  else if (argv[i] === '--expect-id') expectIds.push(argv[++i]);
  else if (argv[i] === '--brief-id') briefIds.push(argv[++i]);
  else if (argv[i] === '--appendix-id') appendixId = argv[++i];
  else positional.push(argv[i]);
}
if (positional.length !== 2 || !Number.isInteger(minCharts) || (expectText !== null && expectText === undefined) ||
    expectIds.includes(undefined) || briefIds.includes(undefined) || appendixId === undefined) usage();
let reportPath = path.resolve(positional[0]);
if (fs.existsSync(reportPath) && fs.statSync(reportPath).isDirectory()) reportPath = path.join(reportPath, 'report.html');
if (!fs.existsSync(reportPath)) usage(reportPath + ' does not exist');
const outDir = path.resolve(positional[1]);
fs.mkdirSync(outDir, { recursive: true });

let chromium;
try {
  ({ chromium } = require('playwright-core'));
} catch (error) {
  usage('playwright-core is not installed: run `npm ci` in the repository root (' + error.message + ')');
}
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
if (!fs.existsSync(executablePath)) usage(executablePath + ' not found: apt-get install -y chromium (or set CHROMIUM)');

(async () => {
  const failures = [];
  const log = [];
  const reportUrl = pathToFileURL(reportPath).href;
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
           '--disable-sync', '--no-first-run', '--disable-default-apps', '--disable-extensions'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1000, height: 1300 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    page.on('console', (message) => {
      log.push('[' + message.type() + '] ' + message.text());
      if (message.type() === 'error') failures.push('console error: ' + message.text());
    });
    page.on('pageerror', (error) => failures.push('uncaught exception: ' + error.message));
    page.on('dialog', async (dialog) => {
      failures.push('a dialog opened (' + dialog.type() + ': ' + dialog.message() + '): script injection?');
      await dialog.dismiss();
    });
    const requests = [];
    page.on('request', (request) => {
      requests.push(request.url());
      log.push('[request] ' + request.url());
    });

    await page.goto(reportUrl, { waitUntil: 'load' });
    await page.waitForFunction(() => document.documentElement.hasAttribute('data-charts-ready'), null, { timeout: 20000 })
      .catch(() => failures.push('the page script never reported its charts (data-charts-ready missing)'));
    await page.evaluate(() => document.fonts.ready);

    const foreign = requests.filter((url) => url !== reportUrl);
    if (foreign.length) failures.push('requests other than the report itself: ' + foreign.join(', '));
    if (!requests.includes(reportUrl)) failures.push('the report file itself was not requested? ' + requests.join(', '));

    const charts = await page.evaluate(() => Array.from(document.querySelectorAll('.chart')).map((element) => {
      const svg = element.querySelector('svg');
      const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
      return {
        id: element.id,
        svg: !!svg,
        width: box.width,
        height: box.height,
        shapes: svg ? svg.querySelectorAll('path, rect, line, polyline, polygon, circle').length : 0,
        texts: svg ? svg.querySelectorAll('text').length : 0,
      };
    }));
    const ready = Number(await page.evaluate(() => document.documentElement.getAttribute('data-charts-ready')));
    if (charts.length < minCharts) failures.push('expected at least ' + minCharts + ' charts, found ' + charts.length);
    if (ready !== charts.length) failures.push('the script drew ' + ready + ' charts for ' + charts.length + ' containers');
    for (const chart of charts) {
      if (!chart.svg) failures.push(chart.id + ': no <svg> (renderer must be svg)');
      else if (chart.width < 50 || chart.height < 50) failures.push(chart.id + ': <svg> is ' + chart.width + 'x' + chart.height);
      else if (chart.shapes < 5 || chart.texts < 2) failures.push(chart.id + ': <svg> is nearly empty (' + chart.shapes + ' shapes, ' + chart.texts + ' texts)');
    }
    const canvases = await page.evaluate(() => document.querySelectorAll('.chart canvas').length);
    if (canvases) failures.push(canvases + ' <canvas> elements in charts: every chart must use the SVG renderer');

    // Hover over every chart (tooltips are HTML built from scenario strings), then look for injected markup:
    // the report has no <img> and no inline event handler anywhere.
    for (const chart of charts) {
      const box = await page.locator('#' + chart.id).boundingBox();
      if (!box) continue;
      for (let i = 1; i < 8; i++) {
        for (let j = 1; j < 6; j++) {
          await page.mouse.move(box.x + box.width * i / 8, box.y + box.height * j / 6);
        }
      }
    }
    await page.mouse.move(0, 0);
    const injected = await page.evaluate(() => {
      const found = [];
      for (const element of document.querySelectorAll('*')) {
        if (element.tagName === 'IMG') found.push('<img>');
        for (const attribute of element.attributes)
          if (/^on/i.test(attribute.name)) found.push('<' + element.tagName.toLowerCase() + ' ' + attribute.name + '>');
      }
      return found;
    });
    if (injected.length) failures.push('injected markup in the page: ' + injected.join(', '));

    if (expectText !== null) {
      const shown = await page.evaluate(() => {
        const line = document.querySelector('.masthead .scenario');
        return line ? line.textContent : '';
      });
      if (!shown.includes(expectText)) failures.push('header shows ' + JSON.stringify(shown) + ', not the literal text ' + JSON.stringify(expectText));
    }

    for (const id of expectIds) {
      const size = await page.evaluate((want) => {
        const element = document.getElementById(want);
        if (!element) return null;
        const box = element.getBoundingClientRect();
        return { width: box.width, height: box.height };
      }, id);
      if (!size) failures.push('no element with id ' + JSON.stringify(id));
      else if (size.width < 1 || size.height < 1) failures.push('#' + id + ' is not laid out (' + size.width + 'x' + size.height + ')');
    }
    // The sheet must not be wider than the page (a wide table spilling over its right edge).
    const overflow = await page.evaluate(() => {
      const sheet = document.querySelector('main.report');
      return sheet ? sheet.scrollWidth - sheet.clientWidth : 0;
    });
    if (overflow > 1) failures.push('the content is ' + overflow + ' px wider than the sheet');

    await page.screenshot({ path: path.join(outDir, 'report.png'), fullPage: true });
    for (const chart of charts) {
      if (chart.svg) await page.locator('#' + chart.id).screenshot({ path: path.join(outDir, chart.id + '.png') });
    }
    // What the brief promises, read from the page while it is still on screen: headings and the cards' text.
    const brief = await page.evaluate(([ids, appendix]) => {
      const clean = (node) => (node ? node.textContent : '');
      const sections = ids.map((id) => {
        const section = document.getElementById(id);
        if (!section) return { id, missing: true, texts: [] };
        const texts = Array.from(section.querySelectorAll('h2, h3')).map(clean);
        for (const card of section.querySelectorAll('.card')) {
          texts.push(clean(card.querySelector('.name')).replace(/\s*\*$/, ''), clean(card.querySelector('.value')));
        }
        return { id, missing: false, texts };
      });
      const tail = appendix ? document.getElementById(appendix) : null;
      return { sections, appendix: appendix ? { missing: !tail, heading: clean(tail && tail.querySelector('h2')) } : null };
    }, [briefIds, appendixId]);
    await page.emulateMedia({ media: 'print' });
    const pdfPath = path.join(outDir, 'report.pdf');
    await page.pdf({ path: pdfPath, format: 'A4', preferCSSPageSize: true, printBackground: true });
    if (briefIds.length || appendixId) {
      // Whitespace differs between the DOM and pdftotext's lines (wrapping, CJK spacing): compare without it.
      const squeeze = (text) => text.replace(/\s+/g, '');
      const pages = (first, last) => {
        try {
          return squeeze(execFileSync('pdftotext', ['-f', String(first), '-l', String(last), '-enc', 'UTF-8', pdfPath, '-'],
                                      { encoding: 'utf8' }));
        } catch (error) {
          failures.push('pdftotext failed (apt-get install poppler-utils): ' + error.message);
          return '';
        }
      };
      const firstTwo = pages(1, 2);
      fs.writeFileSync(path.join(outDir, 'brief-pages-1-2.txt'), firstTwo + '\n');
      for (const section of brief.sections) {
        if (section.missing) { failures.push('brief: no section #' + section.id); continue; }
        for (const text of section.texts) {
          if (squeeze(text) && !firstTwo.includes(squeeze(text)))
            failures.push('brief: ' + JSON.stringify(text.trim()) + ' (#' + section.id + ') is not on the first two printed pages');
        }
      }
      if (brief.appendix) {
        const heading = squeeze(brief.appendix.heading);
        if (brief.appendix.missing || !heading) failures.push('brief: no appendix section #' + appendixId);
        else {
          if (firstTwo.includes(heading)) failures.push('brief: the appendix (#' + appendixId + ') starts within the first two pages');
          if (!pages(3, 3).includes(heading)) failures.push('brief: the appendix (#' + appendixId + ') does not start on page 3');
        }
      }
    }

    const summary = { report: reportPath, requests, charts, failures };
    fs.writeFileSync(path.join(outDir, 'console.log'), log.join('\n') + '\n');
    fs.writeFileSync(path.join(outDir, 'result.json'), JSON.stringify(summary, null, 2) + '\n');
    for (const chart of charts) console.log(chart.id + ': svg ' + Math.round(chart.width) + 'x' + Math.round(chart.height) + ', ' + chart.shapes + ' shapes, ' + chart.texts + ' texts');
  } finally {
    await browser.close();
  }
  if (failures.length) {
    for (const failure of failures) console.error('FAIL ' + failure);
    process.exit(1);
  }
  console.log('check_report: ok (' + reportPath + '; screenshots in ' + outDir + ')');
})().catch((error) => {
  console.error('check_report: ' + (error && error.stack || error));
  process.exit(2);
});
