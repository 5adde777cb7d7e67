// An order's page follows its order live: when the shell's socket (live.js) brings a
// notification about this order (paid, shipped, delivered, a refund decided), the page's
// content is fetched again and swapped in place, so the status, the actions and the timeline
// are what the server says now. No socket of its own: it listens to live.js's "wom:live".
(() => {
  "use strict";

  const root = document.querySelector("[data-order-live]");
  if (!root) return;
  const orderId = Number(root.dataset.orderLive);
  let busy = false;
  let again = false;

  async function refresh() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      const response = await fetch(location.href, { credentials: "same-origin" });
      if (!response.ok) return;
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.querySelector("[data-order-live]");
      if (!fresh) return;
      root.replaceChildren(...fresh.childNodes);
      if (window.htmx) window.htmx.process(root);
    } catch (_) {
      // Offline for a moment: the page stays as it was, the next notification tries again.
    } finally {
      busy = false;
      if (again) {
        again = false;
        refresh();
      }
    }
  }

  document.addEventListener("wom:live", (event) => {
    const data = event.detail;
    if (!data || data.type !== "notification" || !data.notification) return;
    const target = data.notification.target;
    if (target && target.type === "order" && Number(target.id) === orderId) refresh();
  });
})();
