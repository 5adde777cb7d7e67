// The shell's behaviour: toasts (Django messages, htmx failures, live notifications) and
// buttons that settle after a successful htmx request. No dependencies beyond htmx.
(() => {
  "use strict";

  const TOAST_MS = 4500;

  function container() {
    let box = document.getElementById("toasts");
    if (!box) {
      box = document.createElement("div");
      box.id = "toasts";
      box.className = "toasts";
      box.setAttribute("aria-live", "polite");
      document.body.appendChild(box);
    }
    return box;
  }

  function dismiss(toast) {
    if (!toast.isConnected || toast.classList.contains("toast-leaving")) return;
    toast.classList.add("toast-leaving");
    toast.addEventListener("animationend", () => toast.remove(), { once: true });
    // Reduced motion skips the animation: remove anyway.
    setTimeout(() => toast.remove(), 400);
  }

  function arm(toast) {
    toast.addEventListener("click", () => dismiss(toast));
    setTimeout(() => dismiss(toast), TOAST_MS);
  }

  // Text goes in as text, never as HTML: notifications carry other people's words.
  function toast(text, kind) {
    const node = document.createElement("div");
    node.className = "toast" + (kind ? " toast-" + kind : "");
    node.setAttribute("role", "status");
    node.textContent = text;
    container().appendChild(node);
    arm(node);
    return node;
  }

  function errorMessage(xhr) {
    try {
      const body = JSON.parse(xhr.responseText);
      if (body && body.error && body.error.message) return body.error.message;
    } catch (_) {
      // Not our JSON error shape (an HTML error page): fall back to a plain sentence.
    }
    if (xhr.status === 429) return "Slow down a little and try again in a moment.";
    if (xhr.status === 403) return "You are not allowed to do that.";
    return "Something went wrong. Please try again.";
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("#toasts .toast").forEach(arm);
  });

  // The bar under the top edge shows while any htmx request is in flight; the element that
  // made the request gets htmx's own htmx-request class (buttons show a spinner from it).
  let inFlight = 0;
  function progress(delta) {
    inFlight = Math.max(0, inFlight + delta);
    const bar = document.getElementById("progress");
    if (bar) bar.classList.toggle("htmx-request", inFlight > 0);
  }
  document.addEventListener("htmx:beforeRequest", () => progress(1));
  document.addEventListener("htmx:afterRequest", () => progress(-1));

  document.addEventListener("htmx:responseError", (event) => {
    toast(errorMessage(event.detail.xhr), "error");
  });
  document.addEventListener("htmx:sendError", () => {
    toast("You seem to be offline. Check your connection.", "error");
  });

  // <button hx-post=... data-done-label="Following"> turns into a settled, disabled button once
  // the request succeeded (APIs answering 204 give htmx nothing to swap).
  document.addEventListener("htmx:afterRequest", (event) => {
    const el = event.detail.elt;
    if (!event.detail.successful || !el || !el.dataset || !el.dataset.doneLabel) return;
    el.textContent = el.dataset.doneLabel;
    el.classList.remove("btn-primary");
    el.classList.add("btn-done");
    el.disabled = true;
    if (el.dataset.doneToast) toast(el.dataset.doneToast, "success");
  });

  window.wom = Object.assign(window.wom || {}, { toast });
})();
