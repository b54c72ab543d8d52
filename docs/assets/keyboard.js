/* Keyboard and print help for every page. A file, not an inline script:
   the Content-Security-Policy allows scripts only from the site's files.

   1. The theme's phone menu button is a <label> for a hidden checkbox,
      which a keyboard cannot reach. Put a real button inside it: Enter
      and Space open the menu, Escape closes it, and aria-expanded says
      which. (The closed drawer's links are taken out of the Tab order in
      library.css; its closed panels here.)
   2. Printed pages show each link's full address after the link. */
(function () {
  "use strict";

  var drawer = document.getElementById("__drawer");
  var label = document.querySelector('.md-header label[for="__drawer"]');
  var sidebar = document.querySelector(".md-sidebar--primary");

  if (drawer && label) {
    // A real button, inside the theme's label (a label may hold no role,
    // and a click on a button inside it does not reach the checkbox).
    var button = document.createElement("button");
    button.type = "button";
    button.className = "lib-menu-button";
    button.setAttribute("aria-label", "Menu");
    while (label.firstChild) button.appendChild(label.firstChild);
    label.appendChild(button);
    if (sidebar) {
      if (!sidebar.id) sidebar.id = "lib--menu";
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
    button.addEventListener("click", function (event) {
      var opening = !drawer.checked;
      setOpen(opening);
      // From the keyboard (Enter or Space: a click with no pointer): into the menu.
      if (opening && sidebar && event.detail === 0) {
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
    if (sidebar) keepPanelsOutOfReach(sidebar);
  }

  /* In the phone menu, each section (Browse, About, the page's contents)
     is a panel that slides in over the list that holds it. A closed panel,
     and the list under an open one, are out of sight but were still in the
     Tab order: focus vanished into them. Make them inert while so. */
  function keepPanelsOutOfReach(sidebar) {
    var phone = window.matchMedia("(max-width: 76.234375em)");  // where the theme has the drawer
    var toggles = sidebar.querySelectorAll("input.md-nav__toggle");
    var setInert = function (element, inert) {
      if (!element) return;
      if (inert) element.setAttribute("inert", "");
      else element.removeAttribute("inert");
    };
    var syncPanels = function () {
      var lists = [];
      for (var i = 0; i < toggles.length; i++) {
        var item = toggles[i].parentElement;
        var panel = item.querySelector(":scope > .md-nav");
        setInert(panel, phone.matches && !toggles[i].checked);
        if (lists.indexOf(item.parentElement) < 0) lists.push(item.parentElement);
      }
      for (var j = 0; j < lists.length; j++) {
        var list = lists[j];
        var open = null;
        for (var k = 0; k < list.children.length; k++) {
          var toggle = list.children[k].querySelector(":scope > input.md-nav__toggle");
          if (toggle && toggle.checked && list.children[k].querySelector(":scope > .md-nav")) open = list.children[k];
        }
        // With a panel open over it, the rest of the list and its title are behind it.
        var covered = phone.matches && open !== null;
        for (var m = 0; m < list.children.length; m++) {
          if (list.children[m] !== open) setInert(list.children[m], covered);
        }
        var title = list.parentElement && list.parentElement.querySelector(":scope > .md-nav__title");
        setInert(title, covered);
      }
    };
    var focusable = function (panel) {
      return panel && panel.querySelector("a[href], [tabindex='0']");
    };
    Array.prototype.forEach.call(toggles, function (toggle) {
      var item = toggle.parentElement;
      var panel = item.querySelector(":scope > .md-nav");
      var opener = item.querySelector(":scope > label.md-nav__link, :scope > .md-nav__link");
      // The panel's title is its way back: a control a keyboard reaches.
      var back = panel && panel.querySelector(":scope > label.md-nav__title");
      if (back) {
        back.setAttribute("tabindex", "0");  // as the theme's own section labels
        back.addEventListener("keydown", function (event) {
          if (event.key !== "Enter" && event.key !== " ") return;
          event.preventDefault();
          event.stopPropagation();  // the theme's own handler would toggle it back
          toggle.checked = false;
          toggle.dispatchEvent(new Event("change", { bubbles: true }));
          if (opener) opener.focus({ preventScroll: true });
        });
      }
      toggle.addEventListener("change", function () {
        syncPanels();
        // Opened from the keyboard: into the panel, whose opener is now behind it.
        if (toggle.checked && phone.matches && document.activeElement === opener) {
          var first = focusable(panel);
          // Without scrolling: the panel is still sliding in, and scrolling
          // the menu to it now would leave the menu shifted when it arrives.
          if (first) first.focus({ preventScroll: true });
        }
      });
    });
    if (phone.addEventListener) phone.addEventListener("change", syncPanels);
    syncPanels();
  }

  function decoded(text) {
    try { return decodeURIComponent(text); } catch (e) { return text; }
  }

  // Everyone an email link writes to, its copies too: a `?bcc=` left out of
  // the printed address hid where the mail also went (fortieth round).
  function recipients(address) {
    var at = address.indexOf("?");
    var shown = [decoded(at < 0 ? address : address.slice(0, at))];
    if (at >= 0) {
      address.slice(at + 1).split("&").forEach(function (pair) {
        var eq = pair.indexOf("=");
        var key = decoded(eq < 0 ? pair : pair.slice(0, eq)).toLowerCase();
        if (eq >= 0 && (key === "to" || key === "cc" || key === "bcc")) shown.push(key + ": " + decoded(pair.slice(eq + 1)));
      });
    }
    return shown.filter(function (part) { return part; }).join(", ");
  }

  // Print: the address after each link, absolute so it can be typed in.
  var links = document.querySelectorAll(".md-content a[href]");
  for (var i = 0; i < links.length; i++) {
    var link = links[i];
    var raw = link.getAttribute("href");
    if (!raw || raw.charAt(0) === "#" || link.classList.contains("headerlink")) continue;
    var shown = raw.indexOf("mailto:") === 0 ? recipients(raw.slice(7)) : link.href;
    if (link.textContent.trim() === shown) continue;
    link.setAttribute("data-print-href", shown);
  }
})();
