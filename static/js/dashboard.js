/* The dashboard's charts (Apache ECharts, vendored). Data comes from json_script blocks in the page.
 * ECharts (1 MB) is fetched only when a chart is on screen: not on a phone until 查看图表 is tapped. Its URL
 * (data-echarts on this script) is the hashed static name, cached for a year by whitenoise in production,
 * so a repeat visit draws from the browser's cache. */
(function () {
  "use strict";
  var me = document.currentScript;
  var showButton = document.querySelector("[data-show-charts]");
  var loading = false;

  function visible(id) {
    var node = document.getElementById(id);
    return node && node.offsetParent !== null ? node : null;
  }

  function load() {
    if (loading || !(visible("chart-rates") || visible("chart-trend"))) { return; }
    loading = true;
    var script = document.createElement("script");
    script.src = me.getAttribute("data-echarts");
    script.onload = draw;
    document.head.appendChild(script);
  }

  if (showButton) {
    showButton.addEventListener("click", function () {
      document.querySelector(showButton.getAttribute("data-show-charts")).classList.remove("d-none");
      showButton.parentNode.classList.add("d-none");
      load();
    });
  }
  window.addEventListener("beforeprint", load);
  load();

  function draw() {
  var COLOURS = { green: "#198754", amber: "#ffc107", red: "#dc3545", none: "#6c757d" };
  var charts = [];

  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  var town = data("chart-town-data");
  var ratesNode = document.getElementById("chart-rates");
  if (town && ratesNode) {
    var rates = echarts.init(ratesNode, null, { renderer: "svg" });
    rates.setOption({
      animation: false,
      grid: { left: 40, right: 16, top: 24, bottom: 40 },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null ? "—" : v + "%"; } },
      legend: { data: ["完成率", "目标值"], top: 0 },
      xAxis: { type: "category", data: town.ids, axisLabel: { interval: 0, rotate: town.ids.length > 10 ? 45 : 0 } },
      yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      series: [
        { name: "完成率", type: "bar", data: town.rates.map(function (v, i) {
            return { value: v, itemStyle: { color: COLOURS[town.status[i]] } }; }) },
        { name: "目标值", type: "scatter", symbol: "rect", symbolSize: [18, 3], data: town.goals, itemStyle: { color: "#212529" } }
      ]
    });
    charts.push(rates);
  }

  var trend = data("chart-trend-data");
  var trendNode = document.getElementById("chart-trend");
  if (trend && trendNode && trend.dates.length) {
    var chart = echarts.init(trendNode, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 40, right: 16, top: 40, bottom: 30 },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : v + "%"; } },
      legend: { type: "scroll", top: 0 },
      xAxis: { type: "category", data: trend.dates },
      yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      series: trend.series.map(function (s) { return { name: s.id, type: "line", data: s.data, connectNulls: true }; })
    });
    charts.push(chart);
  }

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
  // The browser journey measures the time to a usable dashboard up to here (docs/benchmarks.md).
  if (window.performance && performance.mark) { performance.mark("wuxiao-charts-drawn"); }
  document.documentElement.setAttribute("data-charts-drawn", String(charts.length));
  }
})();
