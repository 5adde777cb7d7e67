// The notifications pages: toggles that save at once (htmx) and say so, "Mark all read"
// without a reload, and new notifications appearing at the top of the open list.
(() => {
  "use strict";

  function toast(text, kind) {
    if (window.wom && window.wom.toast) window.wom.toast(text, kind);
  }

  // A kind's switch saved: say what it now is. Read before the swap, which replaces the form
  // (events on a detached form would no longer reach the document).
  document.addEventListener("htmx:beforeSwap", (event) => {
    // htmx names the swap's target (the row) as `elt` here; the form is the request's.
    const config = event.detail.requestConfig;
    const form = config && config.elt;
    if (!form || !form.matches || !form.matches("[data-kind-toggle]")) return;
    const box = form.querySelector(".switch");
    if (event.detail.xhr.status >= 400) {
      // The switch goes back to what is saved; app.js shows why.
      if (box) box.checked = !box.checked;
      return;
    }
    if (box) toast(box.dataset.label + (box.checked ? ": on" : ": off"), "success");
  });

  function markedRead() {
    document.querySelectorAll(".notif.is-unread").forEach((row) => {
      row.classList.remove("is-unread");
      const dot = row.querySelector(".notif-dot");
      if (dot) dot.remove();
    });
  }

  document.addEventListener("htmx:afterRequest", (event) => {
    const el = event.detail.elt;
    if (el && el.matches && el.matches("[data-mark-all]") && event.detail.successful) {
      markedRead();
      toast("All caught up", "success");
    }
  });

  function csrfHeaders() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    } catch (_) {
      return {};
    }
  }

  // Lines of one kind about one post group together: the new line replaces the old one.
  function sameGroup(row, item) {
    if (row.dataset.kind !== item.kind) return false;
    if (item.kind === "like" || item.kind === "comment") {
      return row.dataset.target === item.target.type + ":" + item.target.id;
    }
    if (item.kind === "follow") {
      const time = row.querySelector("time");
      return !!time && new Date(time.dateTime).toDateString() ===
        new Date(item.created_at).toDateString();
    }
    return false;
  }

  function rowFor(item) {
    const li = document.createElement("li");
    li.className = "notif notif-new";
    li.dataset.id = String(item.id);
    li.dataset.kind = item.kind;
    li.dataset.target = item.target.type + ":" + item.target.id;
    const main = document.createElement(item.target.url ? "a" : "div");
    main.className = "notif-main";
    if (item.target.url) main.href = item.target.url;
    const faces = document.createElement("span");
    faces.className = "notif-faces";
    faces.setAttribute("aria-hidden", "true");
    (item.actors || []).forEach((person) => {
      let face;
      if (person.avatar) {
        face = document.createElement("img");
        face.src = person.avatar;
        face.alt = "";
      } else {
        face = document.createElement("span");
        face.textContent = (person.display_name || person.username || "?").slice(0, 1).toUpperCase();
        face.classList.add("avatar-tone-0");
      }
      face.classList.add("avatar", "avatar-sm");
      faces.appendChild(face);
    });
    const body = document.createElement("span");
    body.className = "notif-body";
    const text = document.createElement("span");
    text.className = "notif-text";
    text.textContent = item.text;
    const time = document.createElement("time");
    time.className = "notif-time";
    time.dateTime = item.created_at;
    time.textContent = "just now";
    body.append(text, time);
    main.append(faces, body);
    li.appendChild(main);
    return li;
  }

  // On the list, a new notification shows at the top and counts as read: it is being seen.
  document.addEventListener("wom:live", (event) => {
    const data = event.detail;
    const list = document.getElementById("notif-list");
    if (!list || !data || data.type !== "notification" || !data.notification) return;
    const item = data.notification;
    list.querySelectorAll(".notif").forEach((row) => {
      if (sameGroup(row, item)) row.remove();
    });
    list.prepend(rowFor(item));
    list.hidden = false;
    const empty = document.getElementById("notif-empty");
    if (empty) empty.remove();
    if (!list.dataset.readUrl) return;
    fetch(list.dataset.readUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: Object.assign({ "Content-Type": "application/json" }, csrfHeaders()),
      body: JSON.stringify({ ids: [item.id] }),
    }).catch(() => {});
  });
})();
