// The network of an actor's relations, drawn with cytoscape.js: on an actor page of kg serve (the data in the
// box's data-graph attribute; a click opens an actor) and in the offline page of 'kg graph' (the data in the
// JSON element #kg-network), which inlines this file.
(function () {
  var box = document.getElementById("network");
  if (!box || typeof cytoscape === "undefined") return;
  var inline = document.getElementById("kg-network");
  var graph = JSON.parse(box.dataset.graph || (inline && inline.textContent) || '{"nodes": [], "edges": []}');
  var cy = cytoscape({
    container: box,
    minZoom: 0.1,
    maxZoom: 1.6,  // two or three actors are not blown up to fill the box
    elements: graph.nodes.concat(graph.edges),
    layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: 8000 },
    style: [
      { selector: "node", style: { "label": "data(label)", "font-size": 10, "background-color": "#90a4ae",
                                   "width": 14, "height": 14, "text-valign": "bottom", "text-margin-y": 3 } },
      { selector: "node[?focus]", style: { "background-color": "#1565c0", "width": 22, "height": 22,
                                           "font-weight": "bold" } },
      { selector: "node[type = 'Topic']", style: { "shape": "round-rectangle", "background-color": "#6a1b9a" } },
      { selector: "edge", style: { "width": 1.5, "line-color": "#b0bec5", "target-arrow-color": "#b0bec5",
                                   "target-arrow-shape": "triangle", "curve-style": "bezier", "label": "data(label)",
                                   "font-size": 8, "color": "#607d8b" } },
      { selector: "edge[type = 'supports']", style: { "line-color": "#2e7d32", "target-arrow-color": "#2e7d32" } },
      { selector: "edge[type = 'opposes']", style: { "line-color": "#c62828", "target-arrow-color": "#c62828" } }
    ]
  });
  cy.on("tap", "node", function (e) {
    var href = e.target.data("href");
    if (href) window.location.href = href;
  });
  box.dataset.rendered = String(cy.nodes().length);
})();
