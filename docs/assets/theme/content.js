/* Material for MkDocs 9.8 partials/javascripts/content.html, moved into a file (see base.js).
 * The content.tabs.link part is left out: that feature is not enabled. */
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))
