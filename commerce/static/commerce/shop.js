// The shop pages' small behaviours, no framework: sort/filter controls submit their form, the SKU
// picker updates the price and the quantity limit, and the console's "add another SKU" button
// clones the formset's empty row.
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("[data-autosubmit]")) target.form.requestSubmit();
    if (target.matches('.sku-picker input[type="radio"]')) {
      var form = target.closest("form");
      var price = document.querySelector("[data-price]");
      if (price) price.textContent = target.dataset.price;
      var quantity = form.querySelector("[data-quantity]");
      if (quantity) {
        quantity.max = target.dataset.available;
        if (Number(quantity.value) > Number(quantity.max)) quantity.value = quantity.max;
      }
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-sku]");
    if (!button) return;
    var formset = document.getElementById(button.dataset.addSku);
    var total = formset.querySelector('input[name$="-TOTAL_FORMS"]');
    var template = formset.querySelector("template");
    var index = Number(total.value);
    var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
    formset.querySelector("[data-sku-rows]").insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var first = formset.querySelectorAll("[data-sku-row]")[index];
    if (first) first.querySelector("input").focus();
  });
})();
