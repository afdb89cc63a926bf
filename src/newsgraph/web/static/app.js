/* newsgraph web: charts, network graph and map drawn with the vendored d3 (and topojson-client for the map).
   Every page works without this file: the tables are server-rendered; this only adds the pictures. */
(function () {
  "use strict";
  var QUAD_COLOURS = { 1: "#7fbf7b", 2: "#1b7837", 3: "#f1a340", 4: "#b2182b" };
  var QUAD_NAMES = { 1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict" };

  function readJSON(id) {
    var el = document.getElementById(id);
    if (!el) return null;
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function note(figure, text) {
    var p = document.createElement("p");
    p.className = "chart-note";
    p.textContent = text;
    figure.appendChild(p);
  }

  function legend(figure) {
    var div = document.createElement("div");
    div.className = "legend";
    [1, 2, 3, 4].forEach(function (q) {
      var span = document.createElement("span");
      var i = document.createElement("i");
      i.style.background = QUAD_COLOURS[q];
      span.appendChild(i);
      span.appendChild(document.createTextNode(QUAD_NAMES[q]));
      div.appendChild(span);
    });
    figure.appendChild(div);
  }

  /* rows: [{label, quads: {1: n, 2: n, 3: n, 4: n}}] -> stacked bars */
  function stackedBars(figure, rows, opts) {
    opts = opts || {};
    if (!rows.length) { note(figure, "Nothing to chart."); return; }
    var width = figure.clientWidth || 900, height = opts.height || 240;
    var margin = { top: 10, right: opts.score ? 40 : 10, bottom: 40, left: 40 };
    var keys = [1, 2, 3, 4];
    var data = rows.map(function (r) {
      var d = { label: r.label };
      keys.forEach(function (k) { d[k] = +((r.quads || {})[k] || (r.quads || {})[String(k)] || 0); });
      return d;
    });
    var series = d3.stack().keys(keys)(data);
    var x = d3.scaleBand().domain(data.map(function (d) { return d.label; }))
      .range([margin.left, width - margin.right]).padding(0.15);
    var ymax = d3.max(series, function (s) { return d3.max(s, function (d) { return d[1]; }); }) || 1;
    var y = d3.scaleLinear().domain([0, ymax]).nice().range([height - margin.bottom, margin.top]);
    var svg = d3.select(figure).append("svg").attr("viewBox", [0, 0, width, height]);
    svg.append("g").selectAll("g").data(series).join("g")
      .attr("fill", function (s) { return QUAD_COLOURS[s.key]; })
      .selectAll("rect").data(function (s) { return s.map(function (d) { d.key = s.key; return d; }); }).join("rect")
      .attr("x", function (d) { return x(d.data.label); })
      .attr("y", function (d) { return y(d[1]); })
      .attr("height", function (d) { return Math.max(0, y(d[0]) - y(d[1])); })
      .attr("width", x.bandwidth())
      .append("title").text(function (d) { return d.data.label + ": " + (d[1] - d[0]) + " " + QUAD_NAMES[d.key]; });
    var every = Math.max(1, Math.ceil(data.length / Math.max(1, Math.floor(width / 60))));
    svg.append("g").attr("class", "axis").attr("transform", "translate(0," + (height - margin.bottom) + ")")
      .call(d3.axisBottom(x).tickValues(x.domain().filter(function (_, i) { return i % every === 0; })))
      .selectAll("text").attr("transform", "rotate(-35)").style("text-anchor", "end");
    svg.append("g").attr("class", "axis").attr("transform", "translate(" + margin.left + ",0)")
      .call(d3.axisLeft(y).ticks(5));
    if (opts.score) {
      var s = d3.scaleLinear().domain([-1, 1]).range([height - margin.bottom, margin.top]);
      var line = d3.line().defined(function (d) { return d.score !== null && d.score !== undefined; })
        .x(function (d) { return x(d.label) + x.bandwidth() / 2; }).y(function (d) { return s(d.score); });
      svg.append("path").datum(rows).attr("fill", "none").attr("stroke", "#16324f").attr("stroke-width", 2)
        .attr("d", line);
      svg.append("g").attr("class", "axis").attr("transform", "translate(" + (width - margin.right) + ",0)")
        .call(d3.axisRight(s).ticks(5));
    }
    legend(figure);
  }

  function monthlyChart() {
    var figure = document.getElementById("monthly-chart");
    var rows = readJSON("monthly-data");
    if (!figure || !rows) return;
    /* a few stray dates (a birth year, a war long ago) would stretch the axis over centuries: the chart keeps
       the months between the first and last percent of events; the table below it holds them all */
    var total = 0, sums = rows.map(function (r) {
      var n = 0; for (var k in r.quads) n += +r.quads[k]; total += n; return total;
    });
    var lo = 0, hi = rows.length - 1;
    while (lo < hi && sums[lo] <= total * 0.01) lo++;
    while (hi > lo && total - sums[hi - 1] <= total * 0.01) hi--;
    var shown = rows.slice(lo, hi + 1);
    var left = total - (sums[hi] - (lo > 0 ? sums[lo - 1] : 0));
    stackedBars(figure, shown.map(function (r) { return { label: r.month, quads: r.quads }; }));
    if (left > 0) note(figure, left + " events dated outside " + shown[0].month + " – " + shown[shown.length - 1].month +
      " are left out of the chart (see the table).");
  }

  function relationChart() {
    var figure = document.getElementById("relation-chart");
    var data = readJSON("relation-data");
    if (!figure || !data) return;
    var rows = (data.periods || []).map(function (p, i) {
      return { label: String(p), quads: data.quads[i] || {}, score: data.score[i] === undefined ? null : data.score[i] };
    });
    var hasScore = rows.some(function (r) { return r.score !== null; });
    stackedBars(figure, rows, { height: 220, score: hasScore });
    if (hasScore) note(figure, "Bars: events per period by quad class. Line (right axis): cooperation–conflict score.");
  }

  /* graph: {nodes: [{id, name|label, ...}], links|edges: [{source, target, weight|events|count}]} */
  function drawGraph(figure, graph, focus) {
    var nodes = (graph.nodes || []).map(function (n) { return Object.assign({}, n); });
    var links = (graph.links || graph.edges || []).map(function (l) { return Object.assign({}, l); });
    if (!nodes.length) { note(figure, "No actors with events in this selection."); return; }
    var width = figure.clientWidth || 900, height = figure.clientHeight || 500;
    var weight = function (l) { return +(l.weight || l.events || l.count || 1); };
    var size = {};
    links.forEach(function (l) {
      size[l.source] = (size[l.source] || 0) + weight(l);
      size[l.target] = (size[l.target] || 0) + weight(l);
    });
    var r = d3.scaleSqrt().domain([0, d3.max(nodes, function (n) { return size[n.id] || 0; }) || 1]).range([4, 22]);
    var colour = d3.scaleOrdinal(d3.schemeTableau10);
    var svg = d3.select(figure).append("svg").attr("viewBox", [0, 0, width, height]);
    var g = svg.append("g");
    svg.call(d3.zoom().scaleExtent([0.2, 6]).on("zoom", function (ev) { g.attr("transform", ev.transform); }));
    var link = g.append("g").selectAll("line").data(links).join("line").attr("class", "link")
      .attr("stroke", function (l) {
        return (l.score === null || l.score === undefined) ? "#99a" : d3.interpolateRdYlGn((l.score + 1) / 2);
      })
      .attr("stroke-width", function (l) { return Math.min(8, 0.8 + Math.sqrt(weight(l))); });
    link.append("title").text(function (l) {
      var types = l.types ? Object.keys(l.types).map(function (t) { return t + " " + l.types[t]; }).join(", ") : "";
      return weight(l) + " events" + (types ? ": " + types : "") +
        (l.score === null || l.score === undefined ? "" : " · score " + l.score);
    });
    var node = g.append("g").selectAll("g").data(nodes).join("g").attr("class", "node");
    node.append("circle").attr("r", function (n) { return r(size[n.id] || 0); })
      .attr("fill", function (n) { return n.id === focus ? "#16324f" : colour(n.type || "?"); });
    node.append("text").attr("dx", function (n) { return r(size[n.id] || 0) + 2; }).attr("dy", "0.35em")
      .text(function (n) { return n.name || n.label || n.id; });
    node.append("title").text(function (n) { return (n.name || n.label || n.id) + " (" + (n.type || "") + ")"; });
    node.on("click", function (ev, n) { if (!ev.defaultPrevented) window.location.href = "/actors/" + encodeURIComponent(n.id); });
    var sim = d3.forceSimulation(nodes)
      .force("link", d3.forceLink(links).id(function (n) { return n.id; }).distance(90))
      .force("charge", d3.forceManyBody().strength(-220))
      .force("center", d3.forceCenter(width / 2, height / 2))
      .force("collide", d3.forceCollide().radius(function (n) { return r(size[n.id] || 0) + 3; }));
    node.call(d3.drag()
      .on("start", function (ev, n) { if (!ev.active) sim.alphaTarget(0.3).restart(); n.fx = n.x; n.fy = n.y; })
      .on("drag", function (ev, n) { n.fx = ev.x; n.fy = ev.y; })
      .on("end", function (ev, n) { if (!ev.active) sim.alphaTarget(0); n.fx = null; n.fy = null; }));
    sim.on("tick", function () {
      link.attr("x1", function (l) { return l.source.x; }).attr("y1", function (l) { return l.source.y; })
        .attr("x2", function (l) { return l.target.x; }).attr("y2", function (l) { return l.target.y; });
      node.attr("transform", function (n) { return "translate(" + n.x + "," + n.y + ")"; });
    });
    figure.dataset.drawn = String(nodes.length);
  }

  function networkPage() {
    var figure = document.getElementById("network-graph");
    var graph = readJSON("network-data");
    if (figure && graph) drawGraph(figure, graph, null);
  }

  function neighbourhood() {
    var figure = document.getElementById("neighbourhood");
    if (!figure) return;
    fetch(figure.dataset.src).then(function (r) { return r.ok ? r.json() : null; }).then(function (graph) {
      if (graph) drawGraph(figure, graph, figure.dataset.focus); else note(figure, "No network for this actor.");
    }).catch(function () { note(figure, "The network could not be loaded."); });
  }

  function mapPage() {
    var figure = document.getElementById("map");
    var points = readJSON("map-data");
    if (!figure || !points) return;
    var popup = document.getElementById("popup");
    var width = figure.clientWidth || 900, height = figure.clientHeight || 600;
    fetch("/static/vendor/world-atlas/countries-110m.json").then(function (r) { return r.json(); }).then(function (world) {
      var countries = topojson.feature(world, world.objects.countries);
      var borders = topojson.mesh(world, world.objects.countries, function (a, b) { return a !== b; });
      var projection = d3.geoNaturalEarth1();
      if (points.length) {
        /* frame where most events are: the 10th to 90th percentile of longitude and latitude, by events */
        var quantile = function (key, q) {
          var sorted = points.slice().sort(function (a, b) { return a[key] - b[key]; });
          var total = d3.sum(sorted, function (p) { return p.count; }), acc = 0;
          for (var i = 0; i < sorted.length; i++) { acc += sorted[i].count; if (acc >= total * q) return sorted[i][key]; }
          return sorted[sorted.length - 1][key];
        };
        var pad = 6;
        var box = { type: "MultiPoint", coordinates: [
          [quantile("lon", 0.1) - pad, quantile("lat", 0.1) - pad],
          [quantile("lon", 0.9) + pad, quantile("lat", 0.9) + pad]] };
        projection.fitExtent([[20, 20], [width - 20, height - 20]], box);
      } else {
        projection.fitSize([width, height], countries);
      }
      var path = d3.geoPath(projection);
      var svg = d3.select(figure).append("svg").attr("viewBox", [0, 0, width, height]);
      var g = svg.append("g");
      g.append("path").datum({ type: "Sphere" }).attr("fill", "#dceaf5").attr("d", path);
      g.append("g").selectAll("path").data(countries.features).join("path")
        .attr("fill", "#f4f1ea").attr("stroke", "none").attr("d", path)
        .append("title").text(function (f) { return f.properties.name; });
      g.append("path").datum(borders).attr("fill", "none").attr("stroke", "#a9a39a").attr("stroke-width", 0.6)
        .attr("d", path);
      var rmax = d3.max(points, function (p) { return p.count; }) || 1;
      var r = d3.scaleSqrt().domain([1, rmax]).range([3, 18]);
      var dots = g.append("g").selectAll("circle").data(points.slice().reverse()).join("circle")
        .attr("class", "point")
        .attr("cx", function (p) { return projection([p.lon, p.lat])[0]; })
        .attr("cy", function (p) { return projection([p.lon, p.lat])[1]; })
        .attr("r", function (p) { return r(p.count); })
        .attr("fill", "#b2182b").attr("fill-opacity", 0.6).attr("stroke", "#fff").attr("stroke-width", 0.8)
        .style("cursor", "pointer");
      dots.append("title").text(function (p) { return p.name + ": " + p.count + " events"; });
      dots.on("click", function (ev, p) { showPopup(ev, p); });
      var k = 1;
      svg.call(d3.zoom().scaleExtent([0.5, 40]).on("zoom", function (ev) {
        k = ev.transform.k;
        g.attr("transform", ev.transform);
        dots.attr("r", function (p) { return r(p.count) / Math.sqrt(k); }).attr("stroke-width", 0.8 / k);
        popup.hidden = true;
      }));
      figure.dataset.drawn = String(points.length);
    }).catch(function () { note(figure, "The base map could not be loaded."); });

    function showPopup(ev, p) {
      popup.textContent = "";
      var close = document.createElement("button");
      close.className = "close"; close.textContent = "×"; close.setAttribute("aria-label", "close");
      close.onclick = function () { popup.hidden = true; };
      popup.appendChild(close);
      var title = document.createElement("strong");
      title.textContent = p.name + (p.country ? ", " + p.country : "") + " — " + p.count + " events";
      popup.appendChild(title);
      var ul = document.createElement("ul");
      p.events.slice(0, 25).forEach(function (e) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = e.url;
        a.textContent = (e.date || "undated") + " " + e.type;
        li.appendChild(a);
        var who = [e.source, e.target].filter(Boolean).join(" → ");
        if (who) li.appendChild(document.createTextNode(" " + who));
        ul.appendChild(li);
      });
      popup.appendChild(ul);
      if (p.events.length > 25) {
        var more = document.createElement("p");
        more.className = "muted"; more.textContent = "and " + (p.events.length - 25) + " more";
        popup.appendChild(more);
      }
      var box = figure.getBoundingClientRect();
      popup.style.left = (window.scrollX + box.left + Math.min(ev.offsetX + 12, box.width - 300)) + "px";
      popup.style.top = (window.scrollY + box.top + ev.offsetY + 12) + "px";
      popup.hidden = false;
    }
  }

  // The error page's Back link goes to the overview without JavaScript, and back one page with it
  // (no javascript: URL, which the Content-Security-Policy would block).
  function backLinks() {
    document.querySelectorAll("a.back").forEach(function (a) {
      a.addEventListener("click", function (ev) {
        if (window.history.length > 1) { ev.preventDefault(); window.history.back(); }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    backLinks();
    monthlyChart();
    relationChart();
    networkPage();
    neighbourhood();
    mapPage();
  });
})();
