// Article pages: the statement or relation a link points to (#st-.. or #rel-..) is highlighted in full.
(function () {
  function focus() {
    document.querySelectorAll(".focus").forEach(function (el) { el.classList.remove("focus"); });
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    var parts = document.querySelectorAll("[data-facts]");
    var first = null;
    parts.forEach(function (el) {
      if (el.dataset.facts.split(" ").indexOf(id) >= 0) {
        el.classList.add("focus");
        first = first || el;
      }
    });
    if (first) first.scrollIntoView({ block: "center" });
  }
  window.addEventListener("hashchange", focus);
  if (document.readyState !== "loading") focus(); else document.addEventListener("DOMContentLoaded", focus);
})();
