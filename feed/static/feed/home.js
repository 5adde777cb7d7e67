// The home feed's "new posts" pill. live.js owns the socket and re-dispatches each message as
// a `wom:live` event; a {"type": "feed.new_post", author: {...}} one shows the pill ("New posts
// from Ana"); a tap reloads the first page of cards and goes back to the top.
(() => {
  "use strict";

  const MAX_FACES = 3;
  const TONES = 6;

  // The same colour the server gives a person without a picture (zlib.crc32 of the username).
  function crc32(text) {
    let crc = -1;
    for (const byte of new TextEncoder().encode(text)) {
      crc ^= byte;
      for (let bit = 0; bit < 8; bit += 1) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
    }
    return (crc ^ -1) >>> 0;
  }

  function face(author) {
    const name = author.display_name || author.username || "?";
    if (author.avatar) {
      const img = document.createElement("img");
      img.className = "avatar avatar-xs";
      img.src = author.avatar;
      img.alt = "";
      return img;
    }
    const span = document.createElement("span");
    span.className = "avatar avatar-xs avatar-tone-" + (crc32(author.username || name) % TONES);
    span.textContent = name.slice(0, 1).toUpperCase();
    return span;
  }

  function label(authors) {
    const names = authors.map((a) => a.display_name || a.username);
    if (names.length === 1) return "New posts from " + names[0];
    if (names.length === 2) return "New posts from " + names[0] + " and " + names[1];
    const others = names.length - 1;
    return "New posts from " + names[0] + " and " + others + " others";
  }

  function init() {
    const pill = document.getElementById("home-pill");
    const feed = document.getElementById("home-feed");
    if (!pill || !feed) return;
    const faces = pill.querySelector(".home-pill-faces");
    const text = pill.querySelector(".home-pill-text");
    // Newest first, one entry per person.
    let authors = [];

    document.addEventListener("wom:live", (event) => {
      const data = event.detail;
      if (!data || data.type !== "feed.new_post" || !data.author) return;
      const author = data.author;
      authors = [author, ...authors.filter((a) => a.username !== author.username)];
      faces.replaceChildren(...authors.slice(0, MAX_FACES).map(face));
      text.textContent = label(authors);
      pill.hidden = false;
    });

    pill.addEventListener("click", () => {
      pill.hidden = true;
      authors = [];
      const url = pill.dataset.cardsUrl;
      const loaded = window.htmx
        ? window.htmx.ajax("GET", url, { target: feed, swap: "innerHTML" })
        : Promise.resolve(location.reload());
      Promise.resolve(loaded).then(() => {
        window.scrollTo({ top: 0, behavior: "smooth" });
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
