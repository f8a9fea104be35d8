// A page refused for a moment (a booking rush): send the same request again once the
// seconds the server named (data-retry-after, from Retry-After) have passed. Up to one
// second more at random, so a crowd's retries spread out instead of returning together.
(function () {
  "use strict";
  var form = document.querySelector("form[data-retry-after]");
  if (!form) {
    return;
  }
  var seconds = parseInt(form.getAttribute("data-retry-after"), 10);
  if (!(seconds >= 1)) {
    seconds = 2;
  }
  window.setTimeout(function () {
    form.submit();
  }, (seconds + Math.random()) * 1000);
})();
