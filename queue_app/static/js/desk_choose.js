// The desk chooser: when another desk is chosen, each service is enabled where the clerk
// may serve it and the desk offers it, else disabled with the reason beside it (the same
// rule as domain/places.py; the server checks it again on sign-in).
(function () {
  "use strict";
  var select = document.getElementById("desk");
  var fieldset = document.getElementById("desk-services");
  var offer = document.getElementById("desk-offer");
  if (!select || !fieldset) { return; }
  var competent = fieldset.dataset.competent.split(" ").filter(Boolean);

  function update() {
    var option = select.options[select.selectedIndex];
    var listed = option ? option.dataset.services.split(" ").filter(Boolean) : [];
    offer.textContent = listed.length ? offer.dataset.some : offer.dataset.all;
    fieldset.querySelectorAll(".choice").forEach(function (row) {
      var code = row.dataset.service;
      var box = row.querySelector("input");
      var why = row.querySelector("#why-" + CSS.escape(code));
      var mine = competent.indexOf(code) !== -1;
      var offered = !listed.length || listed.indexOf(code) !== -1;
      row.hidden = !mine && listed.indexOf(code) === -1;
      var reason = !mine ? fieldset.dataset.notCompetent
        : (!offered ? fieldset.dataset.notOffered : "");
      if (reason) {
        box.checked = false;
        box.disabled = true;
        why.textContent = "(" + reason + ")";
      } else {
        if (box.disabled) { box.checked = true; }
        box.disabled = false;
        why.textContent = "";
      }
    });
  }
  select.addEventListener("change", update);
})();
