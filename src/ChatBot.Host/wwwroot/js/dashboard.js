// 工作台 charts. The data comes from <script type="application/json" id="dashboard-data"> (the CSP forbids inline
// script), drawn with the vendored ECharts; each chart resizes with the window so it stays readable on a phone.
(function () {
  var source = document.getElementById("dashboard-data");
  if (!source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent || "{}");
  var charts = [];

  function draw(id, option) {
    var element = document.getElementById(id);
    if (!element) return;
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption(option);
    charts.push(chart);
  }

  var categoryAxis = { type: "category", data: data.branches, axisLabel: { interval: 0, width: 80, overflow: "truncate" } };
  draw("chart-completion", {
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "无任务" : v + "%"; } },
    grid: { left: 40, right: 10, bottom: 60, top: 20 },
    xAxis: categoryAxis,
    yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
    series: [{ type: "bar", name: "完成率", data: data.completion, itemStyle: { color: "#b91c1c" } }]
  });
  draw("chart-binding", {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 40, right: 10, bottom: 60, top: 30 },
    xAxis: categoryAxis,
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { type: "bar", stack: "m", name: "已绑定", data: data.bound, itemStyle: { color: "#15803d" } },
      { type: "bar", stack: "m", name: "未绑定", data: data.unbound, itemStyle: { color: "#d1d5db" } }
    ]
  });
  var colours = { Sent: "#15803d", Failed: "#b91c1c", Skipped: "#9ca3af", Unknown: "#d97706", Pending: "#2563eb" };
  draw("chart-deliveries", {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 40, right: 10, bottom: 30, top: 30 },
    xAxis: { type: "category", data: data.days },
    yAxis: { type: "value", minInterval: 1 },
    series: (data.deliveries || []).map(function (s) {
      return { type: "bar", stack: "d", name: s.name, data: s.data, itemStyle: { color: colours[s.status] } };
    })
  });

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
