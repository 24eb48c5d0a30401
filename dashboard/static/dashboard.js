// The dashboard's only script besides htmx. htmx does not swap non-2xx answers, so failures of the
// polled fragments would go unnoticed: this shows them in one banner and clears it on the next
// good answer. It also announces (once, not on every poll) when Redis goes away and comes back.
(function () {
  "use strict";
  var banner = document.getElementById("banner");
  var bannerText = document.getElementById("banner-text");
  var loginLink = document.getElementById("banner-login");
  var announcer = document.getElementById("announcer");
  var redisState = "ok";
  var sticky = false; // a refused action stays on screen until the next action, not the next poll

  function show(text, needsLogin) {
    if (!banner) { return; }
    bannerText.textContent = text;
    loginLink.hidden = !needsLogin;
    banner.hidden = false;
  }

  function announce(text) {
    if (announcer) { announcer.textContent = text; }
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    if (status === 401) {
      show("Your session has expired: the numbers have stopped updating.", true);
    } else if (status === 403) {
      show("That action was refused (the page may be stale): reload the page.", false);
      sticky = true;
    } else {
      show("The server answered with an error (" + status + "); retrying.", false);
    }
  });

  document.addEventListener("htmx:sendError", function () {
    show("The server does not answer; retrying.", false);
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt && event.detail.elt.tagName === "FORM") { sticky = false; }
  });

  document.addEventListener("htmx:afterSwap", function () {
    if (banner && !sticky) { banner.hidden = true; }
    var status = document.getElementById("status");
    var state = status ? status.getAttribute("data-state") : redisState;
    if (state !== redisState) {
      announce(state === "unavailable" ? "Redis unavailable; the numbers will come back by themselves."
                                       : "Redis is back; the numbers are live again.");
      redisState = state;
    }
  });
})();
