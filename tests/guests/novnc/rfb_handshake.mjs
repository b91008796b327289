// Connect noVNC's RFB client to a console URL's WebSocket and print what a browser tab
// would show: the desktop name QEMU announces, then "connected" once the RFB handshake
// (version, security, ServerInit) is through. noVNC 1.5 (its CommonJS build, lib/) needs a
// DOM: jsdom gives one, ws the WebSocket; its canvas draws into nothing.
//   node rfb_handshake.mjs ws://127.0.0.1:6080/?token=...
import { JSDOM } from "jsdom";
import WebSocket from "ws";

const dom = new JSDOM("<!DOCTYPE html><div id=screen></div>", { url: "https://localhost/" });
for (const name of Object.getOwnPropertyNames(dom.window)) {
  if (!(name in globalThis)) {
    try { globalThis[name] = dom.window[name]; } catch { /* read-only in Node */ }
  }
}
Object.defineProperty(globalThis, "navigator", { value: dom.window.navigator, configurable: true });
globalThis.WebSocket = WebSocket;
Object.defineProperty(globalThis, "isSecureContext", { value: true, configurable: true });
globalThis.ResizeObserver = class { observe() {} unobserve() {} disconnect() {} };
const noCanvas = new Proxy({}, {
  get: (target, key) => (key in target ? target[key] : () => ({ data: new Uint8ClampedArray(4) })),
  set: (target, key, value) => { target[key] = value; return true; },
});
dom.window.HTMLCanvasElement.prototype.getContext = () => noCanvas;

const RFB = (await import("@novnc/novnc/lib/rfb.js")).default.default;
const rfb = new RFB(document.getElementById("screen"), process.argv[2], { wsProtocols: ["binary"] });
rfb.addEventListener("desktopname", (e) => console.log("desktopname " + e.detail.name));
rfb.addEventListener("connect", () => { console.log("connected"); rfb.disconnect(); });
rfb.addEventListener("disconnect", (e) => {
  console.log("disconnected clean=" + e.detail.clean);
  process.exit(0);
});
rfb.addEventListener("securityfailure", (e) => {
  console.log("securityfailure " + e.detail.reason);
  process.exit(2);
});
setTimeout(() => { console.log("timeout"); process.exit(3); }, 30000);
