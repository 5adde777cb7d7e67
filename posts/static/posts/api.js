// What the posts scripts share to talk to the API (API.md): the CSRF token, an upload with
// progress, and the API's error shape {"error": {code, message, fields}} turned into sentences.
(() => {
  "use strict";

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (_) {
      return "";
    }
  }

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
    const names = {
      tags: "Product tag",
      product_id: "",
      sku_id: "variety",
      media_id: "photo",
      x: "position",
      y: "position",
      media_ids: "Photos",
      alt_texts: "Photo description",
      text: "Text",
      location: "Location",
      visibility: "Who can see it",
    };
    if (/^\d+$/.test(name)) return `${where} ${Number(name) + 1}`;
    const label = name in names ? names[name] : name.replace(/_/g, " ");
    if (!label) return where;
    return where ? `${where}, ${label}` : label;
  }


  function parse(text) {
    try {
      return JSON.parse(text);
    } catch (_) {
      return null;
    }
  }

  // POSTs `file` as multipart `file` to `url`; onProgress(percent) while the bytes go up.
  // Resolves {status, body} once the server answered; rejects when the network failed.
  function upload(url, file, onProgress) {
    const xhr = new XMLHttpRequest();
    const done = new Promise((resolve, reject) => {
      xhr.open("POST", url);
      xhr.setRequestHeader("X-CSRFToken", csrfToken());
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", (event) => {
        if (event.lengthComputable) onProgress(Math.floor((event.loaded / event.total) * 100));
      });
      xhr.addEventListener("load", () => resolve({ status: xhr.status, body: parse(xhr.responseText) }));
      xhr.addEventListener("error", () => reject(new Error("network")));
      xhr.addEventListener("abort", () => reject(new Error("aborted")));
      const body = new FormData();
      body.append("file", file);
      xhr.send(body);
    });
    return { done, abort: () => xhr.abort() };
  }

  function money(product) {
    if (product.price == null) return "";
    return product.currency === "CNY" ? `¥${product.price}` : `${product.price} ${product.currency}`;
  }

  window.wom = window.wom || {};
  window.wom.posts = Object.assign(window.wom.posts || {}, { csrfToken, apiErrorText, upload, money });
})();
