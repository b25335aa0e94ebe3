// cqp default theme: progressive enhancement only. Every page works
// without this file; with it, the main menu folds behind a button on
// narrow screens. No inline script or style, so a strict
// Content-Security-Policy (default-src 'self') does not break it.
(function () {
  "use strict";
  var nav = document.getElementById("menu");
  if (!nav || !nav.querySelector("ul")) {
    return;
  }
  var list = nav.querySelector("ul");
  if (!list.id) {
    list.id = "menu-liste";
  }
  var button = document.createElement("button");
  button.type = "button";
  button.className = "menu-toggle";
  button.textContent = nav.getAttribute("data-toggle") || "Menu";
  button.setAttribute("aria-controls", list.id);
  button.setAttribute("aria-expanded", "false");
  nav.setAttribute("data-open", "false");
  nav.insertBefore(button, list);
  document.documentElement.classList.add("js");
  button.addEventListener("click", function () {
    var open = nav.getAttribute("data-open") !== "true";
    nav.setAttribute("data-open", open ? "true" : "false");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && nav.getAttribute("data-open") === "true") {
      nav.setAttribute("data-open", "false");
      button.setAttribute("aria-expanded", "false");
      button.focus();
    }
  });
})();
