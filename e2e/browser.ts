/** The one place that says which Chromium the tests drive and with which flags. */
export const CHROME_PATH = process.env.CHROME_PATH || '/usr/bin/chromium';

/** No sandbox (root in CI), no background traffic (the network is closed), WebGPU on. */
export const CHROME_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
];
