/* The "/" shortcut: focus the search box, as the theme's search did.
 * On the finder page that is the finder's own box; elsewhere the header's.
 * Not while the reader is typing in a field. */
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var finder = document.getElementById("finder-q");
    var box = finder && finder.offsetParent !== null ? finder : document.getElementById("lib--site-search-q");
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  });
})();
