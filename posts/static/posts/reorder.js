// Drag to reorder the children of a list with pointer events (mouse, pen and touch alike).
// A press that moves more than a few pixels drags the item under it; one that does not is a tap.
// The list holds the pointer capture and the dragged item ignores hits (CSS .is-dragging
// {pointer-events: none}), so the item under the finger is the one to swap places with.
(() => {
  "use strict";

  const DRAG_THRESHOLD = 6;

  // reorderable(list, {item, ignore, onReorder(keys), onTap(key)}): keys are data-key values.
  function reorderable(list, { item, ignore, onReorder, onTap }) {
    let drag = null;

    list.addEventListener("pointerdown", (event) => {
      const node = event.target.closest(item);
      if (!node || (ignore && event.target.closest(ignore)) || event.button > 0) return;
      drag = { node, x: event.clientX, y: event.clientY, moving: false };
      list.setPointerCapture(event.pointerId);
    });

    list.addEventListener("pointermove", (event) => {
      if (!drag) return;
      if (!drag.moving) {
        if (Math.hypot(event.clientX - drag.x, event.clientY - drag.y) < DRAG_THRESHOLD) return;
        drag.moving = true;
        drag.node.classList.add("is-dragging");
      }
      const over = document.elementFromPoint(event.clientX, event.clientY);
      const target = over && over.closest(item);
      if (!target || target === drag.node || target.parentNode !== list) return;
      const nodes = [...list.children];
      const before = nodes.indexOf(drag.node) > nodes.indexOf(target) ? target : target.nextSibling;
      list.insertBefore(drag.node, before);
    });

    function end(event) {
      if (!drag) return;
      const { node, moving } = drag;
      drag = null;
      node.classList.remove("is-dragging");
      if (list.hasPointerCapture(event.pointerId)) list.releasePointerCapture(event.pointerId);
      if (moving) onReorder([...list.children].map((child) => child.dataset.key));
      else if (event.type === "pointerup") onTap(node.dataset.key);
    }
    list.addEventListener("pointerup", end);
    list.addEventListener("pointercancel", end);
  }

  window.wom = window.wom || {};
  window.wom.posts = Object.assign(window.wom.posts || {}, { reorderable });
})();
