/* The funding page's charts, drawn with Chart.js (served from npm, no CDN).
 *
 * The figures come from the page itself: a non-executable JSON block rendered by
 * Django's json_script (id "funding-chart-data"), so no inline script is needed and
 * a strict Content-Security-Policy holds. Every chart has a table beside it with the
 * same figures; the charts only draw them.
 */
(function () {
  "use strict";

  var source = document.getElementById("funding-chart-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  // The series' names in the page's language (funding/tables.py, chart_data).
  var text = data.text;
  var Chart = window.Chart;
  var charts = [];

  var colours = {
    budget: "#adb5bd",
    paid: "#146c43",
    committed: "#0d6efd",
    pledged: "#9ec5fe",
    cumulativePledged: "#6f42c1",
    cumulativePaid: "#fd7e14"
  };
  var numberFormat = new Intl.NumberFormat(document.documentElement.lang || "en", {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2
  });

  function numbers(values) {
    return values.map(function (value) {
      return value === null ? null : Number(value);
    });
  }

  function money(value) {
    return numberFormat.format(value) + " " + data.currency;
  }

  function tooltip() {
    return {
      callbacks: {
        label: function (context) {
          return context.dataset.label + ": " + money(context.parsed[context.chart.options.indexAxis === "y" ? "x" : "y"] || 0);
        }
      }
    };
  }

  function baseOptions(horizontal) {
    var valueAxis = {
      stacked: true,
      beginAtZero: true,
      title: { display: true, text: data.currency },
      ticks: {
        callback: function (value) {
          return new Intl.NumberFormat(document.documentElement.lang || "en", {
            notation: "compact"
          }).format(value);
        }
      }
    };
    var categoryAxis = { stacked: true };
    return {
      indexAxis: horizontal ? "y" : "x",
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { tooltip: tooltip(), legend: { position: "bottom" } },
      scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis }
    };
  }

  /* Paid, committed-but-unpaid and pledged-but-uncommitted, stacked: the bar's height is
   * what was pledged. Where lines have a budget, it stands beside them in its own stack. */
  function stackedFunding(canvasId, block, horizontal) {
    var canvas = document.getElementById(canvasId);
    if (!canvas || !block.labels.length) {
      return;
    }
    var datasets = [
      { label: text.paid, data: numbers(block.paid), backgroundColor: colours.paid, stack: "funding" },
      {
        label: text.committed_unpaid,
        data: numbers(block.committed_unpaid),
        backgroundColor: colours.committed,
        stack: "funding"
      },
      {
        label: text.pledged_uncommitted,
        data: numbers(block.pledged_uncommitted),
        backgroundColor: colours.pledged,
        stack: "funding"
      }
    ];
    if (block.budget.some(function (value) { return value !== null; })) {
      datasets.unshift({
        label: text.budget,
        data: numbers(block.budget),
        backgroundColor: colours.budget,
        stack: "budget"
      });
    }
    if (horizontal) {
      // Room for every donor: the container grows with the number of bars.
      canvas.parentNode.style.height = Math.max(16, 3 + block.labels.length * 2.2) + "rem";
    }
    charts.push(new Chart(canvas, {
      type: "bar",
      data: { labels: block.labels, datasets: datasets },
      options: baseOptions(horizontal)
    }));
  }

  function timeSeries(canvasId, block) {
    var canvas = document.getElementById(canvasId);
    if (!canvas || !block.labels.length) {
      return;
    }
    var options = baseOptions(false);
    options.scales.x.stacked = false;
    options.scales.y.stacked = false;
    charts.push(new Chart(canvas, {
      type: "bar",
      data: {
        labels: block.labels,
        datasets: [
          { label: text.pledged_quarter, data: numbers(block.pledged), backgroundColor: colours.pledged },
          { label: text.paid_quarter, data: numbers(block.paid), backgroundColor: colours.paid },
          {
            type: "line",
            label: text.pledged_to_date,
            data: numbers(block.cumulative_pledged),
            borderColor: colours.cumulativePledged,
            backgroundColor: colours.cumulativePledged
          },
          {
            type: "line",
            label: text.paid_to_date,
            data: numbers(block.cumulative_paid),
            borderColor: colours.cumulativePaid,
            backgroundColor: colours.cumulativePaid
          }
        ]
      },
      options: options
    }));
  }

  stackedFunding("chart-pillars", data.pillars, false);
  stackedFunding("chart-donors", data.donors, true);
  timeSeries("chart-quarters", data.quarters);

  // Canvases keep their screen size when printing unless told to resize.
  function resizeAll() {
    charts.forEach(function (chart) { chart.resize(); });
  }
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
  if (window.matchMedia) {
    window.matchMedia("print").addEventListener("change", resizeAll);
  }

  document.querySelectorAll("[data-action='print']").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // Lets a browser test know the charts were drawn.
  document.documentElement.setAttribute("data-funding-charts", String(charts.length));
})();
