/* Keyboard and print help for every page. A file, not an inline script:
   the Content-Security-Policy allows scripts only from the site's files.

   1. The theme's phone menu button is a <label> for a hidden checkbox,
      which a keyboard cannot reach. Make it a real button to assistive
      technology: focusable, Enter and Space open it, Escape closes it,
      and aria-expanded says which. (The closed drawer's links are taken
      out of the Tab order in library.css.)
   2. Printed pages show each link's full address after the link. */
(function () {
  "use strict";

  var drawer = document.getElementById("__drawer");
  var button = document.querySelector('.md-header label[for="__drawer"]');
  var sidebar = document.querySelector(".md-sidebar--primary");

  if (drawer && button) {
    button.setAttribute("role", "button");
    button.setAttribute("tabindex", "0");
    button.setAttribute("aria-label", "Menu");
    if (sidebar) {
      if (!sidebar.id) sidebar.id = "lib-menu";
      button.setAttribute("aria-controls", sidebar.id);
    }
    var sync = function () {
      button.setAttribute("aria-expanded", drawer.checked ? "true" : "false");
    };
    var setOpen = function (open) {
      if (drawer.checked !== open) {
        drawer.checked = open;
        drawer.dispatchEvent(new Event("change", { bubbles: true }));
      }
      sync();
    };
    sync();
    drawer.addEventListener("change", sync);
    button.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" && event.key !== " ") return;
      event.preventDefault();
      var opening = !drawer.checked;
      setOpen(opening);
      if (opening && sidebar) {
        // Into the menu, once it is visible (library.css shows it at once).
        var first = sidebar.querySelector("a[href], input, [tabindex='0']");
        if (first) first.focus();
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && drawer.checked) {
        setOpen(false);
        button.focus();
      }
    });
  }

  // Print: the address after each link, absolute so it can be typed in.
  var links = document.querySelectorAll(".md-content a[href]");
  for (var i = 0; i < links.length; i++) {
    var link = links[i];
    var raw = link.getAttribute("href");
    if (!raw || raw.charAt(0) === "#" || link.classList.contains("headerlink")) continue;
    var shown = raw.indexOf("mailto:") === 0 ? raw.slice(7).split("?")[0] : link.href;
    if (link.textContent.trim() === shown) continue;
    link.setAttribute("data-print-href", shown);
  }
})();
