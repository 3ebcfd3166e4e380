/* The dashboard's charts (Apache ECharts, vendored). Data comes from json_script blocks in the page. */
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
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
})();
