// Live notifications over a websocket, for signed-in pages whose body names the socket
// (data-live-socket="/ws/notifications/", rendered only once the route exists).
//
// Messages the server may send (JSON):
//   {"type": "notification", "message": "Ana liked your post", "unread": 3, "notification": {...}}
//       shows a toast; the badge shows `unread` when given, else one more than before;
//   {"type": "unread", "count": 0}
//       sets the badge (e.g. right after connecting, or once notifications were read);
//   {"type": "feed.new_post", ...} and anything else: left to the page's own scripts.
//
// Every parsed message is also dispatched on the document as a "wom:live" CustomEvent (the
// message in `detail`), so a page (the home pill, an order's status) listens without a socket
// of its own.
//
// Reconnects with exponential backoff and jitter after a drop. Gives up quietly when the
// socket never opens a few times in a row (no such route, a proxy without websockets, a session
// that ended: the server refuses those at the handshake) or when the server closes with a 4xxx
// code: no retry loop, no spam.
(() => {
  "use strict";

  const path = document.body && document.body.dataset.liveSocket;
  if (!path || !("WebSocket" in window)) return;

  const BASE_DELAY_MS = 1000;
  const MAX_DELAY_MS = 60000;
  const MAX_FAILED_OPENS = 3;
  const STABLE_MS = 30000;

  const badge = document.getElementById("notif-badge");
  let socket = null;
  let attempt = 0;
  let failedOpens = 0;
  let retryTimer = null;
  let stableTimer = null;
  let stopped = false;

  function setCount(count) {
    if (!badge) return;
    const n = Math.max(0, Number(count) || 0);
    badge.dataset.count = String(n);
    badge.textContent = n > 99 ? "99+" : String(n);
    badge.hidden = n === 0;
    badge.classList.remove("badge-pop");
    if (n > 0) {
      // Restart the pop animation on every new count.
      void badge.offsetWidth;
      badge.classList.add("badge-pop");
    }
  }

  function current() {
    return badge ? Number(badge.dataset.count) || 0 : 0;
  }

  function handle(raw) {
    let data;
    try {
      data = JSON.parse(raw);
    } catch (_) {
      return;
    }
    if (!data || typeof data !== "object") return;
    if (data.type === "notification") {
      setCount(typeof data.unread === "number" ? data.unread : current() + 1);
      const text = data.message || data.text;
      if (text && window.wom && window.wom.toast) window.wom.toast(String(text), "notification");
    } else if (data.type === "unread") {
      setCount(data.count);
    }
    document.dispatchEvent(new CustomEvent("wom:live", { detail: data }));
  }

  function url() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return scheme + "//" + location.host + path;
  }

  function schedule() {
    const delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
    attempt += 1;
    retryTimer = setTimeout(connect, delay / 2 + Math.random() * (delay / 2));
  }

  function connect() {
    retryTimer = null;
    if (stopped) return;
    let opened = false;
    try {
      socket = new WebSocket(url());
    } catch (_) {
      stopped = true;
      return;
    }
    socket.addEventListener("open", () => {
      opened = true;
      failedOpens = 0;
      // Only a connection that stays up resets the backoff; a server that accepts and drops
      // at once must not be hammered.
      stableTimer = setTimeout(() => {
        attempt = 0;
      }, STABLE_MS);
    });
    socket.addEventListener("message", (event) => handle(event.data));
    socket.addEventListener("close", (event) => {
      clearTimeout(stableTimer);
      socket = null;
      if (stopped) return;
      if (event.code >= 4000 && event.code < 5000) {
        stopped = true;
        return;
      }
      if (!opened) {
        failedOpens += 1;
        if (failedOpens >= MAX_FAILED_OPENS) {
          stopped = true;
          return;
        }
      }
      schedule();
    });
  }

  // Leaving the page closes the socket on purpose; that close is not a failure to retry.
  window.addEventListener("pagehide", () => {
    stopped = true;
    clearTimeout(retryTimer);
    if (socket) socket.close(1000);
  });
  // A page restored from the back/forward cache comes back without its socket.
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    stopped = false;
    attempt = 0;
    failedOpens = 0;
    connect();
  });

  window.wom = Object.assign(window.wom || {}, { setUnread: setCount });
  connect();
})();
