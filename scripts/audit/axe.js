// Runs axe-core in Chromium against each address given and prints one line
// per page: the address and its number of violations, then each violation.
// Exit code 1 when any page has a violation.
const puppeteer = require("puppeteer-core");
const axe = require("axe-core");

(async () => {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROME_PATH || "/usr/bin/chromium",
    args: ["--no-sandbox", "--headless=new"],
  });
  let failed = false;
  for (const url of process.argv.slice(2)) {
    const page = await browser.newPage();
    await page.setBypassCSP(true); // the pages' CSP rightly refuses the injected axe
    await page.setViewport({ width: 390, height: 844, deviceScaleFactor: 2, isMobile: true });
    await page.goto(url, { waitUntil: "load" });
    await page.addScriptTag({ content: axe.source });
    const result = await page.evaluate(async () => await axe.run(document));
    console.log(`axe ${url.replace(/\/plan\/[^/]+/, "/plan/{token}")}: ${result.violations.length} violations`);
    for (const v of result.violations) {
      failed = true;
      console.log(`  ${v.id} (${v.impact}): ${v.help} — ${v.nodes.length} element(s)`);
    }
    await page.close();
  }
  await browser.close();
  process.exit(failed ? 1 : 0);
})();
