// A post's page: the carousel's dots and counter follow the scroll (CSS scroll-snap does the
// sliding), one product card open at a time, and the comment box grows with its text.
// Delegated from the document, so parts swapped in by htmx (polling, actions) keep working.
(() => {
  "use strict";

  function slides(carousel) {
    return [...carousel.querySelectorAll(".slide")];
  }

  function currentIndex(carousel) {
    const width = carousel.clientWidth || 1;
    return Math.round(carousel.scrollLeft / width);
  }

  function paint(carousel) {
    const box = carousel.closest(".post-media");
    if (!box) return;
    const index = currentIndex(carousel);
    box.querySelectorAll(".carousel-dot").forEach((dot, i) => {
      if (i === index) dot.setAttribute("aria-current", "true");
      else dot.removeAttribute("aria-current");
    });
    const label = box.querySelector("[data-current]");
    if (label) label.textContent = String(index + 1);
  }

  document.addEventListener(
    "scroll",
    (event) => {
      const carousel = event.target;
      if (carousel instanceof Element && carousel.matches("[data-carousel]")) {
        window.requestAnimationFrame(() => paint(carousel));
      }
    },
    true,
  );

  document.addEventListener("click", (event) => {
    const dot = event.target.closest(".carousel-dot");
    if (dot) {
      const carousel = dot.closest(".post-media").querySelector("[data-carousel]");
      const target = slides(carousel)[Number(dot.dataset.dot)];
      if (target) carousel.scrollTo({ left: target.offsetLeft, behavior: "smooth" });
      return;
    }
    // A click outside an open product card (or save sheet) closes it.
    document.querySelectorAll("details[data-tag][open], .post-save-picker[open]").forEach((open) => {
      if (!open.contains(event.target)) open.removeAttribute("open");
    });
  });

  // Opening one product card closes the others.
  document.addEventListener(
    "toggle",
    (event) => {
      const opened = event.target;
      if (!(opened instanceof HTMLDetailsElement) || !opened.open || !opened.matches("[data-tag]")) return;
      document.querySelectorAll("details[data-tag][open]").forEach((other) => {
        if (other !== opened) other.removeAttribute("open");
      });
    },
    true,
  );

  document.addEventListener("keydown", (event) => {
    const carousel = event.target.closest && event.target.closest("[data-carousel]");
    if (carousel && (event.key === "ArrowLeft" || event.key === "ArrowRight")) {
      event.preventDefault();
      const step = event.key === "ArrowRight" ? 1 : -1;
      const target = slides(carousel)[currentIndex(carousel) + step];
      if (target) carousel.scrollTo({ left: target.offsetLeft, behavior: "smooth" });
    }
    if (event.key === "Escape") {
      document.querySelectorAll("details[data-tag][open], .post-save-picker[open]").forEach((open) => open.removeAttribute("open"));
    }
  });

  document.addEventListener("input", (event) => {
    if (event.target.id !== "comment-text") return;
    event.target.style.height = "auto";
    event.target.style.height = `${Math.min(event.target.scrollHeight, 160)}px`;
  });
})();
