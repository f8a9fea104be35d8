// After a refused form the summary of its problems takes the focus, so keyboard and
// screen-reader users start from the list (each entry links to its field).
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
  // A link to a field moves the focus there, not only the view.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("#error-summary a[href^='#']");
    if (!link) {
      return;
    }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (field) {
      event.preventDefault();
      field.focus();
      field.scrollIntoView({block: "center"});
    }
  });
}());
