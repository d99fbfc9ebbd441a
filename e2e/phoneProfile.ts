/**
 * Chrome DevTools' "mid-range phone" (issue 11): 4x slower CPU, 1.6 Mbps down, 750 kbps up,
 * 150 ms round trip. One definition for the browser test that checks the board works on it
 * (phoneProfile.spec.ts) and the bench that times it (bench/phone.ts).
 */
export const PHONE_NETWORK = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
};
export const PHONE_CPU_SLOWDOWN = 4;

/** The part of a CDP session this needs (Playwright's and playwright-core's both fit). */
interface CdpSender {
  send(method: string, params?: Record<string, unknown>): Promise<unknown>;
}

/** Throttle one page (through its CDP session) to the mid-range phone. */
export async function emulateMidRangePhone(cdp: CdpSender): Promise<void> {
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: PHONE_CPU_SLOWDOWN });
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', PHONE_NETWORK);
}
