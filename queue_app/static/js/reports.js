// Draws the reports page's charts from the JSON the page carries; the same numbers are in
// the tables beside them, so nothing is lost without JavaScript.
(function () {
  "use strict";
  var source = document.getElementById("report-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var report = data.report;
  var labels = data.labels;
  var BLUE = "#0b4f8a";
  var ORANGE = "#b35900";
  var GREY = "#767676";
  Chart.defaults.color = "#111";
  Chart.defaults.animation = false;

  function name(code) { return data.names[code] || code; }
  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas) { return; }
    config.options = Object.assign({responsive: true, maintainAspectRatio: false},
                                   config.options || {});
    canvas.chart = new Chart(canvas, config);
    canvas.setAttribute("data-drawn", "true");
  }

  var services = report.services.filter(function (r) { return r.arrivals > 0; });
  draw("chart-waits", {
    type: "bar",
    data: {
      labels: services.map(function (r) { return name(r.service); }),
      datasets: [
        {label: labels.p50, data: services.map(function (r) { return r.wait_p50_minutes; }),
         backgroundColor: BLUE},
        {label: labels.p90, data: services.map(function (r) { return r.wait_p90_minutes; }),
         backgroundColor: ORANGE},
        {label: labels.target, type: "line", showLine: false, pointStyle: "line",
         pointRadius: 14, borderWidth: 3, borderColor: GREY,
         data: services.map(function (r) { return r.target_wait_minutes; })}]
    }
  });
  draw("chart-trend", {
    type: "line",
    data: {
      labels: report.weeks.map(function (w) { return w.week; }),
      datasets: [
        {label: labels.p50, data: report.weeks.map(function (w) { return w.wait_p50_minutes; }),
         borderColor: BLUE, backgroundColor: BLUE},
        {label: labels.p90, data: report.weeks.map(function (w) { return w.wait_p90_minutes; }),
         borderColor: ORANGE, backgroundColor: ORANGE, borderDash: [6, 4]}]
    }
  });
  var hours = report.staffing.by_hour;
  draw("chart-staffing", {
    type: "bar",
    data: {
      labels: hours.map(function (h) { return (h.hour < 10 ? "0" : "") + h.hour + ":00"; }),
      datasets: [
        {label: labels.needed, data: hours.map(function (h) { return h.needed_per_day; }),
         backgroundColor: ORANGE},
        {label: labels.open, data: hours.map(function (h) { return h.open_per_day; }),
         backgroundColor: BLUE}]
    }
  });
  var rated = report.feedback.filter(function (f) { return f.count > 0; });
  draw("chart-feedback", {
    type: "bar",
    data: {
      labels: rated.map(function (f) { return name(f.service); }),
      datasets: [{label: labels.rating, backgroundColor: BLUE,
                  data: rated.map(function (f) { return f.mean_rating; })}]
    },
    options: {scales: {y: {min: 0, max: 5}}}
  });
})();
