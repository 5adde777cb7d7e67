// The share sheet: opens as a dialog (a bottom sheet on phones), copies a link with the
// Clipboard API (falling back to selecting the field), and offers the Web Share API where the
// browser has it. The sheet may be swapped in by htmx several times on one page: one set of
// delegated listeners serves them all.
(() => {
  "use strict";
  if (window.__womShare) return;
  window.__womShare = true;

  function say(text, kind) {
    if (window.wom && window.wom.toast) window.wom.toast(text, kind);
  }

  // The sharer's links are made when the sheet first opens. The request is sent from here, not
  // from hx-post on the button: the button arrives in an htmx swap, and a tap in the moment
  // before htmx has processed it would open the sheet with nothing ever loading into it.
  function load(opener, sheet) {
    const url = opener.dataset.shareLoad;
    if (!url || opener.dataset.shareLoading || !window.htmx) return;
    opener.dataset.shareLoading = "1";
    window.htmx
      .ajax("POST", url, { source: opener, target: `#${sheet.id}-body`, swap: "innerHTML" })
      .then(() => {
        if (sheet.querySelector("[data-share-item]")) delete opener.dataset.shareLoad;
        delete opener.dataset.shareLoading;
      });
  }

  function open(opener) {
    const sheet = document.getElementById(opener.dataset.shareOpen);
    if (!sheet) return;
    if (typeof sheet.showModal === "function") {
      if (!sheet.open) sheet.showModal();
    } else {
      sheet.setAttribute("open", "");
    }
    load(opener, sheet);
  }

  function close(sheet) {
    if (typeof sheet.close === "function") sheet.close();
    else sheet.removeAttribute("open");
  }

  async function copy(item) {
    const url = item.dataset.url;
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(url);
        return true;
      } catch (_) {
        // Refused (no permission, not focused): fall back to the selected field below.
      }
    }
    const field = item.querySelector("[data-share-url]");
    field.focus();
    field.select();
    field.setSelectionRange(0, url.length);
    try {
      return document.execCommand("copy");
    } catch (_) {
      return false;
    }
  }

  async function onCopy(button) {
    const item = button.closest("[data-share-item]");
    if (await copy(item)) {
      button.textContent = "Copied";
      button.classList.add("btn-done");
      say("Link copied", "success");
      setTimeout(() => {
        button.textContent = "Copy link";
        button.classList.remove("btn-done");
      }, 2500);
    } else {
      say("The link is selected: copy it from your keyboard or menu.", "info");
    }
  }

  function onWebShare(button) {
    const item = button.closest("[data-share-item]");
    navigator.share({ title: item.dataset.title, url: item.dataset.url }).catch(() => {
      // Closing the system share sheet rejects too: nothing to tell.
    });
  }

  document.addEventListener("click", (event) => {
    const target = event.target;
    const opener = target.closest("[data-share-open]");
    if (opener) return open(opener);
    const closer = target.closest("[data-share-close]");
    if (closer) return close(closer.closest("dialog"));
    const copier = target.closest("[data-share-copy]");
    if (copier) return onCopy(copier);
    const sharer = target.closest("[data-web-share]");
    if (sharer) return onWebShare(sharer);
    // A tap on the backdrop (the dialog itself, outside its content) closes the sheet.
    if (target.matches("dialog.share-sheet")) close(target);
    return undefined;
  });

  // The openers come disabled: they work only once this script listens, and a tap before
  // that would be lost.
  function reveal(root) {
    root.querySelectorAll("[data-share-open][disabled]").forEach((button) => {
      button.disabled = false;
    });
    if (typeof navigator.share !== "function") return;
    root.querySelectorAll("[data-web-share]").forEach((button) => {
      button.hidden = false;
    });
  }
  document.addEventListener("htmx:load", (event) => reveal(event.detail.elt));
  reveal(document);
})();
