// Profile settings: the chosen picture shows in the avatar circle at once, and while the form
// goes up (htmx posts it in the background) a bar under the circle tracks the upload.
// Listeners sit on the document: a form with errors is swapped in anew and still works.
(() => {
  "use strict";

  const FORM = "[data-avatar-form]";

  function parts(form) {
    const preview = form.querySelector("[data-avatar-preview]");
    return {
      input: form.querySelector("input[type=file]"),
      preview,
      current: preview && preview.parentElement.querySelector(".avatar:not([data-avatar-preview])"),
      bar: form.querySelector(".upload-progress"),
      status: form.querySelector("[data-upload-status]"),
    };
  }

  function say(status, text) {
    if (!status) return;
    if (status.dataset.hint === undefined) status.dataset.hint = status.textContent;
    status.textContent = text === null ? status.dataset.hint : text;
  }

  function sizeText(size) {
    return size >= 1024 * 1024 ? (size / (1024 * 1024)).toFixed(1) + " MB" : Math.ceil(size / 1024) + " KB";
  }

  document.addEventListener("change", (event) => {
    const input = event.target;
    const form = input.closest && input.closest(FORM);
    if (!form || input.type !== "file") return;
    const { preview, current, status } = parts(form);
    if (!preview) return;
    if (preview.src) URL.revokeObjectURL(preview.src);
    const file = input.files && input.files[0];
    const showable = file && file.type.startsWith("image/");
    preview.hidden = !showable;
    if (current) current.hidden = Boolean(showable);
    if (showable) {
      preview.src = URL.createObjectURL(file);
      // A new picture replaces the old one: asking to remove it as well would contradict that.
      const remove = form.elements.namedItem("remove_avatar");
      if (remove) remove.checked = false;
    } else {
      preview.removeAttribute("src");
    }
    say(status, file ? `${file.name} · ${sizeText(file.size)} · saved when you press Save` : null);
  });

  function progress(form, percent) {
    const { bar } = parts(form);
    if (!bar) return;
    // Download progress follows upload progress under the same event name; never go backwards.
    const shown = Math.max(Number(bar.getAttribute("aria-valuenow")) || 0, percent);
    bar.setAttribute("aria-valuenow", String(shown));
    bar.style.setProperty("--upload", shown + "%");
    return shown;
  }

  document.addEventListener("htmx:beforeRequest", (event) => {
    const form = event.detail.elt;
    if (!form.matches || !form.matches(FORM)) return;
    const { input, bar, status } = parts(form);
    if (!bar || !input || !input.files || !input.files.length) return;
    bar.setAttribute("aria-valuenow", "0");
    bar.style.setProperty("--upload", "0%");
    bar.hidden = false;
    say(status, "Uploading…");
  });

  document.addEventListener("htmx:xhr:progress", (event) => {
    const form = event.detail.elt;
    if (!form.matches || !form.matches(FORM) || !event.detail.lengthComputable) return;
    const { bar, status } = parts(form);
    if (!bar || bar.hidden) return;
    const shown = progress(form, Math.round((100 * event.detail.loaded) / event.detail.total));
    say(status, shown >= 100 ? "Making it look good…" : `Uploading… ${shown}%`);
  });

  document.addEventListener("htmx:afterRequest", (event) => {
    const form = event.detail.elt;
    if (!form.matches || !form.matches(FORM) || event.detail.successful) return;
    const { bar, status } = parts(form);
    if (bar) bar.hidden = true;
    say(status, null);
  });
})();
