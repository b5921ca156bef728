/**
 * How Playwright launches Debian's Chromium here (never a downloaded browser): the flags keep it
 * from reaching for the network at start, which this machine does not have.
 */
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};
