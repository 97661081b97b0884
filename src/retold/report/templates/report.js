(function () {
  "use strict";
  var chosen = null;
  function ids(el) {
    return (el.getAttribute("data-p") || "").split(" ").filter(function (s) {
      return /^[0-9]+$/.test(s);
    });
  }
  function light(p, cls, yes) {
    document.querySelectorAll('.seg[data-p~="' + p + '"]').forEach(function (el) {
      el.classList.toggle(cls, yes);
    });
  }
  function select(p) {
    if (chosen !== null) { light(chosen, "on", false); }
    chosen = p;
    light(p, "on", true);
  }
  document.querySelectorAll("a[data-p]").forEach(function (el) {
    el.addEventListener("mouseenter", function () {
      ids(el).forEach(function (p) { light(p, "hl", true); });
    });
    el.addEventListener("mouseleave", function () {
      ids(el).forEach(function (p) { light(p, "hl", false); });
    });
    el.addEventListener("click", function (ev) {
      var href = el.getAttribute("href") || "";
      var target = document.getElementById(href.slice(1));
      var p = ids(el)[0];
      if (!target || p === undefined) { return; }
      ev.preventDefault();
      select(p);
      target.scrollIntoView({ block: "center", behavior: "smooth" });
      history.replaceState(null, "", href);
    });
  });
  var m = /^#[ab]-p([0-9]+)$/.exec(location.hash);
  if (m) { select(m[1]); }
})();
