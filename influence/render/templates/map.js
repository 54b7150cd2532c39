/* The influence map's behaviour. All data comes from the JSON in #map-data; every DOM
   node is built with createElement and textContent: CRM text is never parsed as HTML. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("map-data").textContent);
  var people = data.people;
  var ties = data.ties;
  var events = data.events;
  var C = data.colors;
  var INK = "#1f2328";
  var DIM_NODE = { background: "rgba(208,215,222,0.35)", border: "rgba(175,184,193,0.45)" };
  var DIM_FONT = "rgba(101,109,118,0.35)";
  var SELECT_BORDER = "#0969da";

  var byId = new Map();
  people.forEach(function (p) { byId.set(p.id, p); });
  var neighbours = new Map();
  people.forEach(function (p) { neighbours.set(p.id, []); });
  ties.forEach(function (t) {
    neighbours.get(t.from).push({ id: t.to, tie: t });
    neighbours.get(t.to).push({ id: t.from, tie: t });
  });

  // Event node ids never collide with person ids.
  var eventById = new Map();
  events.forEach(function (ev) {
    var vid = "event:" + ev.id;
    while (byId.has(vid) || eventById.has(vid)) vid += "~";
    ev.vid = vid;
    eventById.set(vid, ev);
  });

  var state = {
    colorBy: data.color_by,
    stances: new Set(data.stances.map(function (s) { return s.key; })),
    coalitions: new Set(people.map(function (p) { return p.coalition; })),
    roles: new Set(people.map(function (p) { return p.buying_role; })),
    minStrength: 0,
    showTeam: true,
    events: false,
    focus: null,
    panelPerson: null,
    eventEdgeIds: []
  };

  // What-if stances, person id → stance key (see the what-if section).
  var whatIf = { overrides: new Map(), result: null };

  // ---------------------------------------------------------------- helpers
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function fmt(x, digits) {
    return x === null || x === undefined ? "–" : Number(x).toFixed(digits);
  }
  function signed(x) {
    if (x === null || x === undefined) return "–";
    var t = Math.abs(x) < 0.005 ? "0.00" : Math.abs(x).toFixed(2);
    return (t === "0.00" ? "±" : x > 0 ? "+" : "−") + t;
  }
  function supportWord(x) {
    if (x === null || x === undefined) return "";
    return x >= 0.5 ? "strongly for" : x >= 0.15 ? "leaning for" : x > -0.15 ? "undecided" :
      x > -0.5 ? "leaning against" : "strongly against";
  }
  // Search key: Unicode NFD, combining marks stripped, case folded; letters that carry
  // no combining mark (ł, ø, ı, ß, æ, …) are spelt out as a reader would type them.
  var FOLD = { "ł": "l", "ø": "o", "đ": "d", "ð": "d", "ı": "i", "ħ": "h", "ŀ": "l",
    "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th", "ŧ": "t" };
  function fold(text) {
    return String(text).normalize("NFD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(/[łøđðıħŀßæœþŧ]/g, function (c) { return FOLD[c]; })
      .normalize("NFC");
  }
  function shade(hex, f) {
    var m = /^#([0-9a-f]{6})$/i.exec(hex);
    if (!m) return hex;
    var n = parseInt(m[1], 16);
    var rgb = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map(function (c) {
      return Math.max(0, Math.min(255, Math.round(c * (1 + f))));
    });
    return "#" + rgb.map(function (c) { return ("0" + c.toString(16)).slice(-2); }).join("");
  }
  function stanceInfo(key) {
    for (var i = 0; i < data.stances.length; i++) if (data.stances[i].key === key) return data.stances[i];
    return data.stances[data.stances.length - 1];
  }
  function swatch(color, border) {
    var s = el("span", "sw");
    s.style.background = color;
    if (border) s.style.borderColor = border;
    return s;
  }

  // ---------------------------------------------------------------- staleness
  // Days since our last contact and the cold mark come from the analysis
  // (days_since_contact, Account.stale); nothing is counted here.
  function days(n) { return n + (n === 1 ? " day" : " days"); }
  function lastContact(p) {
    if (!p.last_contact) return "never";
    if (p.days_since_contact === null) return p.last_contact;
    return p.last_contact + " (" + (p.days_since_contact === 0 ? "today" : days(p.days_since_contact) + " ago") + ")";
  }
  // Last activity with anyone (last_activity, days_silent of the influencers table).
  function lastActive(p) {
    if (!p.last_activity) return "none on record";
    if (p.days_silent === null) return p.last_activity;
    return p.last_activity + " (" + (p.days_silent === 0 ? "today" : days(p.days_silent) + " ago") + ")";
  }
  function coldText(p) {
    return p.days_since_contact === null || !p.last_contact ? "never contacted by our team" :
      "no contact from our team in " + days(p.days_since_contact);
  }

  // ---------------------------------------------------------------- tooltips
  function tooltipPerson(p) {
    var d = el("div", "tt");
    d.appendChild(el("div", "tt-name", p.label));
    var sub = [p.title, p.department].filter(Boolean).join(" · ");
    if (sub) d.appendChild(el("div", "tt-sub", sub));
    if (p.internal) d.appendChild(el("div", "tt-row", "Our team"));
    else {
      d.appendChild(el("div", "tt-row",
        "Influence " + fmt(p.influence, 1) + (p.rank !== null ? " · rank " + p.rank : "")));
      d.appendChild(el("div", "tt-row", "Stance: " + stanceInfo(p.stance).label +
        (p.buying_role ? " · " + p.buying_role : "")));
    }
    if (!p.internal) d.appendChild(el("div", "tt-row", "Our strongest tie: " + (p.tie_name || "none")));
    d.appendChild(el("div", "tt-row", "Last contact: " + lastContact(p)));
    d.appendChild(el("div", "tt-row", "Last active: " + lastActive(p)));
    if (p.cold) d.appendChild(el("div", "tt-row tt-cold", "Cold: " + coldText(p)));
    return d;
  }
  function tooltipTie(t) {
    var d = el("div", "tt");
    var a = byId.get(t.from).name, b = byId.get(t.to).name;
    d.appendChild(el("div", "tt-name", a + (t.directed ? " → " : " — ") + b));
    if (t.label) d.appendChild(el("div", "tt-sub", t.label));
    d.appendChild(el("div", "tt-row", "Strength " + fmt(t.strength, 2) +
      (t.formal ? " · formal reporting line" : "")));
    return d;
  }
  function tooltipEvent(ev) {
    var d = el("div", "tt");
    d.appendChild(el("div", "tt-name", ev.subject || "(no subject)"));
    d.appendChild(el("div", "tt-sub", [ev.type, ev.date].filter(Boolean).join(" · ")));
    d.appendChild(el("div", "tt-row", ev.people.length + (ev.people.length === 1 ? " participant" : " participants")));
    return d;
  }

  // ---------------------------------------------------------------- styles
  function fill(p) {
    if (state.colorBy === "coalition") return p.fill_coalition;
    if (!p.internal && whatIf.overrides.has(p.id)) return stanceInfo(whatIf.overrides.get(p.id)).color;
    return p.fill_stance;
  }
  function nodeColor(p, dim) {
    if (dim) return { color: { background: DIM_NODE.background, border: DIM_NODE.border,
      highlight: { background: DIM_NODE.background, border: SELECT_BORDER },
      hover: { background: DIM_NODE.background, border: DIM_NODE.border } }, font: { color: DIM_FONT } };
    var f = fill(p);
    var b = p.border || shade(f, -0.28);
    return { color: { background: f, border: b, highlight: { background: f, border: SELECT_BORDER },
      hover: { background: f, border: b } }, font: { color: INK, size: p.font_size } };
  }
  function personNode(p) {
    var n = { id: p.id, label: p.label, shape: p.shape, size: p.size, borderWidth: p.border_width,
      borderWidthSelected: p.border_width + 2, title: tooltipPerson(p), hidden: false };
    if (p.cold) n.shapeProperties = { borderDashes: [5, 3] };
    if (p.x !== undefined) { n.x = p.x; n.y = p.y; }  // laid out in advance (large maps)
    var s = nodeColor(p, false);
    n.color = s.color;
    n.font = s.font;
    return n;
  }
  function edgeColor(t, dim) {
    var rgb = t.formal ? "66,74,83" : "101,109,118";
    var a = dim ? 0.06 : (t.formal ? 0.8 : 0.22 + 0.58 * t.strength);
    return { color: "rgba(" + rgb + "," + a.toFixed(3) + ")", highlight: SELECT_BORDER,
      hover: "rgba(" + rgb + ",0.95)", inherit: false };
  }
  function tieEdge(t) {
    var s = t.strength;
    return { id: t.id, from: t.from, to: t.to, width: t.formal ? 1.2 + 1.8 * s : 0.5 + 4.5 * s,
      dashes: t.formal ? [6, 4] : false, color: edgeColor(t, false), title: tooltipTie(t),
      arrows: { to: { enabled: !!t.directed, scaleFactor: 0.6 } }, hidden: false };
  }
  function eventColor(dim) {
    var c = dim ? DIM_NODE.background : C.event;
    return { background: c, border: dim ? DIM_NODE.border : shade(C.event, -0.2),
      highlight: { background: C.event, border: SELECT_BORDER } };
  }
  function eventEdgeColor(dim) {
    return { color: dim ? "rgba(175,184,193,0.08)" : "rgba(175,184,193,0.7)", highlight: SELECT_BORDER,
      inherit: false };
  }

  // ---------------------------------------------------------------- network
  var nodes = new vis.DataSet(people.map(personNode));
  var edges = new vis.DataSet(ties.map(tieEdge));
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.network = network;
  window.nodes = nodes;
  window.edges = edges;
  window.mapReady = false;

  var loading = document.getElementById("loading");
  var loadingBar = document.getElementById("loading-bar");
  network.on("stabilizationProgress", function (p) {
    loadingBar.style.width = Math.round(100 * p.iterations / Math.max(1, p.total)) + "%";
  });
  function ready() {
    if (window.mapReady) return;
    network.setOptions({ physics: false });
    network.fit();
    placeLabels();
    loading.classList.add("done");
    window.mapReady = true;
  }
  network.once("stabilizationIterationsDone", ready);
  network.once("stabilized", ready);
  // Without physics (large maps come laid out) there is nothing to wait for but a frame.
  if (!data.options.physics.enabled) network.once("afterDrawing", ready);
  if (people.length === 0) ready();

  // ---------------------------------------------------------------- labels
  // Names never overlap: greedily, most influential first (the selected person before
  // anyone), a name is shown only where its box meets no name already shown; the rest
  // appear on hover. Boxes are in canvas coordinates, where vis-network draws a label
  // of font size f under a node of size s at x - w/2 .. x + w/2,
  // y + s + f/2 + 4 .. y + s + 3f/2 + 4 (w measured in the same font); canvas
  // coordinates do not change with the zoom, so neither do the overlaps.
  var LABEL_PAD = 2;
  var labelFace = data.options.nodes.font.face;
  var measureCtx = document.createElement("canvas").getContext("2d");
  var labelShown = new Map();  // person id → whether the name is drawn
  function labelBox(p, pos) {
    var f = p.font_size;
    measureCtx.font = (f + "px " + labelFace).replace(/"/g, "");
    var w = measureCtx.measureText(p.label).width;
    var top = pos.y + p.size + f / 2 + 4;
    return { left: pos.x - w / 2 - LABEL_PAD, right: pos.x + w / 2 + LABEL_PAD,
      top: top - LABEL_PAD, bottom: top + f + LABEL_PAD };
  }
  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }
  function labelOrder(a, b) {
    var sa = a.id === state.focus ? 1 : 0, sb = b.id === state.focus ? 1 : 0;
    if (sa !== sb) return sb - sa;
    var ia = a.influence === null ? -1 : a.influence, ib = b.influence === null ? -1 : b.influence;
    return ib - ia || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  }
  function placeLabels() {
    var shownPeople = people.filter(function (p) { return !hiddenNodes.get(p.id); });
    var pos = network.getPositions(shownPeople.map(function (p) { return p.id; }));
    var placed = [];
    var cell = 120, grid = new Map();
    function cells(b) {
      var out = [];
      for (var gx = Math.floor(b.left / cell); gx <= Math.floor(b.right / cell); gx++)
        for (var gy = Math.floor(b.top / cell); gy <= Math.floor(b.bottom / cell); gy++) out.push(gx + "," + gy);
      return out;
    }
    var show = new Set();
    shownPeople.slice().sort(labelOrder).forEach(function (p) {
      var b = labelBox(p, pos[p.id]);
      var keys = cells(b);
      var clash = keys.some(function (k) {
        return (grid.get(k) || []).some(function (i) { return overlaps(b, placed[i]); });
      });
      if (clash) return;
      placed.push(b);
      keys.forEach(function (k) {
        if (!grid.has(k)) grid.set(k, []);
        grid.get(k).push(placed.length - 1);
      });
      show.add(p.id);
    });
    var nu = [];
    people.forEach(function (p) {
      var on = show.has(p.id);
      if (labelShown.get(p.id) !== on) {
        labelShown.set(p.id, on);
        nu.push({ id: p.id, label: on ? p.label : "" });
      }
    });
    if (nu.length) nodes.update(nu);
    return show;
  }
  function labelledPeople() {
    return people.filter(function (p) { return labelShown.get(p.id) && !hiddenNodes.get(p.id); })
      .map(function (p) { return p.id; }).sort();
  }
  network.on("hoverNode", function (params) {
    var p = byId.get(params.node);
    if (!p) return;
    if (!labelShown.get(p.id)) nodes.update({ id: p.id, label: p.label });
  });
  network.on("blurNode", function (params) {
    var p = byId.get(params.node);
    if (!p) return;
    if (!labelShown.get(p.id)) nodes.update({ id: p.id, label: "" });
  });
  network.on("dragEnd", function (params) { if (params.nodes.length && window.mapReady) placeLabels(); });

  // ---------------------------------------------------------------- visibility & focus
  function personVisible(p) {
    if (p.internal) return state.showTeam;
    return state.stances.has(p.stance) && state.coalitions.has(p.coalition) && state.roles.has(p.buying_role);
  }
  var countMsg = document.getElementById("visible-count");
  // What is hidden now, so that only the items whose visibility changes are updated:
  // updating all of them costs a large map most of a second.
  var hiddenNodes = new Map(), hiddenEdges = new Map();
  function changes(current, items) {
    return items.filter(function (x) {
      if ((current.get(x.id) || false) === x.hidden) return false;
      current.set(x.id, x.hidden);
      return true;
    });
  }
  function applyVisibility() {
    var shown = new Set();
    var nu = people.map(function (p) {
      var v = personVisible(p);
      if (v) shown.add(p.id);
      return { id: p.id, hidden: !v };
    });
    var nTies = 0;
    var eu = ties.map(function (t) {
      var v = shown.has(t.from) && shown.has(t.to) && t.strength >= state.minStrength - 1e-9;
      if (v) nTies += 1;
      return { id: t.id, hidden: !v };
    });
    if (state.events) {
      events.forEach(function (ev) {
        nu.push({ id: ev.vid, hidden: !ev.people.some(function (pid) { return shown.has(pid); }) });
      });
      state.eventEdgeIds.forEach(function (x) { eu.push({ id: x.id, hidden: !shown.has(x.person) }); });
    }
    nu = changes(hiddenNodes, nu);
    if (nu.length) nodes.update(nu);
    eu = changes(hiddenEdges, eu);
    if (eu.length) edges.update(eu);
    var nPeople = people.filter(function (p) { return shown.has(p.id) && !p.internal; }).length;
    countMsg.textContent = "Showing " + nPeople + " people and " + nTies + " ties";
    if (state.focus !== null && byId.has(state.focus) && !shown.has(state.focus)) clearFocus();
    if (window.mapReady) placeLabels();
    return shown;
  }

  function restyle() {
    var near = null;
    if (state.focus !== null) {
      near = new Set([state.focus]);
      network.getConnectedNodes(state.focus).forEach(function (id) { near.add(id); });
    }
    var f = state.focus;
    var nu = people.map(function (p) {
      var s = nodeColor(p, near !== null && !near.has(p.id));
      return { id: p.id, color: s.color, font: s.font };
    });
    if (state.events) {
      events.forEach(function (ev) {
        nu.push({ id: ev.vid, color: eventColor(near !== null && !near.has(ev.vid)) });
      });
    }
    nodes.update(nu);
    var eu = ties.map(function (t) {
      return { id: t.id, color: edgeColor(t, f !== null && t.from !== f && t.to !== f) };
    });
    state.eventEdgeIds.forEach(function (x) {
      eu.push({ id: x.id, color: eventEdgeColor(f !== null && x.event !== f && x.person !== f) });
    });
    edges.update(eu);
  }
  function focusOn(id) {
    state.focus = id;
    restyle();
    if (window.mapReady) placeLabels();
  }
  function clearFocus() {
    state.focus = null;
    network.unselectAll();
    restyle();
    if (window.mapReady) placeLabels();
  }

  // ---------------------------------------------------------------- what-if
  // The support model of influence.analysis.support (Friedkin–Johnsen), solved again
  // here when a stance is changed: (I − ΛW) x = (I − Λ) u, where W (who listens to whom),
  // the priors u and the susceptibilities Λ come from #map-data. An override sets the
  // person's prior to score / 2 (0 when unknown) and λ to the anchor (unknown)
  // susceptibility, 0 without in-ties; whoever reaches no anchor (λ < 1) through the
  // people they listen to keeps their prior. Overall support is the influence-weighted
  // mean. Until a stance is changed the figures shown are the analysis' own.
  var model = data.support_model;
  var modelIndex = new Map();
  var listensTo = [], listeners = [];
  if (model) {
    model.ids.forEach(function (id, i) { modelIndex.set(id, i); listensTo.push([]); listeners.push([]); });
    model.weights.forEach(function (t) {
      listensTo[t[0]].push([t[1], t[2]]);
      listeners[t[1]].push(t[0]);
    });
  }
  var DENSE_MAX = 1200;  // people up to which the system is solved exactly (dense LU)

  function solveDense(n, lam, b) {
    var a = new Float64Array(n * n), x = Float64Array.from(b);
    for (var i = 0; i < n; i++) {
      a[i * n + i] = 1;
      listensTo[i].forEach(function (jw) { a[i * n + jw[0]] -= lam[i] * jw[1]; });
    }
    for (var k = 0; k < n; k++) {
      var piv = k, best = Math.abs(a[k * n + k]);
      for (var r = k + 1; r < n; r++) {
        var v = Math.abs(a[r * n + k]);
        if (v > best) { best = v; piv = r; }
      }
      if (piv !== k) {
        for (var c = k; c < n; c++) {
          var tmp = a[k * n + c]; a[k * n + c] = a[piv * n + c]; a[piv * n + c] = tmp;
        }
        var tb = x[k]; x[k] = x[piv]; x[piv] = tb;
      }
      var d = a[k * n + k];
      for (var r2 = k + 1; r2 < n; r2++) {
        var f = a[r2 * n + k] / d;
        if (f === 0) continue;
        for (var c2 = k + 1; c2 < n; c2++) a[r2 * n + c2] -= f * a[k * n + c2];
        x[r2] -= f * x[k];
      }
    }
    for (var i2 = n - 1; i2 >= 0; i2--) {
      var sum = x[i2];
      for (var c3 = i2 + 1; c3 < n; c3++) sum -= a[i2 * n + c3] * x[c3];
      x[i2] = sum / a[i2 * n + i2];
    }
    return x;
  }
  function solveIterative(n, lam, b) {  // Gauss–Seidel, for very large accounts
    var x = Float64Array.from(b);
    for (var sweep = 0; sweep < 100000; sweep++) {
      var change = 0;
      for (var i = 0; i < n; i++) {
        var v = b[i];
        for (var k = 0; k < listensTo[i].length; k++) v += lam[i] * listensTo[i][k][1] * x[listensTo[i][k][0]];
        change = Math.max(change, Math.abs(v - x[i]));
        x[i] = v;
      }
      if (change < 1e-13) break;
    }
    return x;
  }
  function solveSupport(overrides) {
    var n = model.ids.length;
    var u = Float64Array.from(model.prior), lam = Float64Array.from(model.susceptibility);
    overrides.forEach(function (stance, id) {
      var i = modelIndex.get(id);
      if (i === undefined) return;
      var score = Object.prototype.hasOwnProperty.call(data.stance_scores, stance) ?
        data.stance_scores[stance] : null;
      var open = listensTo[i].length > 0;
      u[i] = score === null ? 0 : score / 2;
      lam[i] = open ? (score === null ? model.unknown_susceptibility : model.anchor_susceptibility) : 0;
    });
    // who reaches an anchor, following whom they listen to
    var reach = new Uint8Array(n), queue = [];
    for (var i = 0; i < n; i++) if (lam[i] < 1) { reach[i] = 1; queue.push(i); }
    for (var q = 0; q < queue.length; q++) {
      listeners[queue[q]].forEach(function (l) { if (!reach[l]) { reach[l] = 1; queue.push(l); } });
    }
    var b = new Float64Array(n);
    for (var j = 0; j < n; j++) {
      if (!reach[j]) lam[j] = 0;
      b[j] = (1 - lam[j]) * u[j];
    }
    var x = n <= DENSE_MAX ? solveDense(n, lam, b) : solveIterative(n, lam, b);
    var out = new Map(), num = 0, den = 0;
    for (var k = 0; k < n; k++) {
      var v = Math.max(-1, Math.min(1, x[k]));
      out.set(model.ids[k], v);
      num += model.influence[k] * v;
      den += model.influence[k];
    }
    return { support: out, overall: den > 0 ? num / den : 0 };
  }
  function currentSupport(id) {
    if (whatIf.result) return whatIf.result.support.has(id) ? whatIf.result.support.get(id) : null;
    var p = byId.get(id);
    return p ? p.support : null;
  }
  function currentOverall() { return whatIf.result ? whatIf.result.overall : model.overall; }

  var overallBox = document.getElementById("overall");
  var overallEl = document.getElementById("overall-support");
  var overallMeaning = document.getElementById("overall-meaning");
  var whatIfNote = document.getElementById("what-if-note");
  var resetButton = document.getElementById("what-if-reset");
  function showSupport() {
    if (!model) return;
    var x = currentOverall();
    overallBox.hidden = false;
    overallEl.textContent = signed(x);
    overallEl.dataset.value = String(x);
    // The analysis' own words (the report's and summary.csv's), shown until a what-if.
    var meaning = model.meaning ? String(model.meaning) : "";
    overallMeaning.textContent = "(" + (meaning ? meaning.split(",")[0] : supportWord(x)) +
      ", on −1 … +1)";
    overallMeaning.title = meaning ||
      "Influence-weighted mean of predicted support: −1 all against, +1 all for";
    var n = whatIf.overrides.size;
    whatIfNote.textContent = n ? "what-if: " + n + (n === 1 ? " stance changed" : " stances changed") +
      ", was " + signed(model.overall) : "";
    overallMeaning.hidden = n > 0;
    resetButton.hidden = n === 0;
    overallBox.classList.toggle("what-if", n > 0);
    var cell = document.getElementById("panel-support");
    if (cell && state.panelPerson !== null) {
      var v = currentSupport(state.panelPerson);
      cell.textContent = v === null ? "–" : signed(v) + " (" + supportWord(v) + ")";
      cell.dataset.value = v === null ? "" : String(v);
    }
  }
  function setStance(id, stance) {
    var p = byId.get(id);
    if (!p || p.internal || !model) return null;
    if (stance === p.stance || stance === null) whatIf.overrides.delete(id);
    else whatIf.overrides.set(id, stance);
    whatIf.result = whatIf.overrides.size ? solveSupport(whatIf.overrides) : null;
    restyle();
    showSupport();
    return whatIfFigures();
  }
  function resetWhatIf() {
    whatIf.overrides.clear();
    whatIf.result = null;
    document.querySelectorAll("#what-if-stance").forEach(function (s) {
      var p = byId.get(state.panelPerson);
      if (p) s.value = p.stance;
    });
    restyle();
    showSupport();
  }
  function whatIfFigures() {
    var sup = {};
    if (model) model.ids.forEach(function (id) { sup[id] = currentSupport(id); });
    return { overall: model ? currentOverall() : null, support: sup,
      overrides: Object.fromEntries(whatIf.overrides) };
  }
  function whatIfControl(p) {
    var box = el("div", "what-if-box");
    var label = el("label", "what-if-label", "What if their stance were ");
    var sel = el("select");
    sel.id = "what-if-stance";
    data.stances.forEach(function (s) {
      var o = el("option", null, s.label + (s.key === p.stance ? " (recorded)" : ""));
      o.value = s.key;
      sel.appendChild(o);
    });
    sel.value = whatIf.overrides.has(p.id) ? whatIf.overrides.get(p.id) : p.stance;
    sel.addEventListener("change", function () { setStance(p.id, sel.value); });
    label.appendChild(sel);
    box.appendChild(label);
    var reset = el("button", "what-if-panel-reset", "Reset all");
    reset.type = "button";
    reset.addEventListener("click", resetWhatIf);
    box.appendChild(reset);
    return box;
  }
  resetButton.addEventListener("click", resetWhatIf);
  if (model) showSupport();

  // ---------------------------------------------------------------- side panel
  var panel = document.getElementById("panel");
  var panelBody = document.getElementById("panel-body");
  function row(dl, term, value) {
    dl.appendChild(el("dt", null, term));
    var dd = el("dd");
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = value;
    dl.appendChild(dd);
  }
  function bar(value, max, text) {
    var d = el("span", "bar-cell");
    var b = el("span", "mini-bar");
    var fillEl = el("span");
    fillEl.style.width = value === null ? "0" : Math.max(0, Math.min(100, 100 * value / max)) + "%";
    b.appendChild(fillEl);
    d.appendChild(el("span", null, text));
    d.appendChild(b);
    return d;
  }
  function hops(n) { return n + (n === 1 ? " hop" : " hops"); }
  var nCustomers = people.filter(function (p) { return !p.internal; }).length;
  function personLink(id, cls) {
    var p = byId.get(id);
    var b = el("button", "link " + (cls || ""), p ? p.name : id);
    b.type = "button";
    b.addEventListener("click", function () { selectPerson(id, true); });
    return b;
  }
  function showPerson(p) {
    state.panelPerson = p.id;
    panelBody.replaceChildren();
    panelBody.appendChild(el("h2", "panel-name", p.name));
    var sub = [p.title, p.department].filter(Boolean).join(" · ");
    if (sub) panelBody.appendChild(el("p", "role", sub));
    var badges = el("div", "badges");
    if (p.hidden) badges.appendChild(el("span", "badge hidden-inf", "★ Hidden influencer"));
    if (p.internal) badges.appendChild(el("span", "badge team", "Our team"));
    if (p.cold) badges.appendChild(el("span", "badge cold", "Cold: " + coldText(p)));
    var st = el("span", "badge");
    var info = stanceInfo(p.stance);
    st.appendChild(swatch(info.color));
    st.appendChild(document.createTextNode(info.label));
    if (!p.internal) badges.appendChild(st);
    if (p.buying_role) badges.appendChild(el("span", "badge", p.buying_role));
    if (p.network_role) badges.appendChild(el("span", "badge", p.network_role));
    panelBody.appendChild(badges);

    // Plain words first; the raw centralities under "Details".
    var dl = el("dl", "metrics");
    if (!p.internal) {
      row(dl, "Influence", bar(p.influence, 100, fmt(p.influence, 0) + " of 100"));
      row(dl, "Rank", p.rank === null ? "–" : p.rank + " of " + nCustomers);
      row(dl, "Role", [p.buying_role, p.network_role].filter(Boolean).join(" · ") || "–");
      row(dl, "Coalition", p.coalition || "–");
      row(dl, "Our strongest tie", p.tie_name ?
        p.tie_name + " (strength " + fmt(p.coverage, 2) + ")" : "none");
    } else {
      row(dl, "Coalition", p.coalition || "–");
    }
    row(dl, "Last contact", lastContact(p));
    row(dl, "Last active", lastActive(p));
    if (!p.internal && model) {
      var sv = el("span", "support-value");
      sv.id = "panel-support";
      row(dl, "Predicted support", sv);
    }
    panelBody.appendChild(dl);
    if (!p.internal && model) panelBody.appendChild(whatIfControl(p));

    var det = el("details", "raw");
    det.appendChild(el("summary", null, "Details"));
    var raw = el("dl", "metrics");
    row(raw, "PageRank", fmt(p.pagerank, 4));
    row(raw, "Betweenness", fmt(p.betweenness, 3));
    row(raw, "Eigenvector", fmt(p.eigenvector, 3));
    row(raw, "Closeness", fmt(p.closeness, 3));
    row(raw, "Degree", fmt(p.degree, 3));
    if (!p.internal) row(raw, "Influence score", fmt(p.influence, 1));
    det.appendChild(raw);
    panelBody.appendChild(det);
    showSupport();

    // A suggestion from the engagement rules, never a step to follow.
    if (p.suggested_role) {
      panelBody.appendChild(el("h3", null, "Suggested engagement"));
      var sg = el("p", "engagement");
      sg.appendChild(el("span", "engage-role", "Suggested role: " + p.suggested_role));
      if (p.engagement_reason) {
        sg.appendChild(document.createTextNode(" — because "));
        sg.appendChild(el("span", "engage-reason", p.engagement_reason));
      }
      panelBody.appendChild(sg);
    }

    if (!p.internal) {
      panelBody.appendChild(el("h3", null, "Warm paths to " + p.name));
      if (p.paths.length) {
        var ol = el("ol", "paths");
        p.paths.forEach(function (w) {
          var li = el("li", "path");
          li.appendChild(el("span", "path-names", w.path.join(" → ")));
          li.appendChild(el("span", "path-strength", "strength " + fmt(w.strength, 2) + " · " +
            hops(Math.max(0, w.path.length - 1))));
          ol.appendChild(li);
        });
        panelBody.appendChild(ol);
      } else {
        panelBody.appendChild(el("p", "empty", "No warm path from our team."));
      }
    }
    var near = neighbours.get(p.id).slice().sort(function (a, b) {
      return b.tie.strength - a.tie.strength || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    }).slice(0, 8);
    panelBody.appendChild(el("h3", null, "Strongest ties"));
    if (near.length) {
      var ul = el("ul", "ties");
      near.forEach(function (nb) {
        var li = el("li");
        li.appendChild(personLink(nb.id));
        li.appendChild(el("span", "tie-label", fmt(nb.tie.strength, 2) +
          (nb.tie.formal ? " · reporting line" : "") + (nb.tie.label ? " · " + nb.tie.label : "")));
        ul.appendChild(li);
      });
      panelBody.appendChild(ul);
    } else {
      panelBody.appendChild(el("p", "empty", "No ties."));
    }
    panel.hidden = false;
    panel.scrollTop = 0;
  }
  function showEvent(ev) {
    state.panelPerson = null;
    panelBody.replaceChildren();
    panelBody.appendChild(el("h2", "panel-name", ev.subject || "(no subject)"));
    panelBody.appendChild(el("p", "role", [ev.type, ev.date].filter(Boolean).join(" · ")));
    panelBody.appendChild(el("h3", null, "Participants"));
    var ul = el("ul", "ties");
    ev.people.forEach(function (pid) {
      var li = el("li");
      li.appendChild(personLink(pid));
      ul.appendChild(li);
    });
    panelBody.appendChild(ul);
    panel.hidden = false;
  }
  function closePanel() { panel.hidden = true; state.panelPerson = null; }
  document.getElementById("panel-close").addEventListener("click", function () {
    closePanel();
    clearFocus();
  });

  // Where the centre of the part of the map the side panel leaves visible is, relative
  // to the centre of the map (DOM pixels): network.focus puts the person there.
  function visibleOffset() {
    var c = container.getBoundingClientRect();
    if (panel.hidden) return { x: 0, y: 0 };
    var r = panel.getBoundingClientRect();
    var right = Math.min(c.right, r.left);
    if (right - c.left < 80) return { x: 0, y: 0 };  // the panel covers (nearly) all of it
    return { x: (c.left + right) / 2 - (c.left + c.right) / 2, y: 0 };
  }
  function selectPerson(id, move) {
    var p = byId.get(id);
    if (!p) return;
    network.selectNodes([id]);
    focusOn(id);
    showPerson(p);
    if (move) {
      network.focus(id, { scale: Math.max(network.getScale(), 1.0), offset: visibleOffset(),
        animation: { duration: 350, easingFunction: "easeInOutQuad" } });
    }
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      var id = params.nodes[0];
      if (byId.has(id)) selectPerson(id, false);
      else if (eventById.has(id)) { focusOn(id); showEvent(eventById.get(id)); }
    } else {
      closePanel();
      clearFocus();
    }
  });

  // ---------------------------------------------------------------- search
  var search = document.getElementById("search");
  var searchMsg = document.getElementById("search-msg");
  var list = document.getElementById("people-list");
  people.slice().sort(function (a, b) {
    return a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1);
  }).forEach(function (p) {
    var o = document.createElement("option");
    o.value = p.name;
    var sub = [p.title, p.department].filter(Boolean).join(" · ");
    if (sub) o.label = sub;
    list.appendChild(o);
  });
  var keys = new Map();
  people.forEach(function (p) { keys.set(p.id, fold(p.name)); });
  function byInfluence(a, b) {
    var ia = a.influence === null ? -1 : a.influence, ib = b.influence === null ? -1 : b.influence;
    return ib - ia || a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1);
  }
  var searchOrder = people.slice().sort(byInfluence);
  // Exact name, then the same letters whatever the accents and case, then the id, then
  // a name or one of its words starting with the query, then anywhere in the name;
  // the most influential match first.
  function findPerson(q) {
    q = q.trim();
    if (!q) return null;
    var fq = fold(q);
    var tests = [
      function (p) { return p.name === q; },
      function (p) { return keys.get(p.id) === fq; },
      function (p) { return p.id === q; },
      function (p) { return keys.get(p.id).indexOf(fq) === 0; },
      function (p) { return keys.get(p.id).split(/[\s\-'’.]+/).some(function (w) { return w.indexOf(fq) === 0; }); },
      function (p) { return keys.get(p.id).indexOf(fq) >= 0; }
    ];
    for (var i = 0; i < tests.length; i++) {
      var hit = searchOrder.find(tests[i]);
      if (hit) return hit;
    }
    return null;
  }
  function runSearch() {
    var q = search.value;
    var p = findPerson(q);
    if (!p) {
      searchMsg.textContent = q.trim() ? "No one matches “" + q.trim() + "”." : "";
      return null;
    }
    selectPerson(p.id, true);
    searchMsg.textContent = personVisible(p) ? "Found " + p.name + "." :
      p.name + " is hidden by the filters.";
    return p.id;
  }
  search.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); runSearch(); } });
  search.addEventListener("change", runSearch);
  document.getElementById("search-go").addEventListener("click", runSearch);

  // ---------------------------------------------------------------- filters
  function countBy(key) {
    var m = new Map();
    people.forEach(function (p) { if (!p.internal) m.set(p[key], (m.get(p[key]) || 0) + 1); });
    return m;
  }
  function checkbox(container, set, value, text, color, count) {
    var label = el("label");
    var input = el("input");
    input.type = "checkbox";
    input.checked = true;
    input.value = value;
    input.addEventListener("change", function () {
      if (input.checked) set.add(value); else set.delete(value);
      applyVisibility();
    });
    label.appendChild(input);
    if (color) label.appendChild(swatch(color));
    label.appendChild(el("span", "ftext", text));
    label.appendChild(el("span", "fcount", " (" + count + ")"));
    container.appendChild(label);
  }
  var stanceCounts = countBy("stance");
  var fs = document.getElementById("filter-stance");
  data.stances.forEach(function (s) {
    checkbox(fs, state.stances, s.key, s.label, s.color, stanceCounts.get(s.key) || 0);
  });
  var coalitionCounts = countBy("coalition");
  var fc = document.getElementById("filter-coalition");
  data.coalitions.forEach(function (c) {
    checkbox(fc, state.coalitions, c.label, c.label, c.color, coalitionCounts.get(c.label) || 0);
  });
  if (coalitionCounts.has("")) {
    checkbox(fc, state.coalitions, "", "No coalition", C.no_coalition, coalitionCounts.get(""));
  }
  var roleCounts = countBy("buying_role");
  var fr = document.getElementById("filter-role");
  data.roles.forEach(function (r) {
    checkbox(fr, state.roles, r, r || "No buying role", null, roleCounts.get(r) || 0);
  });

  var slider = document.getElementById("min-strength");
  var sliderValue = document.getElementById("min-strength-value");
  slider.addEventListener("input", function () {
    state.minStrength = parseFloat(slider.value) || 0;
    sliderValue.textContent = state.minStrength.toFixed(2);
    applyVisibility();
  });
  document.getElementById("show-team").addEventListener("change", function (e) {
    state.showTeam = e.target.checked;
    applyVisibility();
  });
  document.querySelectorAll("input[name=color-by]").forEach(function (r) {
    r.addEventListener("change", function () {
      if (!r.checked) return;
      state.colorBy = r.value;
      document.body.className = "color-" + r.value;
      restyle();
    });
  });

  // ---------------------------------------------------------------- events
  function showEvents(on) {
    if (on === state.events) return;
    if (on) {
      var pos = network.getPositions(people.map(function (p) { return p.id; }));
      var nn = [], ee = [];
      events.forEach(function (ev, i) {
        var x = 0, y = 0;
        ev.people.forEach(function (pid) { x += pos[pid].x; y += pos[pid].y; });
        x /= ev.people.length;
        y /= ev.people.length;
        var angle = i * 2.39996323, r = 22 + (i % 9) * 7;
        nn.push({ id: ev.vid, shape: "dot", size: 4, borderWidth: 1, x: x + r * Math.cos(angle),
          y: y + r * Math.sin(angle), color: eventColor(false), title: tooltipEvent(ev),
          font: { size: 10 }, physics: false });
        ev.people.forEach(function (pid) {
          var id = "evlink:" + state.eventEdgeIds.length;
          state.eventEdgeIds.push({ id: id, event: ev.vid, person: pid });
          ee.push({ id: id, from: ev.vid, to: pid, width: 0.6, color: eventEdgeColor(false),
            smooth: false, physics: false, arrows: { to: { enabled: false } } });
        });
      });
      nodes.add(nn);
      edges.add(ee);
      state.events = true;
    } else {
      edges.remove(state.eventEdgeIds.map(function (x) { return x.id; }));
      nodes.remove(events.map(function (ev) { return ev.vid; }));
      state.eventEdgeIds.forEach(function (x) { hiddenEdges.delete(x.id); });
      events.forEach(function (ev) { hiddenNodes.delete(ev.vid); });
      state.eventEdgeIds = [];
      state.events = false;
      if (state.focus !== null && eventById.has(state.focus)) { closePanel(); state.focus = null; }
    }
    applyVisibility();
    restyle();
  }
  var eventToggle = document.getElementById("show-events");
  eventToggle.disabled = events.length === 0;
  eventToggle.addEventListener("change", function () { showEvents(eventToggle.checked); });

  applyVisibility();

  window.influenceMap = {
    state: state,
    select: selectPerson,
    search: runSearch,
    fold: fold,
    person: function (id) { return byId.get(id) || null; },
    find: function (q) { var p = findPerson(q); return p ? p.id : null; },
    labelled: labelledPeople,
    placeLabels: placeLabels,
    setStance: setStance,
    resetWhatIf: resetWhatIf,
    whatIf: function (overrides) {  // solve for {id: stance} without changing the page
      if (!model) return null;
      var r = solveSupport(new Map(Object.entries(overrides || {})));
      return { overall: r.overall, support: Object.fromEntries(r.support) };
    },
    figures: whatIfFigures,
    showEvents: showEvents,
    visiblePeople: function () {
      return nodes.get({ filter: function (n) { return byId.has(n.id) && !n.hidden; } })
        .map(function (n) { return n.id; }).sort();
    },
    visibleTies: function () {
      return edges.get({ filter: function (e) { return !e.hidden && e.id.indexOf("evlink:") !== 0; } })
        .map(function (e) { return e.id; }).sort();
    }
  };
})();
