/* Material for MkDocs 9.8 partials/javascripts/outdated.html, moved into a file (see base.js). */
var el=document.querySelector("[data-md-component=outdated]"),base=new URL(document.currentScript.dataset.mdBase,location),outdated=__md_get("__outdated",sessionStorage,base);!0===outdated&&el&&(el.hidden=!1)
