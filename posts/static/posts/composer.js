// The composer: photos (or one video) uploaded one by one to the media API with a progress bar
// each, reordered by dragging (pointer events: mouse, pen and touch), product tags dropped on a
// photo, then the post saved through the posts API (API.md). Uses api.js, reorder.js and
// product-sheet.js.
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
  const { csrfToken, apiErrorText, upload: send, money, productSheet, reorderable } = window.wom.posts;

  // items: what is in the strip, in order. key is local; mediaId arrives with the upload's answer.
  let items = [];
  let tags = [];
  let selectedKey = null;
  let nextKey = 1;

  function showErrors(message) {
    errorsBox.textContent = message || "";
    // The box sits in the sticky bar by the buttons: seen without scrolling.
    errorsBox.hidden = !message;
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
    if (item.abort) item.abort();
    if (item.file && item.preview) URL.revokeObjectURL(item.preview);
    items = items.filter((other) => other !== item);
    tags = tags.filter((tag) => tag.key !== key);
    if (selectedKey === key) selectedKey = items.length ? items[0].key : null;
    renderStrip();
  }

  // --- Upload -------------------------------------------------------------------------------------

  function upload(item) {
    item.state = "uploading";
    const request = send(config.api.media, item.file, (percent) => {
      // 99 at most until the server answered: the bytes are sent, the check is not done.
      item.progress = Math.min(99, percent);
      paintTile(item);
    });
    item.abort = request.abort;
    request.done
      .then(({ status, body }) => {
        if ((status === 201 || status === 200) && body) {
          item.mediaId = body.id;
          item.state = body.status === "failed" ? "error" : "done";
          item.error = body.status === "failed" ? "Could not process this file." : "";
          item.progress = 100;
        } else {
          item.state = "error";
          item.error = apiErrorText(status, body);
          showErrors(item.error);
        }
      })
      .catch((failure) => {
        item.state = "error";
        item.error = failure.message === "aborted" ? "" : "Upload failed. Check your connection.";
      })
      .finally(() => {
        item.abort = null;
        paintTile(item);
      });
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

  // --- Drag to reorder (reorder.js), tap to select ----------------------------------------------

  reorderable(strip, {
    item: ".media-tile",
    ignore: ".media-tile-remove",
    onReorder(order) {
      const keys = order.map(Number);
      items.sort((a, b) => keys.indexOf(a.key) - keys.indexOf(b.key));
      renderStrip();
    },
    onTap(key) {
      if (byKey(Number(key)).kind !== "image") return;
      selectedKey = Number(key);
      renderStrip();
    },
  });

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

  // A tag at `spot` ({key, x, y} on a photo, or {} for the post as a whole), once a product is
  // chosen in the sheet.
  function openSheet(spot) {
    if (tags.length >= limits.tags) {
      showErrors(`Up to ${limits.tags} products per post.`);
      return;
    }
    productSheet.open(config.api.products, (product) => {
      tags.push({
        product,
        key: spot.key == null ? null : spot.key,
        x: spot.x == null ? null : spot.x,
        y: spot.y == null ? null : spot.y,
      });
      renderTags();
    });
  }

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
