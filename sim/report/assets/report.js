/* civicgrid reports (run, sweep, compare, search; data.kind): build the charts from the JSON in #civicgrid-data
   with Apache ECharts (SVG renderer).
   Every string from the scenario reaches the page through ECharts' SVG text (set as text, not markup) or through
   esc() in the tooltip formatters below (tooltips are HTML). */
(function () {
  'use strict';
  var source = document.getElementById('civicgrid-data');
  if (!source || typeof echarts === 'undefined') return;
  var data = JSON.parse(source.textContent);
  var T = data.text;
  var FONT = window.getComputedStyle(document.body).fontFamily;
  var PALETTE = ['#2f6fb0', '#e0883e', '#3a9a6e', '#8e5ea2', '#c9504a', '#5aa9c7', '#b8a03a', '#7a8593'];
  var INK = '#1d2733', MUTED = '#5b6878', FAIL = '#b42318';
  var charts = [];
  var fileBase = 'civicgrid-' + String((data.run && data.run.scenario) || data.title || 'report').replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 60);

  function esc(value) {
    return String(value).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function finite(x) { return typeof x === 'number' && isFinite(x); }
  function pct(x, digits) { return finite(x) ? (x * 100).toFixed(digits === undefined ? 1 : digits) + '%' : T.no_data; }

  function baseOption(name) {
    return {
      animation: false,
      color: PALETTE,
      textStyle: { fontFamily: FONT, color: INK },
      toolbox: {
        right: 0, top: 0, itemSize: 14,
        feature: { saveAsImage: { title: T.save, name: fileBase + '-' + name, backgroundColor: '#ffffff' } }
      },
      tooltip: { confine: true, textStyle: { fontFamily: FONT, fontSize: 12 } }
    };
  }
  function merge(a, b) { for (var k in b) if (Object.prototype.hasOwnProperty.call(b, k)) a[k] = b[k]; return a; }
  function make(id, option) {
    var element = document.getElementById(id);
    if (!element) return null;
    var chart = echarts.init(element, null, { renderer: 'svg', locale: data.lang === 'zh' ? 'ZH' : 'EN' });
    chart.setOption(option);
    charts.push(chart);
    return chart;
  }
  function rect(x0, y0, x1, y1, style) {
    return { type: 'rect', shape: { x: Math.min(x0, x1), y: Math.min(y0, y1), width: Math.abs(x1 - x0),
                                    height: Math.abs(y1 - y0) }, style: style };
  }

  /* Response-time distribution as small multiples: one panel per incident type (and one for all types), each the
     cumulative share of responded incidents against response time on a log axis, since targets run from minutes
     to days. The points are metrics' bin edges (responses.csv), which include the usual targets, so the share at a
     type's dashed target line is its within-target rate. Panels share the x axis so that types compare by eye. */
  function responseChart() {
    var r = data.response;
    if (!r || !r.available) return;
    var element = document.getElementById('chart-response');
    if (!element) return;
    var panels = [{ type: T.all_types, target_min: null, cumulative: r.all.cumulative,
                    per_rep: r.all.responded_per_replication }];
    r.series.forEach(function (s) {
      panels.push({ type: s.type, target_min: s.target_min, cumulative: s.cumulative,
                    per_rep: s.responded_per_replication });
    });
    var finiteEdges = r.bins.filter(function (b) { return finite(b.upper_min); });
    var lastEdge = finiteEdges[finiteEdges.length - 1].upper_min;
    /* The shared x range ends at the first edge where every panel has (nearly) all its responses, or at a
       target beyond it. */
    var xMax = 1;
    panels.forEach(function (p) {
      for (var i = 0; i < finiteEdges.length; i++) {
        if (finite(p.cumulative[i]) && p.cumulative[i] >= 0.999) { xMax = Math.max(xMax, finiteEdges[i].upper_min); return; }
      }
      xMax = lastEdge;
    });
    panels.forEach(function (p) { if (finite(p.target_min)) xMax = Math.max(xMax, p.target_min); });
    xMax = Math.min(lastEdge, Math.pow(10, Math.ceil(Math.log10(xMax) * 2) / 2));
    var columns = panels.length <= 2 ? panels.length : panels.length <= 4 ? 2 : 3;
    var rows = Math.ceil(panels.length / columns), panelH = 140, top = 22, gapY = 78;
    element.style.height = (top + rows * (panelH + gapY) + 4) + 'px';
    var width = element.clientWidth || 680, left = 44, right = 12, gapX = 58;
    var panelW = (width - left - right - (columns - 1) * gapX) / columns;
    var grids = [], xAxes = [], yAxes = [], series = [], titles = [];
    panels.forEach(function (p, k) {
      var col = k % columns, row = Math.floor(k / columns);
      var x = left + col * (panelW + gapX), y = top + 44 + row * (panelH + gapY);
      grids.push({ left: x, top: y, width: panelW, height: panelH });
      var bottomRow = row === rows - 1 || k + columns >= panels.length;
      xAxes.push({ type: 'log', gridIndex: k, min: 1, max: xMax, logBase: 10,
                   name: bottomRow ? T.response_axis : '', nameLocation: 'middle', nameGap: 24,
                   nameTextStyle: { color: MUTED, fontSize: 11 }, splitLine: { show: false },
                   axisLabel: { fontSize: 10 } });
      yAxes.push({ type: 'value', gridIndex: k, min: 0, max: 100, interval: 50,
                   axisLabel: { fontSize: 10, formatter: '{value}%' },
                   splitLine: { lineStyle: { color: '#e4e8ee' } } });
      var points = [];
      for (var i = 0; i < finiteEdges.length; i++) {
        if (finite(p.cumulative[i]) && finiteEdges[i].upper_min <= xMax) points.push([finiteEdges[i].upper_min, p.cumulative[i] * 100]);
      }
      var within = null;
      if (finite(p.target_min)) {
        for (var j = 0; j < finiteEdges.length; j++) if (finiteEdges[j].upper_min === p.target_min) within = p.cumulative[j];
      }
      var beyond = finite(p.cumulative[finiteEdges.length - 1]) ? 1 - p.cumulative[finiteEdges.length - 1] : 0;
      titles.push({ left: x - 36, top: y - 44, text: p.type,
                    subtext: (finite(p.per_rep) ? p.per_rep.toFixed(0) + ' ' + T.per_rep : '') +
                             (within !== null ? ' · ≤ ' + p.target_min + ' ' + T.min + ': ' + pct(within) : '') +
                             (beyond > 0.0005 ? ' · > ' + Math.round(lastEdge / 1440) + ' d: ' + pct(beyond) : ''),
                    itemGap: 2, textStyle: { fontFamily: FONT, fontSize: 12, fontWeight: 'bold', color: INK },
                    subtextStyle: { fontFamily: FONT, fontSize: 10, color: MUTED } });
      series.push({
        type: 'line', name: p.type, xAxisIndex: k, yAxisIndex: k, data: points, showSymbol: true, symbolSize: 4,
        lineStyle: { width: 2, color: k === 0 ? INK : PALETTE[(k - 1) % PALETTE.length] },
        itemStyle: { color: k === 0 ? INK : PALETTE[(k - 1) % PALETTE.length] },
        tooltip: { formatter: function (q) { return esc(q.seriesName) + '<br>' + esc(T.cumulative) + ' ≤ ' + q.value[0] +
                                                    ' ' + T.min + ': <b>' + q.value[1].toFixed(1) + '%</b>'; } },
        markLine: finite(p.target_min) ? {
          silent: true, symbol: 'none', animation: false, lineStyle: { color: FAIL, type: 'dashed', width: 1.5 },
          label: { show: false }, data: [{ xAxis: p.target_min }]
        } : undefined
      });
    });
    make('chart-response', merge(baseOption('response'), {
      title: titles, grid: grids, xAxis: xAxes, yAxis: yAxes, series: series,
      tooltip: { trigger: 'item', confine: true }
    }));
  }

  /* Map of the grids: one square per grid coloured by the selected KPI, community and town boundaries on top. */
  var SCALES = {
    within_target_rate: ['#b42318', '#e8703a', '#f4c45a', '#a7d08c', '#2e8b57'],
    response_min_mean: ['#2e8b57', '#a7d08c', '#f4c45a', '#e8703a', '#b42318'],
    incidents: ['#f1f5fb', '#b7cde8', '#6f9fd0', '#2f6fb0', '#173e6b'],
    residents: ['#f4f1fa', '#cfc4e6', '#9f8ccb', '#71589f', '#473570'],
    /* Coverage is a share where higher is better, like the within-target rate, but gaps matter more than the
       top, so it runs from red through pale to green. */
    static_coverage_rate: ['#b42318', '#f2b8a2', '#eef3ea', '#8cc49b', '#1f7a4d'],
    dynamic_coverage_rate: ['#b42318', '#f2b8a2', '#eef3ea', '#8cc49b', '#1f7a4d'],
    visit_coverage_rate: ['#b42318', '#f2b8a2', '#eef3ea', '#8cc49b', '#1f7a4d']
  };
  /* What both grid maps (rectangular and GeoJSON) show the same way: the metric by key, its values, and a
     grid's tooltip. */
  function mapMetric(m, key) { return m.metrics.filter(function (x) { return x.key === key; })[0] || m.metrics[0]; }
  function format(meta, v) {
    if (!finite(v)) return T.no_data;
    if (meta.unit === 'share') return pct(v, 0);
    if (meta.unit === 'min') return v.toFixed(1);
    return v >= 100 ? Math.round(v).toString() : v.toFixed(1);
  }
  function suffix(meta) { return meta.unit === 'share' || meta.unit === 'count' ? '' : ' ' + meta.unit_label; }
  function gridTooltip(m, g) {
    if (!g) return '';
    return '<b>' + esc(T.grid + ' ' + g.id) + '</b>' + (g.kind_label ? ' (' + esc(g.kind_label) + ')' : '') +
           '<br>' + esc(T.community) + ': ' + esc(g.community) + ' · ' + esc(T.town) + ': ' + esc(g.town) + '<br>' +
           m.metrics.map(function (x) { return esc(x.name) + ': ' + esc(format(x, g[x.key]) + suffix(x)); }).join('<br>');
  }

  function mapChart() {
    var m = data.map;
    if (!m || !m.available) return;
    if (m.geo) return geoMapChart(m);
    var element = document.getElementById('chart-map');
    var select = document.getElementById('map-metric');
    var width = element.clientWidth || 680;
    var W = +(m.cols * m.cell_km).toFixed(6), H = +(m.rows * m.cell_km).toFixed(6);
    var left = 56, right = 20, top = 34, bottom = 78, maxPlotH = 700;
    var plotW = width - left - right, plotH = plotW * H / W;
    if (plotH > maxPlotH) {
      plotH = maxPlotH;
      plotW = plotH * W / H;
      left = right = (width - plotW) / 2;
      left += 18; right -= 18;
    }
    element.style.height = Math.round(plotH + top + bottom) + 'px';
    var metric = function (key) { return mapMetric(m, key); };
    var cellPx = plotW / m.cols;
    function option(key) {
      var meta = metric(key), values = [];
      var items = m.grids.map(function (g) {
        var v = g[meta.key];
        if (finite(v)) values.push(v);
        return [g.col * m.cell_km, g.row * m.cell_km, (g.col + 1) * m.cell_km, (g.row + 1) * m.cell_km,
                finite(v) ? v : '-', g.grid];
      });
      var lo = values.length ? Math.min.apply(null, values) : 0, hi = values.length ? Math.max.apply(null, values) : 1;
      if (meta.unit === 'share') { lo = Math.min(lo, m.standard); hi = Math.max(hi, 1); }
      if (hi - lo < 1e-9) { lo = meta.unit === 'share' ? hi - 0.1 : Math.max(0, hi - 1); }
      return {
        visualMap: {
          type: 'continuous', dimension: 4, seriesIndex: 0, min: lo, max: hi, calculable: false, realtime: false,
          orient: 'horizontal', left: 'center', bottom: 6, itemWidth: 12, itemHeight: 220,
          text: [format(meta, hi) + suffix(meta), format(meta, lo) + suffix(meta)], textGap: 8,
          textStyle: { fontFamily: FONT, color: MUTED },
          inRange: { color: SCALES[meta.key] || SCALES.incidents }, formatter: function (v) { return format(meta, v); }
        },
        series: [{ id: 'cells', name: meta.name, data: items,
                   label: { show: false } }]
      };
    }
    var km = function (v) { return +v.toFixed(2); };
    var chart = make('chart-map', merge(baseOption('map'), {
      // outerBoundsMode 'none': the plot keeps exactly this rectangle, so grids stay square.
      grid: { left: left, right: right, top: top, bottom: bottom, outerBoundsMode: 'none' },
      xAxis: { type: 'value', min: 0, max: W, name: T.x_km, nameLocation: 'middle', nameGap: 24,
               splitLine: { show: false }, axisLine: { show: false }, axisLabel: { formatter: km, showMaxLabel: false } },
      yAxis: { type: 'value', min: 0, max: H, inverse: true, name: T.y_km, nameLocation: 'middle', nameGap: 34,
               splitLine: { show: false }, axisLine: { show: false }, axisLabel: { formatter: km, showMaxLabel: false } },
      tooltip: { trigger: 'item', confine: true },
      series: [
        {
          id: 'cells', type: 'custom', encode: { x: [0, 2], y: [1, 3] },
          renderItem: function (params, api) {
            var a = api.coord([api.value(0), api.value(1)]), b = api.coord([api.value(2), api.value(3)]);
            var v = api.value(4), empty = !finite(v);
            var fill = empty ? '#d9dde3' : api.visual('color');
            var shape = rect(a[0], a[1], b[0], b[1], { fill: fill, stroke: '#ffffff', lineWidth: 0.6 });
            shape.emphasis = { style: { fill: fill, stroke: INK, lineWidth: 2 } };
            if (cellPx < 30) return shape;
            var meta = metric(select ? select.value : m.metrics[0].key);
            return { type: 'group', children: [shape, {
              type: 'text', silent: true,
              style: { text: empty ? '' : format(meta, v), x: (a[0] + b[0]) / 2, y: (a[1] + b[1]) / 2, align: 'center',
                       verticalAlign: 'middle', fontSize: Math.min(11, cellPx / 4), fontFamily: FONT,
                       fill: dark(fill) ? '#ffffff' : INK } }] };
          },
          tooltip: {
            formatter: function (p) {
              return gridTooltip(m, m.grids.filter(function (x) { return x.grid === p.value[5]; })[0]);
            }
          }
        },
        lines('community', m.community_lines, '#334155', 1.8),
        lines('town', m.town_lines, '#0b1220', 3.4)
      ]
    }));
    chart.setOption(option(select ? select.value : m.metrics[0].key));
    if (select) select.addEventListener('change', function () { chart.setOption(option(select.value)); });
  }
  /* Map of a GeoJSON layout (data.map.geo): ECharts' own map support. The grids are registered as a map whose
     region names are grid indexes; coordinates are metres east and north of the layout's south-west corner, so
     the projection only flips y (screen y grows downwards) and keeps one metre the same length both ways.
     Community and town outlines (computed by the report from shared edges) are `lines` on the same geo. */
  function geoMapChart(m) {
    var element = document.getElementById('chart-map');
    var select = document.getElementById('map-metric');
    var width = element.clientWidth || 680, W = m.extent_m[0] || 1, H = m.extent_m[1] || 1;
    var side = 20, top = 34, bottom = 78, plotW = width - 2 * side, plotH = Math.min(700, plotW * H / W);
    element.style.height = Math.round(plotH + top + bottom) + 'px';
    echarts.registerMap('civicgrid-layout', m.features);
    var metric = function (key) { return mapMetric(m, key); };
    var flip = function (p) { return [p[0], -p[1]]; };
    function outline(id, lines, color, lineWidth) {
      return { id: id, type: 'lines', coordinateSystem: 'geo', geoIndex: 0, polyline: true, silent: true, z: 3,
               tooltip: { show: false }, data: lines.map(function (c) { return { coords: c }; }),
               lineStyle: { color: color, width: lineWidth, opacity: 1, cap: 'round', join: 'round' } };
    }
    function option(key) {
      var meta = metric(key), values = [];
      var items = m.grids.map(function (g) {
        var v = g[meta.key];
        if (finite(v)) values.push(v);
        // No data: no value, so the region keeps the geo's grey instead of a colour from the scale.
        return { name: String(g.grid), value: finite(v) ? v : NaN };
      });
      var lo = values.length ? Math.min.apply(null, values) : 0, hi = values.length ? Math.max.apply(null, values) : 1;
      if (meta.unit === 'share') { lo = Math.min(lo, m.standard); hi = Math.max(hi, 1); }
      if (hi - lo < 1e-9) { lo = meta.unit === 'share' ? hi - 0.1 : Math.max(0, hi - 1); }
      return {
        visualMap: {
          type: 'continuous', seriesIndex: 0, min: lo, max: hi, calculable: false, realtime: false,
          orient: 'horizontal', left: 'center', bottom: 6, itemWidth: 12, itemHeight: 220,
          text: [format(meta, hi) + suffix(meta), format(meta, lo) + suffix(meta)], textGap: 8,
          textStyle: { fontFamily: FONT, color: MUTED },
          inRange: { color: SCALES[meta.key] || SCALES.incidents }, formatter: function (v) { return format(meta, v); }
        },
        series: [{ id: 'grids', name: meta.name, data: items }]
      };
    }
    var chart = make('chart-map', merge(baseOption('map'), {
      geo: {
        map: 'civicgrid-layout', roam: true, scaleLimit: { min: 1, max: 30 }, projection: { project: flip, unproject: flip },
        left: side, right: side, top: top, bottom: bottom,
        label: { show: false }, select: { disabled: true },
        itemStyle: { areaColor: '#d9dde3', borderColor: '#ffffff', borderWidth: 0.6 },
        // areaColor and color null: hovering keeps the KPI colour (ECharts' rule) and only draws a dark edge.
        emphasis: { label: { show: false }, itemStyle: { areaColor: null, color: null, borderColor: INK, borderWidth: 2 } }
      },
      tooltip: { trigger: 'item', confine: true },
      series: [
        {
          id: 'grids', type: 'map', geoIndex: 0,
          tooltip: {
            formatter: function (p) {
              return gridTooltip(m, m.grids[+p.name]);
            }
          }
        },
        outline('community', m.community_lines, '#334155', 1.4),
        outline('town', m.town_lines, '#0b1220', 3)
      ]
    }));
    chart.setOption(option(select ? select.value : m.metrics[0].key));
    if (select) select.addEventListener('change', function () { chart.setOption(option(select.value)); });
  }

  // Is a colour ("#rrggbb" or "rgb(a)(r,g,b...)") dark enough to need white text?
  function dark(color) {
    var c = String(color), rgb;
    if (c.charAt(0) === '#' && c.length === 7) rgb = [1, 3, 5].map(function (i) { return parseInt(c.substr(i, 2), 16); });
    else rgb = (c.match(/[\d.]+/g) || [255, 255, 255]).slice(0, 3).map(Number);
    return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] < 140;
  }
  function lines(id, segments, color, width) {
    return {
      id: id, type: 'custom', silent: true, z: 3, data: segments, encode: { x: [0, 2], y: [1, 3] },
      tooltip: { show: false },
      renderItem: function (params, api) {
        var a = api.coord([api.value(0), api.value(1)]), b = api.coord([api.value(2), api.value(3)]);
        return { type: 'line', shape: { x1: a[0], y1: a[1], x2: b[0], y2: b[1] },
                 style: { stroke: color, lineWidth: width, lineCap: 'square' } };
      }
    };
  }

  /* Team utilisation: a bar per team (the team as a whole), a dot per responder, the ceiling as a dashed line. */
  function teamsChart() {
    var t = data.teams;
    if (!t || !t.available || !t.teams.length) return;
    var element = document.getElementById('chart-teams');
    element.style.height = Math.max(200, 90 + 64 * t.teams.length) + 'px';
    var labels = t.teams.map(function (x) { return x.team + '（' + x.level_label + '）'; });
    if (data.lang !== 'zh') labels = t.teams.map(function (x) { return x.team + ' (' + x.level_label + ')'; });
    var high = t.ceiling;
    t.teams.forEach(function (x) { if (finite(x.utilization_max)) high = Math.max(high, x.utilization_max); });
    var xmax = Math.min(100, Math.ceil((high * 100 + 5) / 10) * 10);
    var dots = [];
    t.teams.forEach(function (x, i) {
      x.responder_utilization.forEach(function (u, k) {
        // Responders in a lane under their team's bar, spread vertically (deterministically) to stay visible.
        if (finite(u)) dots.push([u * 100, i, 0.08 + ((k * 0.6180339887) % 1) * 0.3]);
      });
    });
    make('chart-teams', merge(baseOption('teams'), {
      legend: { top: 0, left: 0, textStyle: { fontFamily: FONT },
                data: [{ name: T.team, icon: 'rect' }, { name: T.responder, icon: 'circle' }] },
      grid: { left: 12, right: 28, top: 40, bottom: 40, containLabel: true },
      xAxis: { type: 'value', min: 0, max: xmax, name: T.utilisation, nameLocation: 'middle', nameGap: 26,
               axisLabel: { formatter: '{value}%' } },
      yAxis: { type: 'category', data: labels, inverse: true, axisTick: { show: false },
               axisLabel: { fontFamily: FONT, color: INK } },
      tooltip: { trigger: 'item', confine: true },
      series: [
        {
          type: 'custom', name: T.team, data: t.teams.map(function (x, i) { return [x.utilization * 100, i]; }),
          encode: { x: 0, y: 1 }, itemStyle: { color: '#9cbbe0' },
          renderItem: function (params, api) {
            var centre = api.coord([0, api.value(1)]), band = api.size([0, 1])[1];
            var end = api.coord([api.value(0), api.value(1)])[0];
            var y0 = centre[1] - 0.38 * band, y1 = centre[1] - 0.02 * band;
            var bar = rect(centre[0], y0, end, y1, { fill: api.visual('color') });
            return { type: 'group', children: [bar, { type: 'text', silent: true, style: {
              text: api.value(0).toFixed(1) + '%', x: end + 6, y: (y0 + y1) / 2, verticalAlign: 'middle',
              fontSize: 11, fontWeight: 'bold', fill: INK, fontFamily: FONT } }] };
          },
          tooltip: {
            formatter: function (p) {
              var x = t.teams[p.value[1]];
              return '<b>' + esc(x.team) + '</b> · ' + esc(x.level_label) + '<br>' + esc(T.utilisation) + ': ' +
                     pct(x.utilization) + ' (' + pct(x.utilization_min) + ' – ' + pct(x.utilization_max) + ')';
            }
          },
          markLine: {
            silent: true, symbol: 'none', lineStyle: { color: FAIL, type: 'dashed', width: 1.5 },
            label: { formatter: T.ceiling + ' ' + (t.ceiling * 100).toFixed(0) + '%', color: FAIL, fontFamily: FONT,
                     position: 'insideEndTop' },
            data: [{ xAxis: t.ceiling * 100 }]
          }
        },
        {
          type: 'custom', name: T.responder, data: dots, encode: { x: 0, y: 1 }, z: 4,
          itemStyle: { color: '#1f3a5f', opacity: 0.6 },
          renderItem: function (params, api) {
            var centre = api.coord([api.value(0), api.value(1)]), band = api.size([0, 1])[1];
            return { type: 'circle', shape: { cx: centre[0], cy: centre[1] + api.value(2) * band, r: 2.6 },
                     style: { fill: api.visual('color'), opacity: 0.6 } };
          },
          tooltip: { formatter: function (p) { return esc(t.teams[p.value[1]].team) + ' · ' + esc(T.responder) + ': ' +
                                                      p.value[0].toFixed(1) + '%'; } }
        }
      ]
    }));
  }

  /* Within-target rate by hour of day: a bar per hour (red below the standard), responded incidents as a thin
     line on the right axis, the standard as a dashed line. */
  function hoursChart() {
    var h = data.hours;
    if (!h || !h.available) return;
    var hours = [];
    for (var i = 0; i < 24; i++) hours.push(String(i));
    make('chart-hours', merge(baseOption('hours'), {
      legend: { top: 0, left: 0, textStyle: { fontFamily: FONT }, data: [T.within, T.responded] },
      grid: { left: 56, right: 56, top: 64, bottom: 46 },
      xAxis: { type: 'category', data: hours, name: T.hour, nameLocation: 'middle', nameGap: 28 },
      yAxis: [
        { type: 'value', min: 0, max: 100, name: T.within, nameTextStyle: { align: 'left', color: MUTED },
          axisLabel: { formatter: '{value}%' } },
        { type: 'value', min: 0, name: T.responded, splitLine: { show: false },
          nameTextStyle: { align: 'right', color: MUTED } }
      ],
      tooltip: { trigger: 'axis', confine: true, formatter: function (ps) {
        var k = ps[0].dataIndex;
        return esc(k + ':00–' + (k + 1) + ':00') + '<br>' + esc(T.within) + ': <b>' + pct(h.within_target_rate[k]) +
               '</b><br>' + esc(T.responded) + ': ' + h.responded[k];
      } },
      series: [
        { type: 'bar', name: T.within, barCategoryGap: '25%',
          data: h.within_target_rate.map(function (r) {
            return finite(r) ? { value: +(r * 100).toFixed(2),
                                 itemStyle: { color: r < h.standard - 1e-9 ? '#e8a09a' : '#9cbbe0' } } : '-';
          }),
          markLine: { silent: true, symbol: 'none', lineStyle: { color: FAIL, type: 'dashed', width: 1.5 },
                      label: { formatter: T.standard + ' ' + (h.standard * 100).toFixed(0) + '%', color: FAIL,
                               fontFamily: FONT, position: 'insideEndTop' },
                      data: [{ yAxis: h.standard * 100 }] } },
        { type: 'line', name: T.responded, yAxisIndex: 1, data: h.responded, showSymbol: false,
          lineStyle: { width: 1.5, color: INK }, itemStyle: { color: INK }, z: 5 }
      ]
    }));
  }

  /* Backlog: known but not yet closed incidents over simulated time, mean over replications. */
  function backlogChart() {
    var b = data.backlog;
    if (!b || !b.available) return;
    var points = b.time_h.map(function (t, i) { return [t, b.open[i]]; });
    make('chart-backlog', merge(baseOption('backlog'), {
      grid: { left: 56, right: 28, top: 40, bottom: 46 },
      xAxis: { type: 'value', min: b.time_h[0], max: b.time_h[b.time_h.length - 1], name: T.time_h,
               nameLocation: 'middle', nameGap: 28 },
      yAxis: { type: 'value', min: 0, name: T.backlog, nameTextStyle: { align: 'left', color: MUTED } },
      tooltip: { trigger: 'axis', confine: true, formatter: function (ps) {
        var p = ps[0];
        return esc(T.time_h) + ': ' + p.value[0] + '<br>' + esc(T.backlog) + ': <b>' + p.value[1] + '</b>';
      } },
      series: [{ type: 'line', name: T.backlog, data: points, showSymbol: false,
                 lineStyle: { width: 1.8, color: PALETTE[0] }, itemStyle: { color: PALETTE[0] },
                 areaStyle: { color: 'rgba(47,111,176,0.15)' } }]
    }));
  }

  /* Escalation flow: levels and their "closed at" sinks as a Sankey, incidents per replication. */
  function flowChart() {
    var f = data.flow;
    if (!f || !f.available || !f.escalated) return;
    var LEVEL_COLOURS = { grid: PALETTE[0], community: PALETTE[1], town: PALETTE[3], city: PALETTE[4] };
    make('chart-flow', merge(baseOption('flow'), {
      tooltip: { trigger: 'item', confine: true, formatter: function (p) {
        var v = finite(p.value) ? +p.value.toFixed(2) : p.value;
        var what = p.dataType === 'edge' ? esc(p.data.source) + ' → ' + esc(p.data.target) : esc(p.name);
        var parts = '';
        if (p.dataType === 'edge' && finite(p.data.escalated) && finite(p.data.routed_off_hours))
          parts = '<br>' + esc(T.escalated) + ': ' + esc(+p.data.escalated.toFixed(2)) + '<br>' + esc(T.routed_off_hours) +
                  ': ' + esc(+p.data.routed_off_hours.toFixed(2));
        return what + ': <b>' + esc(v) + '</b> ' + esc(T.per_rep) + parts;
      } },
      series: [{
        type: 'sankey', left: 10, right: 130, top: 30, bottom: 10, nodeGap: 14, nodeWidth: 16, draggable: false,
        emphasis: { focus: 'adjacency' }, lineStyle: { color: 'gradient', opacity: 0.45 },
        label: { fontFamily: FONT, color: INK },
        data: f.nodes.map(function (n) {
          var colour = LEVEL_COLOURS[n.level] || MUTED;
          return { name: n.name, itemStyle: { color: n.kind === 'closed' ? '#3a9a6e' : colour, borderColor: colour } };
        }),
        links: f.links.map(function (l) {
          return { source: l.source, target: l.target, value: l.value, escalated: l.escalated,
                   routed_off_hours: l.routed_off_hours };
        })
      }]
    }));
  }

  /* ----------------------------------------------------------------------------- experiment folders */

  // A KPI value for an axis: shares as percentages.
  function scaled(meta, v) { return finite(v) ? (meta.unit === 'share' ? v * 100 : v) : null; }
  function shown(meta, v) {
    if (!finite(v)) return T.no_data;
    if (meta.unit === 'share') return pct(v);
    return (Math.abs(v) >= 100 ? Math.round(v) : +v.toFixed(2)) + (meta.unit_label && meta.unit !== 'count' ? ' ' + meta.unit_label : '');
  }
  function axisName(meta) { return meta.name + (meta.unit === 'share' ? ' (%)' : meta.unit_label ? ' (' + meta.unit_label + ')' : ''); }
  function standardLine(meta) {
    var s = meta.standard;
    if (!s || !finite(s.value)) return undefined;
    return { silent: true, symbol: 'none', lineStyle: { color: FAIL, type: 'dashed', width: 1.5 },
             label: { formatter: T.standard + ' ' + (s.op === '>=' ? '≥ ' : '≤ ') + shown(meta, s.value), color: FAIL,
                      fontFamily: FONT, position: 'insideEndTop' },
             data: [{ yAxis: scaled(meta, s.value) }] };
  }
  /* A value axis fitted to what a chart shows (means, CI ends, the standard or target line) with some padding,
     on round numbers: share KPIs often live in 70–100 %, which an axis from 0 squashes. Shares stay within
     0–100 %, and quantities that cannot be negative do not get a negative axis. */
  function niceStep(raw) {
    var power = Math.pow(10, Math.floor(Math.log(raw) / Math.LN10)), f = raw / power;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * power;
  }
  function fittedAxis(meta, values) {
    var v = values.filter(finite);
    if (!v.length) return {};
    var lo = Math.min.apply(null, v), hi = Math.max.apply(null, v), span = hi - lo;
    if (!(span > 0)) span = Math.abs(hi) * 0.1 || 1;
    var nonNegative = lo >= 0;
    lo -= span * 0.08;
    hi += span * 0.08;
    var step = niceStep((hi - lo) / 5);
    lo = Math.floor(lo / step) * step;
    hi = Math.ceil(hi / step) * step;
    if (nonNegative) lo = Math.max(0, lo);
    if (meta.unit === 'share') { lo = Math.max(0, lo); hi = Math.min(100, hi); }
    var round = function (x) { return +x.toPrecision(12); };
    return { min: round(lo), max: round(hi), interval: round(step) };
  }
  // The standard's value on the axis scale, or nothing.
  function standardValue(meta) { return meta.standard && finite(meta.standard.value) ? [scaled(meta, meta.standard.value)] : []; }
  // Mean, low and high of each estimate, on the axis scale.
  function estimateValues(meta, estimates) {
    var out = [];
    estimates.forEach(function (e) {
      if (!e || !finite(e.mean)) return;
      out.push(scaled(meta, e.mean));
      if (finite(e.ci95_half_width)) out.push(scaled(meta, e.mean - e.ci95_half_width), scaled(meta, e.mean + e.ci95_half_width));
    });
    return out;
  }

  // Vertical error bars [x, low, high] on the current axes (custom series: ECharts has no built-in one).
  function errorBars(name, items, color) {
    return {
      type: 'custom', name: name, data: items, z: 4, silent: true, tooltip: { show: false },
      encode: { x: 0, y: [1, 2] },
      renderItem: function (params, api) {
        var lo = api.coord([api.value(0), api.value(1)]), hi = api.coord([api.value(0), api.value(2)]);
        var w = 5, style = { stroke: color || INK, lineWidth: 1.4 };
        return { type: 'group', children: [
          { type: 'line', shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style: style },
          { type: 'line', shape: { x1: lo[0] - w, y1: lo[1], x2: lo[0] + w, y2: lo[1] }, style: style },
          { type: 'line', shape: { x1: hi[0] - w, y1: hi[1], x2: hi[0] + w, y2: hi[1] }, style: style }] };
      }
    };
  }

  /* Sweep: for each parameter (group of lock-step parameters) the selected KPI's mean as lines, one per setting of
     the other parameters, with the 95% CI as a band; the cheapest feasible variant as a diamond. */
  function sweepCharts() {
    var select = document.getElementById('sweep-kpi');
    var drawn = [];
    data.groups.forEach(function (group, g) {
      var chart = make('chart-sweep-' + g, merge(baseOption('sweep-' + g), { series: [] }));
      if (chart) drawn.push([chart, group]);
    });
    function metaOf(key) { return data.kpis.filter(function (k) { return k.key === key; })[0] || data.kpis[0]; }
    function option(group, meta) {
      var axis = data.parameters[group.axis];
      var numeric = axis.numeric;
      var others = data.parameters.map(function (p, i) { return i; })
        .filter(function (i) { return group.members.indexOf(i) < 0; });
      var lines = {}, order = [];
      data.variants.forEach(function (v, i) {
        var key = others.map(function (o) { return data.parameters[o].path + '=' + v.values[o]; }).join(', ');
        if (!lines[key]) { lines[key] = []; order.push(key); }
        var k = v.kpis[meta.key] || {};
        lines[key].push({ x: numeric ? axis.x[i] : v.values[group.axis], v: v, mean: k.mean, half: k.ci95_half_width });
      });
      var categories = [];
      if (!numeric) data.variants.forEach(function (v) {
        if (categories.indexOf(v.values[group.axis]) < 0) categories.push(v.values[group.axis]);
      });
      var series = [];
      order.forEach(function (key, n) {
        var points = lines[key].slice().sort(function (a, b) {
          return numeric ? a.x - b.x : categories.indexOf(a.x) - categories.indexOf(b.x);
        });
        var colour = PALETTE[n % PALETTE.length], name = key || meta.name;
        var band = [];
        for (var i = 0; i + 1 < points.length; i++) {
          var a = points[i], b = points[i + 1];
          if (!finite(a.mean) || !finite(b.mean) || !finite(a.half) || !finite(b.half)) continue;
          band.push([a.x, scaled(meta, a.mean - a.half), scaled(meta, a.mean + a.half),
                     b.x, scaled(meta, b.mean - b.half), scaled(meta, b.mean + b.half)]);
        }
        series.push({
          type: 'custom', name: name, data: band, silent: true, z: 1, tooltip: { show: false },
          encode: { x: [0, 3], y: [1, 2, 4, 5] },
          renderItem: function (params, api) {
            var p = [api.coord([api.value(0), api.value(1)]), api.coord([api.value(3), api.value(4)]),
                     api.coord([api.value(3), api.value(5)]), api.coord([api.value(0), api.value(2)])];
            return { type: 'polygon', shape: { points: p }, style: { fill: colour, opacity: 0.16 } };
          }
        });
        series.push({
          type: 'line', name: name, z: 3, symbolSize: 7, lineStyle: { color: colour, width: 2 },
          itemStyle: { color: colour },
          data: points.map(function (p) {
            var item = { value: [p.x, scaled(meta, p.mean)], variant: p.v.variant, half: p.half };
            if (p.v.variant === data.cheapest) { item.symbol = 'diamond'; item.symbolSize = 15; }
            return item;
          }),
          tooltip: { formatter: function (p) {
            var d = p.data, v = data.variants.filter(function (x) { return x.variant === d.variant; })[0];
            var lines = ['<b>' + esc(d.variant) + '</b>' + (d.variant === data.cheapest ? ' ◆ ' + esc(T.cheapest) : '')];
            data.parameters.forEach(function (q, i) { lines.push(esc(q.path) + ' = ' + esc(v.values[i])); });
            var k = v.kpis[meta.key] || {};
            lines.push(esc(meta.name) + ': <b>' + esc(shown(meta, k.mean)) + '</b>' +
                       (finite(k.ci95_half_width) ? ' ± ' + esc(shown(meta, k.ci95_half_width)) : ''));
            return lines.join('<br>');
          } },
          markLine: n === 0 ? standardLine(meta) : undefined
        });
      });
      var names = order.filter(function (k) { return k; });
      return {
        legend: { show: names.length > 0, top: 0, left: 0, right: 40, type: 'scroll', data: names,
                  textStyle: { fontFamily: FONT } },
        grid: { left: 64, right: 28, top: names.length ? 56 : 40, bottom: 50 },
        xAxis: numeric ? { type: 'value', scale: true, name: axis.path + (axis.unit ? ' (' + axis.unit + ')' : ''),
                           nameLocation: 'middle', nameGap: 30 }
                       : { type: 'category', data: categories, name: axis.path, nameLocation: 'middle', nameGap: 30 },
        yAxis: merge({ type: 'value', scale: true, name: axisName(meta), nameTextStyle: { align: 'left', color: MUTED } },
                     fittedAxis(meta, estimateValues(meta, data.variants.map(function (v) { return v.kpis[meta.key]; }))
                                        .concat(standardValue(meta)))),
        tooltip: { trigger: 'item', confine: true },
        series: series
      };
    }
    function draw() {
      var meta = metaOf(select ? select.value : data.default_kpi);
      drawn.forEach(function (d) { d[0].setOption(option(d[1], meta), { replaceMerge: ['series'] }); });
    }
    draw();
    if (select) select.addEventListener('change', draw);
  }

  /* Compare: a chart per headline KPI, a point per variant with its 95% CI as an error bar, the standard dashed.
     Points, not bars: the axis is fitted to the values, and a bar cut off above zero would misstate ratios. */
  function compareCharts() {
    data.headline.forEach(function (key, i) {
      var meta = data.kpis.filter(function (k) { return k.key === key; })[0];
      if (!meta) return;
      var labels = data.variants.map(function (v) { return v.variant + '\n' + v.scenario; });
      var points = meta.values.map(function (v, n) {
        var colour = v.pass === false ? FAIL : PALETTE[n % PALETTE.length];
        return { value: [n, scaled(meta, v.mean)], itemStyle: { color: colour } };
      }).filter(function (p) { return finite(p.value[1]); });
      var errors = meta.values.map(function (v, n) {
        return finite(v.mean) && finite(v.ci95_half_width)
          ? [n, scaled(meta, v.mean - v.ci95_half_width), scaled(meta, v.mean + v.ci95_half_width)] : null;
      }).filter(function (x) { return x; });
      make('chart-compare-' + i, merge(baseOption('compare-' + key), {
        title: { text: meta.name, left: 0, top: 0, textStyle: { fontFamily: FONT, fontSize: 13, color: INK } },
        grid: { left: 56, right: 20, top: 44, bottom: 44 },
        xAxis: { type: 'category', data: labels, axisLabel: { fontFamily: FONT, color: INK, interval: 0 } },
        yAxis: merge({ type: 'value', scale: true, name: meta.unit === 'share' ? '%' : meta.unit_label,
                       nameTextStyle: { color: MUTED } },
                     fittedAxis(meta, estimateValues(meta, meta.values).concat(standardValue(meta)))),
        tooltip: { trigger: 'item', confine: true },
        series: [
          { type: 'scatter', name: meta.name, data: points, symbolSize: 13, z: 5,
            tooltip: { formatter: function (p) {
              var n = p.data.value[0], v = meta.values[n];
              var text = '<b>' + esc(data.variants[n].variant + ' ' + data.variants[n].scenario) +
                         '</b><br>' + esc(meta.name) + ': <b>' + esc(shown(meta, v.mean)) + '</b>';
              if (finite(v.ci95_half_width)) text += ' ± ' + esc(shown(meta, v.ci95_half_width));
              return text;
            } },
            markLine: standardLine(meta) },
          errorBars(T.ci, errors, INK)
        ]
      }));
    });
  }

  /* Search: the frontier of evaluated plans, staff across, the KPI with its CI up; feasible and not as two series,
     the recommended plan as a star, the target dashed. */
  function searchChart() {
    var s = data.search;
    var meta = { name: s.kpi_name, unit: s.unit, unit_label: s.unit_label,
                 standard: { op: s.direction === 'at_most' ? '<=' : '>=', value: s.target } };
    function points(feasible) {
      return data.frontier.filter(function (p) { return p.feasible === feasible && finite(p.staff) && finite(p.mean); })
        .map(function (p) { return { value: [p.staff, scaled(meta, p.mean)], point: p }; });
    }
    var errors = data.frontier.filter(function (p) { return finite(p.staff) && finite(p.mean) && finite(p.ci95_half_width); })
      .map(function (p) { return [p.staff, scaled(meta, p.mean - p.ci95_half_width), scaled(meta, p.mean + p.ci95_half_width)]; });
    var chosen = data.frontier.filter(function (p) { return p.recommended && finite(p.staff) && finite(p.mean); })
      .map(function (p) { return { value: [p.staff, scaled(meta, p.mean)], point: p }; });
    var tooltip = { formatter: function (q) {
      var p = q.data.point;
      var text = '<b>' + esc(p.variant) + '</b>' + (p.recommended ? ' ★ ' + esc(T.recommended) : '') + '<br>';
      s.parameters.forEach(function (path, i) { text += esc(path) + ' = ' + esc(p.values[i]) + '<br>'; });
      text += esc(T.staff) + ': ' + esc(p.staff) + '<br>' + esc(meta.name) + ': <b>' + esc(shown(meta, p.mean)) + '</b>';
      if (finite(p.ci95_half_width)) text += ' ± ' + esc(shown(meta, p.ci95_half_width));
      text += '<br>' + esc(T.bound) + ': ' + esc(shown(meta, p.bound));
      return text;
    } };
    var target = standardLine(meta);
    if (target) {
      target.label.formatter = T.target + ' ' + (meta.standard.op === '>=' ? '≥ ' : '≤ ') + shown(meta, s.target);
      /* At the start of the line, on the side the cheap (left) plans miss: below an "at most" target, above an
         "at least" one, clear of the point labels of the feasible plans further right. */
      target.label.position = s.direction === 'at_most' ? 'insideStartBottom' : 'insideStartTop';
    }
    var staff = data.frontier.map(function (p) { return p.staff; }).filter(finite);
    var staffPad = staff.length ? Math.max(1, (Math.max.apply(null, staff) - Math.min.apply(null, staff)) * 0.06) : 1;
    make('chart-search', merge(baseOption('search'), {
      legend: { top: 0, left: 0, textStyle: { fontFamily: FONT }, data: [T.feasible, T.infeasible, T.recommended] },
      grid: { left: 64, right: 28, top: 48, bottom: 50 },
      xAxis: { type: 'value', scale: true, name: T.staff, nameLocation: 'middle', nameGap: 30, minInterval: 1,
               min: function (v) { return Math.max(0, Math.floor(v.min - staffPad)); },
               max: function (v) { return Math.ceil(v.max + staffPad); } },
      yAxis: merge({ type: 'value', scale: true, name: axisName(meta), nameTextStyle: { align: 'left', color: MUTED } },
                   fittedAxis(meta, estimateValues(meta, data.frontier).concat(standardValue(meta)))),
      tooltip: { trigger: 'item', confine: true },
      series: [
        errorBars(T.ci, errors, MUTED),
        { type: 'scatter', name: T.feasible, data: points(true), symbolSize: 10, z: 5,
          itemStyle: { color: '#1b7f3b' }, tooltip: tooltip, markLine: target },
        { type: 'scatter', name: T.infeasible, data: points(false), symbolSize: 10, z: 5, symbol: 'emptyCircle',
          itemStyle: { color: FAIL, borderWidth: 2 }, tooltip: tooltip },
        { type: 'scatter', name: T.recommended, data: chosen, z: 6,
          symbol: 'path://M0,-10 L2.9,-3.1 L9.5,-3.1 L4.2,1.2 L5.9,8.1 L0,4.2 L-5.9,8.1 L-4.2,1.2 L-9.5,-3.1 L-2.9,-3.1 Z',
          symbolSize: 24, itemStyle: { color: '#e0a800', borderColor: INK, borderWidth: 1 }, tooltip: tooltip,
          label: { show: true, position: 'right', formatter: function (q) { return q.data.point.variant; },
                   fontFamily: FONT, color: INK, fontWeight: 'bold' } }
      ]
    }));
  }

  var DRAW = { run: [responseChart, hoursChart, backlogChart, flowChart, mapChart, teamsChart],
               sweep: [sweepCharts], compare: [compareCharts], search: [searchChart] };
  (DRAW[data.kind || 'run'] || []).forEach(function (draw) {
    try { draw(); } catch (error) { console.error('civicgrid report: ' + (error && error.message)); }
  });

  // Printing: no toolbox icons on paper.
  window.addEventListener('beforeprint', function () { charts.forEach(function (c) { c.setOption({ toolbox: { show: false } }); }); });
  window.addEventListener('afterprint', function () { charts.forEach(function (c) { c.setOption({ toolbox: { show: true } }); }); });
  var pending = null;
  window.addEventListener('resize', function () {
    clearTimeout(pending);
    pending = setTimeout(function () { charts.forEach(function (c) { c.resize(); }); }, 100);
  });
  document.documentElement.setAttribute('data-charts-ready', String(charts.length));
})();
