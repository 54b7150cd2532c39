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
    eventEdgeIds: []
  };

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
    d.appendChild(el("div", "tt-row", "Betweenness " + fmt(p.betweenness, 3) +
      " · PageRank " + fmt(p.pagerank, 3)));
    d.appendChild(el("div", "tt-row", "Last contact: " + (p.last_contact || "never")));
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
  function fill(p) { return state.colorBy === "coalition" ? p.fill_coalition : p.fill_stance; }
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
    loading.classList.add("done");
    window.mapReady = true;
  }
  network.once("stabilizationIterationsDone", ready);
  network.once("stabilized", ready);
  // Without physics (large maps come laid out) there is nothing to wait for but a frame.
  if (!data.options.physics.enabled) network.once("afterDrawing", ready);
  if (people.length === 0) ready();

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
  function focusOn(id) { state.focus = id; restyle(); }
  function clearFocus() {
    state.focus = null;
    network.unselectAll();
    restyle();
  }

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
  function personLink(id, cls) {
    var p = byId.get(id);
    var b = el("button", "link " + (cls || ""), p ? p.name : id);
    b.type = "button";
    b.addEventListener("click", function () { selectPerson(id, true); });
    return b;
  }
  function showPerson(p) {
    panelBody.replaceChildren();
    panelBody.appendChild(el("h2", "panel-name", p.name));
    var sub = [p.title, p.department].filter(Boolean).join(" · ");
    if (sub) panelBody.appendChild(el("p", "role", sub));
    var badges = el("div", "badges");
    if (p.hidden) badges.appendChild(el("span", "badge hidden-inf", "★ Hidden influencer"));
    if (p.internal) badges.appendChild(el("span", "badge team", "Our team"));
    var st = el("span", "badge");
    var info = stanceInfo(p.stance);
    st.appendChild(swatch(info.color));
    st.appendChild(document.createTextNode(info.label));
    if (!p.internal) badges.appendChild(st);
    if (p.buying_role) badges.appendChild(el("span", "badge", p.buying_role));
    if (p.network_role) badges.appendChild(el("span", "badge", p.network_role));
    panelBody.appendChild(badges);

    var dl = el("dl", "metrics");
    if (!p.internal) {
      row(dl, "Influence", bar(p.influence, 100, fmt(p.influence, 1)));
      row(dl, "Rank", p.rank === null ? "–" : String(p.rank));
    }
    row(dl, "PageRank", fmt(p.pagerank, 4));
    row(dl, "Betweenness", fmt(p.betweenness, 3));
    row(dl, "Eigenvector", fmt(p.eigenvector, 3));
    row(dl, "Closeness", fmt(p.closeness, 3));
    row(dl, "Degree", fmt(p.degree, 3));
    row(dl, "Coalition", p.coalition || "–");
    if (!p.internal) {
      row(dl, "Strongest internal tie", p.tie_name || "none");
      row(dl, "Coverage strength", bar(p.coverage, 1, fmt(p.coverage, 2)));
    }
    row(dl, "Last contact", p.last_contact || "never");
    panelBody.appendChild(dl);

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
            Math.max(0, w.path.length - 1) + " hops"));
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
  function closePanel() { panel.hidden = true; }
  document.getElementById("panel-close").addEventListener("click", function () {
    closePanel();
    clearFocus();
  });

  function selectPerson(id, move) {
    var p = byId.get(id);
    if (!p) return;
    network.selectNodes([id]);
    focusOn(id);
    showPerson(p);
    if (move) {
      network.focus(id, { scale: Math.max(network.getScale(), 1.0),
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
  function findPerson(q) {
    q = q.trim();
    if (!q) return null;
    var lq = q.toLowerCase();
    var tests = [
      function (p) { return p.name === q; },
      function (p) { return p.name.toLowerCase() === lq; },
      function (p) { return p.id === q; },
      function (p) { return p.name.toLowerCase().indexOf(lq) === 0; },
      function (p) { return p.name.toLowerCase().indexOf(lq) >= 0; }
    ];
    for (var i = 0; i < tests.length; i++) {
      var hit = people.find(tests[i]);
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
