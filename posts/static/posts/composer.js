// The composer: photos (or one video) uploaded one by one to the media API with a progress bar
// each, reordered by dragging (pointer events: mouse, pen and touch), product tags dropped on a
// photo, then the post saved through the posts API (API.md). No dependencies.
(() => {
  "use strict";

  const form = document.querySelector("[data-composer]");
  const configNode = document.getElementById("composer-config");
  if (!form || !configNode) return;
  const config = JSON.parse(configNode.textContent);
  const limits = config.limits;
  const editing = config.post;

  const $ = (selector, root = form) => root.querySelector(selector);
  const strip = $("[data-strip]");
  const fileInput = $("[data-file-input]");
  const addTile = $("[data-add]");
  const stage = $("[data-stage]");
  const stageFrame = $("[data-stage-frame]");
  const stageImg = $("[data-stage-img]");
  const stageTags = $("[data-stage-tags]");
  const altInput = $("[data-alt]");
  const text = $("[data-text]");
  const counter = $("[data-counter]");
  const taggedList = $("[data-tagged-list]");
  const errorsBox = $("[data-errors]");
  const sheet = document.querySelector("[data-product-sheet]");
  const search = document.querySelector("[data-product-search]");
  const results = document.querySelector("[data-product-results]");

  // items: what is in the strip, in order. key is local; mediaId arrives with the upload's answer.
  let items = [];
  let tags = [];
  let selectedKey = null;
  let pendingSpot = null; // {key, x, y} while the product sheet is open, or {} for a whole-post tag
  let nextKey = 1;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (_) {
      return "";
    }
  }

  // The API's error shape {"error": {code, message, fields}} as sentences for people.
  function apiErrorText(status, body) {
    const error = body && body.error;
    if (!error) {
      if (status === 413) return "That file is too large.";
      if (status === 429) return "Slow down a little and try again in a moment.";
      return "Something went wrong. Please try again.";
    }
    const lines = [error.message];
    fieldLines(error.fields || {}, "").forEach((line) => {
      if (!line.endsWith(`: ${error.message}`)) lines.push(line);
    });
    return lines.join("\n");
  }

  // {"tags": {"1": {"x": ["..."]}}} -> ["Product tag 2, x: ..."]: where, then what.
  function fieldLines(fields, where) {
    if (Array.isArray(fields)) {
      const words = fields.filter((item) => typeof item === "string");
      const nested = fields.filter((item) => item && typeof item === "object");
      const own = words.length ? [`${where || "Post"}: ${words.join(" ")}`] : [];
      return own.concat(...nested.map((item) => fieldLines(item, where)));
    }
    if (fields && typeof fields === "object") {
      return [].concat(
        ...Object.keys(fields).map((name) => fieldLines(fields[name], fieldName(where, name))),
      );
    }
    return typeof fields === "string" ? [`${where || "Post"}: ${fields}`] : [];
  }

  function fieldName(where, name) {
    const names = { tags: "Product tag", media_ids: "Photos", alt_texts: "Photo description", text: "Text", location: "Location", visibility: "Who can see it" };
    if (/^\d+$/.test(name)) return `${where} ${Number(name) + 1}`;
    const label = names[name] || name.replace(/_/g, " ");
    return where ? `${where}, ${label}` : label;
  }

  function showErrors(message) {
    errorsBox.textContent = message || "";
    errorsBox.hidden = !message;
    if (message) errorsBox.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  function byKey(key) {
    return items.find((item) => item.key === key);
  }

  // --- Strip ------------------------------------------------------------------------------------

  function tileFor(item) {
    const tile = document.createElement("li");
    tile.className = "media-tile";
    tile.dataset.key = item.key;
    tile.tabIndex = 0;
    tile.innerHTML =
      '<span class="media-tile-frame"></span>' +
      '<progress class="media-tile-progress" max="100" value="0" aria-label="Upload progress"></progress>' +
      '<span class="media-tile-state"></span>' +
      '<button class="media-tile-remove" type="button" aria-label="Remove">×</button>';
    const frame = tile.querySelector(".media-tile-frame");
    if (item.kind === "video") {
      const video = document.createElement("video");
      video.muted = true;
      video.playsInline = true;
      video.preload = "metadata";
      video.src = item.preview;
      frame.appendChild(video);
    } else if (item.preview) {
      const img = document.createElement("img");
      img.alt = "";
      img.src = item.preview;
      frame.appendChild(img);
    }
    tile.querySelector(".media-tile-remove").addEventListener("click", (event) => {
      event.stopPropagation();
      remove(item.key);
    });
    return tile;
  }

  function paintTile(item) {
    const tile = strip.querySelector(`[data-key="${item.key}"]`);
    if (!tile) return;
    const bar = tile.querySelector(".media-tile-progress");
    bar.value = item.progress;
    bar.hidden = item.state !== "uploading";
    tile.dataset.state = item.state;
    tile.classList.toggle("is-selected", item.key === selectedKey);
    const label = tile.querySelector(".media-tile-state");
    label.textContent = item.state === "error" ? item.error : item.state === "uploading" ? `${item.progress}%` : "";
    label.title = item.state === "error" ? item.error : "";
    const index = items.indexOf(item);
    tile.setAttribute("aria-label", `${item.kind === "video" ? "Video" : "Photo"} ${index + 1}`);
  }

  function renderStrip() {
    const tiles = new Map([...strip.children].map((tile) => [Number(tile.dataset.key), tile]));
    items.forEach((item) => {
      const tile = tiles.get(item.key) || tileFor(item);
      strip.appendChild(tile); // appendChild moves an existing node: this also applies the order
      paintTile(item);
    });
    tiles.forEach((tile, key) => {
      if (!byKey(key)) tile.remove();
    });
    const hasVideo = items.some((item) => item.kind === "video");
    addTile.hidden = hasVideo || items.length >= limits.images;
    renderStage();
    renderTags();
  }

  function remove(key) {
    const item = byKey(key);
    if (!item) return;
    if (item.xhr) item.xhr.abort();
    if (item.file && item.preview) URL.revokeObjectURL(item.preview);
    items = items.filter((other) => other !== item);
    tags = tags.filter((tag) => tag.key !== key);
    if (selectedKey === key) selectedKey = items.length ? items[0].key : null;
    renderStrip();
  }

  // --- Upload -------------------------------------------------------------------------------------

  function upload(item) {
    const xhr = new XMLHttpRequest();
    item.xhr = xhr;
    item.state = "uploading";
    xhr.open("POST", config.api.media);
    xhr.setRequestHeader("X-CSRFToken", csrfToken());
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", (event) => {
      if (!event.lengthComputable) return;
      // 99 at most until the server answered: the bytes are sent, the check is not done.
      item.progress = Math.min(99, Math.floor((event.loaded / event.total) * 100));
      paintTile(item);
    });
    xhr.addEventListener("load", () => {
      item.xhr = null;
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch (_) {
        body = null;
      }
      if (xhr.status === 201 || xhr.status === 200) {
        item.mediaId = body.id;
        item.state = body.status === "failed" ? "error" : "done";
        item.error = body.status === "failed" ? "Could not process this file." : "";
        item.progress = 100;
      } else {
        item.state = "error";
        item.error = apiErrorText(xhr.status, body);
        showErrors(item.error);
      }
      paintTile(item);
    });
    xhr.addEventListener("error", () => {
      item.xhr = null;
      item.state = "error";
      item.error = "Upload failed. Check your connection.";
      paintTile(item);
    });
    const body = new FormData();
    body.append("file", item.file);
    xhr.send(body);
  }

  function addFiles(files) {
    showErrors("");
    const chosen = [...files];
    const videos = chosen.filter((file) => file.type.startsWith("video/"));
    const images = chosen.filter((file) => !file.type.startsWith("video/"));
    if (videos.length && (images.length || items.length || videos.length > 1)) {
      showErrors("A post has photos or one video, not both.");
      return;
    }
    if (items.some((item) => item.kind === "video")) {
      showErrors("A post has photos or one video, not both.");
      return;
    }
    const room = limits.images - items.length;
    if (images.length > room) showErrors(`Up to ${limits.images} photos: the rest were left out.`);
    const taken = videos.length ? videos : images.slice(0, Math.max(0, room));
    taken.forEach((file) => {
      const item = {
        key: nextKey++,
        file,
        kind: file.type.startsWith("video/") ? "video" : "image",
        preview: URL.createObjectURL(file),
        mediaId: null,
        state: "uploading",
        progress: 0,
        alt: "",
        error: "",
      };
      items.push(item);
      if (selectedKey === null && item.kind === "image") selectedKey = item.key;
      renderStrip();
      upload(item);
    });
  }

  fileInput.addEventListener("change", () => {
    addFiles(fileInput.files);
    fileInput.value = "";
  });

  // --- Drag to reorder (pointer events) ---------------------------------------------------------
  // A press that moves more than a few pixels drags the tile; one that does not selects it.

  const DRAG_THRESHOLD = 6;
  let drag = null;

  strip.addEventListener("pointerdown", (event) => {
    const tile = event.target.closest(".media-tile");
    if (!tile || event.target.closest(".media-tile-remove") || event.button > 0) return;
    drag = { tile, key: Number(tile.dataset.key), x: event.clientX, y: event.clientY, moving: false };
    // The strip holds the capture: the dragged tile ignores hits (CSS) so that the tile under
    // the finger can be found.
    strip.setPointerCapture(event.pointerId);
  });

  strip.addEventListener("pointermove", (event) => {
    if (!drag) return;
    if (!drag.moving) {
      if (Math.hypot(event.clientX - drag.x, event.clientY - drag.y) < DRAG_THRESHOLD) return;
      drag.moving = true;
      drag.tile.classList.add("is-dragging");
    }
    // The tile under the finger (the dragged one ignores pointer hits while dragging).
    const over = document.elementFromPoint(event.clientX, event.clientY);
    const target = over && over.closest(".media-tile");
    if (!target || target === drag.tile || target.parentNode !== strip) return;
    const tiles = [...strip.children];
    const from = tiles.indexOf(drag.tile);
    const to = tiles.indexOf(target);
    strip.insertBefore(drag.tile, from < to ? target.nextSibling : target);
  });

  function endDrag(event) {
    if (!drag) return;
    const { tile, key, moving } = drag;
    drag = null;
    tile.classList.remove("is-dragging");
    if (strip.hasPointerCapture(event.pointerId)) strip.releasePointerCapture(event.pointerId);
    if (moving) {
      const order = [...strip.children].map((node) => Number(node.dataset.key));
      items.sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
      renderStrip();
    } else if (event.type === "pointerup" && byKey(key).kind === "image") {
      selectedKey = key;
      renderStrip();
    }
  }
  strip.addEventListener("pointerup", endDrag);
  strip.addEventListener("pointercancel", endDrag);

  // Keyboard: arrows move the focused tile; Enter selects it.
  strip.addEventListener("keydown", (event) => {
    const tile = event.target.closest(".media-tile");
    if (!tile) return;
    const key = Number(tile.dataset.key);
    const index = items.findIndex((item) => item.key === key);
    const step = { ArrowLeft: -1, ArrowRight: 1 }[event.key];
    if (step && items[index + step]) {
      event.preventDefault();
      [items[index], items[index + step]] = [items[index + step], items[index]];
      renderStrip();
      strip.querySelector(`[data-key="${key}"]`).focus();
    } else if (event.key === "Enter" && items[index].kind === "image") {
      event.preventDefault();
      selectedKey = key;
      renderStrip();
    }
  });

  // --- The selected photo: alt text and product tags ------------------------------------------

  function renderStage() {
    const item = byKey(selectedKey);
    stage.hidden = !item || item.kind !== "image";
    if (stage.hidden) return;
    if (stageImg.getAttribute("src") !== item.preview) stageImg.src = item.preview;
    stageImg.alt = item.alt || "";
    if (document.activeElement !== altInput) altInput.value = item.alt;
  }

  altInput.addEventListener("input", () => {
    const item = byKey(selectedKey);
    if (item) item.alt = altInput.value;
  });

  stageFrame.addEventListener("click", (event) => {
    if (event.target.closest(".stage-tag")) return;
    const rect = stageImg.getBoundingClientRect();
    const x = (event.clientX - rect.left) / rect.width;
    const y = (event.clientY - rect.top) / rect.height;
    if (x < 0 || x > 1 || y < 0 || y > 1) return;
    openSheet({ key: selectedKey, x: Math.round(x * 10000) / 10000, y: Math.round(y * 10000) / 10000 });
  });

  $("[data-tag-whole]").addEventListener("click", () => openSheet({}));

  function renderTags() {
    stageTags.textContent = "";
    tags.forEach((tag, index) => {
      if (tag.key !== selectedKey || tag.x == null) return;
      const dot = document.createElement("button");
      dot.type = "button";
      dot.className = "stage-tag";
      dot.style.left = `${tag.x * 100}%`;
      dot.style.top = `${tag.y * 100}%`;
      dot.textContent = tag.product.name;
      dot.title = "Remove this tag";
      dot.addEventListener("click", () => {
        tags.splice(index, 1);
        renderTags();
      });
      stageTags.appendChild(dot);
    });
    taggedList.textContent = "";
    tags.forEach((tag, index) => {
      const row = document.createElement("li");
      row.className = "tagged";
      const where = tag.key == null ? "on the post" : `on photo ${items.findIndex((item) => item.key === tag.key) + 1}`;
      const name = document.createElement("span");
      name.className = "tagged-name";
      name.textContent = tag.product.name;
      const meta = document.createElement("span");
      meta.className = "muted small";
      meta.textContent = `${money(tag.product)} · ${where}`;
      const drop = document.createElement("button");
      drop.type = "button";
      drop.className = "icon-btn";
      drop.setAttribute("aria-label", `Remove ${tag.product.name}`);
      drop.textContent = "×";
      drop.addEventListener("click", () => {
        tags.splice(index, 1);
        renderTags();
      });
      const body = document.createElement("span");
      body.className = "tagged-body";
      body.append(name, meta);
      row.append(body, drop);
      taggedList.appendChild(row);
    });
  }

  function money(product) {
    if (product.price == null) return "";
    return product.currency === "CNY" ? `¥${product.price}` : `${product.price} ${product.currency}`;
  }

  // --- Product search sheet ---------------------------------------------------------------------

  let searchTimer = null;
  let searchSerial = 0;

  function openSheet(spot) {
    if (tags.length >= limits.tags) {
      showErrors(`Up to ${limits.tags} products per post.`);
      return;
    }
    pendingSpot = spot;
    results.textContent = "";
    search.value = "";
    if (typeof sheet.showModal === "function") sheet.showModal();
    else sheet.setAttribute("open", "");
    search.focus();
    runSearch("");
  }

  function runSearch(query) {
    const serial = ++searchSerial;
    const url = `${config.api.products}?${new URLSearchParams({ q: query })}`;
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => response.json().then((body) => ({ ok: response.ok, status: response.status, body })))
      .then(({ ok, status, body }) => {
        if (serial !== searchSerial) return; // an older answer arriving late
        results.textContent = "";
        if (!ok) {
          results.innerHTML = '<li class="muted"></li>';
          results.firstChild.textContent = apiErrorText(status, body);
          return;
        }
        const found = body.results || [];
        if (!found.length) {
          results.innerHTML = '<li class="muted product-results-empty">No product matches.</li>';
          return;
        }
        found.forEach((product) => results.appendChild(resultRow(product)));
      })
      .catch(() => {
        if (serial === searchSerial) results.innerHTML = '<li class="muted">Could not search. Check your connection.</li>';
      });
  }

  function resultRow(product) {
    const row = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "product-result";
    button.dataset.productId = product.id;
    const media = document.createElement("span");
    media.className = "product-result-media";
    if (product.image) {
      const img = document.createElement("img");
      img.src = product.image;
      img.alt = "";
      media.appendChild(img);
    }
    const body = document.createElement("span");
    body.className = "product-result-body";
    const name = document.createElement("strong");
    name.textContent = product.name;
    const meta = document.createElement("span");
    meta.className = "muted small";
    const shop = product.merchant ? ` · ${product.merchant.name}` : "";
    meta.textContent = `${money(product)}${shop}${product.in_stock === false ? " · Sold out" : ""}`;
    body.append(name, meta);
    button.append(media, body);
    button.addEventListener("click", () => {
      const spot = pendingSpot || {};
      tags.push({
        product: { id: product.id, name: product.name, price: product.price, currency: product.currency },
        key: spot.key == null ? null : spot.key,
        x: spot.x == null ? null : spot.x,
        y: spot.y == null ? null : spot.y,
      });
      pendingSpot = null;
      sheet.close();
      renderTags();
    });
    row.appendChild(button);
    return row;
  }

  search.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => runSearch(search.value.trim()), 220);
  });
  search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault(); // the sheet's form would close it
  });

  // --- Text ---------------------------------------------------------------------------------

  function count() {
    counter.textContent = `${text.value.length}/${limits.text}`;
  }
  text.addEventListener("input", count);
  form.querySelectorAll("[data-insert]").forEach((button) => {
    button.addEventListener("click", () => {
      const mark = button.dataset.insert;
      const start = text.selectionStart ?? text.value.length;
      const before = text.value.slice(0, start);
      const spacer = before && !/\s$/.test(before) ? " " : "";
      text.setRangeText(spacer + mark, start, text.selectionEnd ?? start, "end");
      text.focus();
      count();
    });
  });

  // --- Save --------------------------------------------------------------------------------------

  function payload(status) {
    const ready = items.filter((item) => item.mediaId != null);
    const body = {
      text: text.value,
      media_ids: ready.map((item) => item.mediaId),
      alt_texts: ready.map((item) => item.alt || ""),
      visibility: (form.querySelector("[name=visibility]:checked") || {}).value || "public",
      location: $("[data-location]").value.trim(),
      tags: tags.map((tag) => {
        const item = tag.key == null ? null : byKey(tag.key);
        const out = { product_id: tag.product.id };
        if (tag.skuId != null) out.sku_id = tag.skuId;
        if (item && item.mediaId != null) {
          out.media_id = item.mediaId;
          if (tag.x != null) Object.assign(out, { x: tag.x, y: tag.y });
        }
        return out;
      }),
    };
    if (!editing || editing.status === "draft") body.status = status;
    return body;
  }

  function submit(status, button) {
    showErrors("");
    if (items.some((item) => item.state === "uploading")) {
      showErrors("Wait for the uploads to finish.");
      return;
    }
    if (items.some((item) => item.state === "error")) {
      showErrors("Remove the files that could not be uploaded first.");
      return;
    }
    if (!text.value.trim() && !items.length) {
      showErrors("Add a photo, a video or a few words.");
      return;
    }
    const buttons = form.querySelectorAll("[data-submit]");
    buttons.forEach((node) => (node.disabled = true));
    button.classList.add("htmx-request");
    const url = editing ? `${config.api.posts}/${editing.id}` : config.api.posts;
    fetch(url, {
      method: editing ? "PATCH" : "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(payload(status)),
    })
      .then((response) => response.json().catch(() => null).then((body) => ({ response, body })))
      .then(({ response, body }) => {
        if (response.ok && body && body.id != null) {
          window.location.assign(`${config.detailPrefix}${body.id}/`);
          return;
        }
        showErrors(apiErrorText(response.status, body));
        buttons.forEach((node) => (node.disabled = false));
        button.classList.remove("htmx-request");
      })
      .catch(() => {
        showErrors("Could not save. Check your connection and try again.");
        buttons.forEach((node) => (node.disabled = false));
        button.classList.remove("htmx-request");
      });
  }

  form.querySelectorAll("[data-submit]").forEach((button) => {
    button.addEventListener("click", () => submit(button.dataset.submit, button));
  });

  // --- Editing: start from the post as it is ----------------------------------------------------

  function startFrom(post) {
    const keys = new Map();
    post.media.forEach((media) => {
      const variants = media.variants || {};
      const item = {
        key: nextKey++,
        file: null,
        kind: media.kind,
        preview: media.kind === "video" ? variants.video || "" : variants["640"] || variants["1080"] || variants["320"] || "",
        mediaId: media.id,
        state: media.status === "failed" ? "error" : "done",
        progress: 100,
        alt: media.alt_text || "",
        error: media.status === "failed" ? "Could not process this file." : "",
      };
      keys.set(media.id, item.key);
      items.push(item);
    });
    tags = post.tags.map((tag) => ({
      product: tag.product,
      skuId: tag.sku_id,
      key: tag.media_id == null ? null : keys.get(tag.media_id) ?? null,
      x: tag.x,
      y: tag.y,
    }));
    const first = items.find((item) => item.kind === "image");
    selectedKey = first ? first.key : null;
  }

  if (editing) startFrom(editing);
  count();
  renderStrip();
})();
