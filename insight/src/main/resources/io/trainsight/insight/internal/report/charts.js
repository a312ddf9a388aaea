// Draws a trainsight report (or the live dashboard) with uPlot: the data is the JSON in
// #report-data; the live dashboard then polls /steps and /gpu-status and redraws.
(function () {
  "use strict";
  var errors = [];
  window.addEventListener("error", function (e) {
    errors.push(String(e.message));
    document.body.setAttribute("data-errors", errors.join(" | "));
  });

  var COLORS = ["#4a6fdc", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
  var SEVERITY = { critical: "rgba(214,39,40,0.13)", warning: "rgba(255,159,26,0.16)", info: "rgba(74,111,220,0.10)" };
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var charts = [];
  var created = false;

  // Tells a reader (the browser test) that every chart drew once.
  function markDrawn() {
    if (created && charts.every(function (c) { return c.plot.tsDrawn; })) {
      document.body.setAttribute("data-charts-drawn", String(charts.length));
    }
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  function fmt(v, digits, unit) {
    if (v === null || v === undefined || isNaN(v)) return "-";
    return Number(v).toFixed(digits) + (unit || "");
  }
  function bytes(v) {
    if (v === null || v === undefined || v < 0) return "-";
    return v >= 1073741824 ? (v / 1073741824).toFixed(2) + " GiB" : (v / 1048576).toFixed(0) + " MiB";
  }

  function header() {
    document.getElementById("title").textContent = data.title;
    document.getElementById("subtitle").textContent = data.subtitle;
  }

  function figures() {
    var box = document.getElementById("figures");
    box.textContent = "";
    data.figures.forEach(function (f) {
      var cell = el("div", "figure");
      cell.appendChild(el("div", "v", f[1]));
      cell.appendChild(el("div", "k", f[0]));
      box.appendChild(cell);
    });
  }

  function findings() {
    var box = document.getElementById("findings");
    box.textContent = "";
    if (!data.findings.length) {
      box.appendChild(el("div", "none", data.live
        ? "None raised so far."
        : "None: not input-bound, no low utilisation, no OOM risk, no throttling, no GC pressure," +
          " no NDArray leak, no slowdown, no contention, no stalls (thresholds in the run details)."));
      return;
    }
    data.findings.forEach(function (f) {
      var card = el("div", "finding " + f.severity);
      var title = el("div", "t");
      title.appendChild(el("span", "sev", f.severity));
      title.appendChild(document.createTextNode(f.title + " on " + f.device + ", steps " +
        (f.first_step === f.last_step ? f.first_step : f.first_step + "-" + f.last_step) +
        (f.scope === "live" ? " (raised live)" : " (whole run)")));
      card.appendChild(title);
      card.appendChild(el("div", "s", f.summary));
      card.appendChild(el("div", "advice", "Try: " + f.advice));
      var details = el("details");
      details.appendChild(el("summary", null, "evidence"));
      var table = el("table");
      Object.keys(f.evidence).forEach(function (k) {
        var row = el("tr");
        row.appendChild(el("th", null, k));
        var v = f.evidence[k];
        row.appendChild(el("td", null, Array.isArray(v) ? v.join(", ") : String(v)));
        table.appendChild(row);
      });
      details.appendChild(table);
      card.appendChild(details);
      box.appendChild(card);
    });
  }

  function details() {
    var box = document.getElementById("details");
    box.textContent = "";
    if (!data.details) {
      document.getElementById("details-section").style.display = "none";
      return;
    }
    Object.keys(data.details).forEach(function (group) {
      var values = data.details[group];
      box.appendChild(el("h3", null, group));
      var table = el("table");
      Object.keys(values).forEach(function (k) {
        var v = values[k];
        var row = el("tr");
        row.appendChild(el("th", null, k));
        row.appendChild(el("td", null, v === null ? "-" : typeof v === "object" ? JSON.stringify(v) : String(v)));
        table.appendChild(row);
      });
      box.appendChild(table);
    });
  }

  // The stall episodes of the stall findings: "812-815: 48.2 ms lost ...; gc (...)".
  function stallEpisodes() {
    var episodes = [];
    data.findings.forEach(function (f) {
      if (f.kind !== "stall" || !f.evidence || !Array.isArray(f.evidence.episodes)) return;
      f.evidence.episodes.forEach(function (text) {
        var m = /^(\d+)(?:-(\d+))?: [^;]*; ([a-z-]+)/.exec(text);
        if (m) episodes.push({ first: +m[1], last: m[2] ? +m[2] : +m[1], cause: m[3] });
      });
    });
    return episodes;
  }

  // Marks the stall episodes on the step-time chart: a red line and the cause above it.
  function drawStalls(u) {
    var ctx = u.ctx;
    var episodes = stallEpisodes();
    if (u.root.parentNode) u.root.parentNode.setAttribute("data-stall-marks", String(episodes.length));
    episodes.forEach(function (e) {
      var x = u.valToPos((e.first + e.last) / 2, "x", true);
      if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
      ctx.save();
      ctx.strokeStyle = "#d62728";
      ctx.fillStyle = "#d62728";
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(x, u.bbox.top);
      ctx.lineTo(x, u.bbox.top + u.bbox.height);
      ctx.stroke();
      ctx.font = (11 * (window.devicePixelRatio || 1)) + "px sans-serif";
      ctx.fillText("stall: " + e.cause, x + 3, u.bbox.top + 12);
      ctx.restore();
    });
  }

  // Shades the steps of each finding on every chart.
  function findingBands(key) {
    return {
      hooks: {
        drawClear: [function (u) {
          var ctx = u.ctx;
          data.findings.forEach(function (f) {
            var x0 = u.valToPos(f.first_step - 0.5, "x", true);
            var x1 = u.valToPos(f.last_step + 0.5, "x", true);
            var left = Math.max(u.bbox.left, Math.min(x0, x1));
            var right = Math.min(u.bbox.left + u.bbox.width, Math.max(x0, x1));
            if (right <= left) return;
            ctx.save();
            ctx.fillStyle = SEVERITY[f.severity] || SEVERITY.info;
            ctx.fillRect(left, u.bbox.top, Math.max(right - left, 2), u.bbox.height);
            ctx.restore();
          });
        }],
        draw: [function (u) {
          if (key === "time") drawStalls(u);
          u.tsDrawn = true;
          // What the chart shows, for a reader that cannot see the canvas (the browser test).
          var box = u.root.parentNode;
          if (box && u.scales.y && u.scales.y.max !== null && u.scales.y.max !== undefined) {
            box.setAttribute("data-y-max", String(u.scales.y.max));
          }
          var first = (u.data[1] || []).filter(function (v) { return v !== null; });
          if (box && first.length) {
            box.setAttribute("data-first-max", String(Math.max.apply(null, first)));
          }
          markDrawn();
        }]
      }
    };
  }

  function width() {
    var w = document.getElementById("charts").getBoundingClientRect().width;
    return Math.max(480, Math.floor(w || 900));
  }

  function chart(key, title, note, series, columns, yLabel, yScale) {
    var box = el("div", "chart");
    box.setAttribute("data-chart", key);
    box.appendChild(el("h3", null, title));
    if (note) box.appendChild(el("div", "note", note));
    document.getElementById("charts").appendChild(box);
    var opts = {
      width: width(),
      height: 220,
      plugins: [findingBands(key)],
      scales: { x: { time: false }, y: yScale || {} },
      axes: [{ label: "step" }, { label: yLabel, size: 70 }],
      series: [{ label: "step" }].concat(series)
    };
    var u = new uPlot(opts, columns, box);
    charts.push({ plot: u, key: key });
    return u;
  }

  function nulls(a) {
    return a.map(function (v) { return v === null || v === undefined || isNaN(v) ? null : v; });
  }

  // The report's and the dashboard's chart columns, from the same series (bytes, ms, percent).
  function columnsOf(s) {
    var total = s.stepMs, compute = s.computeMs;
    var cols = { time: [s.step, nulls(total), nulls(compute), nulls(s.waitMs)], util: [s.step], memory: [s.step], power: [s.step], loss: [s.step, nulls(s.loss)],
      gc: [s.step, nulls(s.gcMs || [])], arrays: [s.step, nulls(s.liveArrays || [])],
      cpu: [s.step, nulls(s.systemCpu || []), nulls(s.processCpu || [])] };
    s.devices.forEach(function (d) {
      cols.util.push(nulls(d.util), nulls(d.utilMin));
      cols.memory.push(nulls(d.memory.map(function (v) { return v === null ? null : v / 1048576; })),
        nulls(d.capacity.map(function (v) { return v === null ? null : v / 1048576; })));
      cols.power.push(nulls(d.power));
    });
    return cols;
  }

  function hasValues(columns) {
    if (!columns) return false;
    for (var i = 1; i < columns.length; i++) {
      for (var j = 0; j < columns[i].length; j++) if (columns[i][j] !== null) return true;
    }
    return false;
  }

  function drawCharts() {
    var s = data.series;
    var cols = columnsOf(s);
    var host = data.source === "host";
    var devices = s.devices;
    chart("time", "Step time: data wait (orange) on top of compute (blue)",
      "Mean per point; " + (s.stride > 1 ? "each point covers " + s.stride + " steps. " : "") +
      "Shaded spans: the steps of the findings.",
      [{ label: "step time ms", stroke: "#ff9f1a", fill: "rgba(255,159,26,0.35)", width: 1 },
       { label: "compute ms", stroke: "#4a6fdc", fill: "rgba(74,111,220,0.45)", width: 1 },
       { label: "data wait ms", stroke: "#c96f00", width: 1, dash: [4, 3] }],
      cols.time, "ms");
    chart("gc", "GC pauses: milliseconds per step",
      hasValues(cols.gc) || data.live ? "Time the JVM stood still for garbage collection inside the steps (the collectors' own records)."
        : "Not recorded for this run.",
      [{ label: "GC pause ms per step", stroke: "#8c564b", fill: "rgba(140,86,75,0.25)", width: 1 }],
      cols.gc, "ms");
    chart("arrays", "Live NDArrays after each step",
      hasValues(cols.arrays) || data.live ? "Arrays alive in the model's NDManager and its children (the trainer's included); a line that climbs is a leak."
        : "Not counted: no NDManager was given to the insight.",
      [{ label: "live NDArrays", stroke: "#9467bd", width: 1.5 }],
      cols.arrays, "arrays");
    chart("cpu", "Host CPU: the machine and this process",
      hasValues(cols.cpu) || data.live ? "Percent of all cores; the gap between the lines is other processes."
        : "No host CPU readings (no monitor).",
      [{ label: "machine %", stroke: "#d62728", width: 1.5 },
       { label: "this process %", stroke: "#4a6fdc", width: 1.5 }],
      cols.cpu, "%", { range: [0, 100] });
    if (devices.length) {
      var util = [], mem = [], power = [];
      devices.forEach(function (d, i) {
        var c = COLORS[i % COLORS.length];
        util.push({ label: d.device + " mean %", stroke: c, width: 1.5 },
          { label: d.device + " min %", stroke: c, width: 1, dash: [3, 3] });
        mem.push({ label: d.device + " peak MiB", stroke: c, width: 1.5, fill: "rgba(74,111,220,0.08)" },
          { label: d.device + " capacity MiB", stroke: "#d62728", width: 1, dash: [6, 4] });
        power.push({ label: d.device + " W", stroke: c, width: 1.5 });
      });
      chart("util", host ? "Utilisation: process CPU share of the cores (no GPU)" : "GPU utilisation",
        host ? "The host stands in for a GPU: process CPU time over the cores the JVM may use." : null,
        util, cols.util, "%");
      chart("memory", host ? "Memory: resident set against the memory limit" : "GPU memory against capacity",
        "Logarithmic scale, so the peak and the capacity both show.", mem, cols.memory, "MiB",
        { distr: 3, log: 10 });
      if (!host) {
        chart("power", "Power", hasValues(cols.power) ? null : "No power readings from this GPU yet.",
          power, cols.power, "W");
      } else {
        var box = el("div", "chart");
        box.appendChild(el("h3", null, "Power"));
        box.appendChild(el("div", "note", "No power readings: the source is the host (no GPU)."));
        document.getElementById("charts").appendChild(box);
      }
    }
    chart("loss", "Training loss", null, [{ label: "loss", stroke: "#2ca02c", width: 1.5 }], cols.loss, "loss");
  }

  function render() {
    header();
    figures();
    findings();
    details();
    drawCharts();
    created = true;
    markDrawn();
  }

  // ---- live dashboard: poll the run's endpoints and redraw from the same series ----
  var live = { next: 0, polls: 0 };

  function poll() {
    fetch("steps?since=" + live.next, { cache: "no-store" }).then(function (r) {
      if (!r.ok) throw new Error("steps: HTTP " + r.status);
      return r.json();
    }).then(function (body) {
      live.next = body.next;
      data.findings = body.findings;
      data.figures = body.figures;
      data.subtitle = body.subtitle;
      data.series = body.series;
      header();
      figures();
      findings();
      var cols = columnsOf(data.series);
      charts.forEach(function (c) { c.plot.setData(cols[c.key]); });
      live.polls++;
      document.body.setAttribute("data-polls", String(live.polls));
    }).catch(function (e) {
      document.getElementById("subtitle").textContent = "Cannot reach the run: " + e.message;
    }).then(function () {
      setTimeout(poll, 1000);
    });
  }

  render();
  if (data.live) {
    poll();
  }
})();
