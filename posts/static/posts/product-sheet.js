// The composer's "tag a product" sheet: a dialog that searches the shop (GET products?q=, API.md)
// as one types and hands the chosen product to whoever opened it.
(() => {
  "use strict";

  const sheet = document.querySelector("[data-product-sheet]");
  if (!sheet) return;
  const search = sheet.querySelector("[data-product-search]");
  const results = sheet.querySelector("[data-product-results]");
  const { apiErrorText, money } = window.wom.posts;
  let url = "";
  let onPick = null;
  let searchTimer = null;
  let searchSerial = 0;

  function note(text, className = "muted") {
    results.textContent = "";
    const line = document.createElement("li");
    line.className = className;
    line.textContent = text;
    results.appendChild(line);
  }

  function runSearch(query) {
    const serial = ++searchSerial;
    const address = `${url}?${new URLSearchParams({ q: query })}`;
    fetch(address, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => response.json().then((body) => ({ ok: response.ok, status: response.status, body })))
      .then(({ ok, status, body }) => {
        if (serial !== searchSerial) return; // an older answer arriving late
        if (!ok) {
          note(apiErrorText(status, body));
          return;
        }
        const found = body.results || [];
        if (!found.length) {
          note("No product matches.", "muted product-results-empty");
          return;
        }
        results.textContent = "";
        found.forEach((product) => results.appendChild(resultRow(product)));
      })
      .catch(() => {
        if (serial === searchSerial) note("Could not search. Check your connection.");
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
      const pick = onPick;
      onPick = null;
      sheet.close();
      if (pick) pick({ id: product.id, name: product.name, price: product.price, currency: product.currency });
    });
    row.appendChild(button);
    return row;
  }

  // open(productsUrl, pick): shows the sheet; pick(product) is called if one is chosen.
  function open(productsUrl, pick) {
    url = productsUrl;
    onPick = pick;
    results.textContent = "";
    search.value = "";
    if (typeof sheet.showModal === "function") sheet.showModal();
    else sheet.setAttribute("open", "");
    search.focus();
    runSearch("");
  }

  search.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => runSearch(search.value.trim()), 220);
  });
  search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault(); // the sheet's form would close it
  });

  window.wom.posts.productSheet = { open };
})();
