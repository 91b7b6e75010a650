// Swap a timeline's static preview for the interactive Plotly chart when the reader asks.
// plotly.js (the basic bundle, one cached file in _static/studybook/) is fetched on first hover or focus.
// The live chart is also a keyboard widget: a list of its events in time order (each a button named
// by title and date, which shows the event's card and, on Enter, goes to the paragraph that tells it)
// and buttons that zoom and move the time axis.
"use strict";
(() => {
  const here = document.currentScript.src;
  const plotlyUrl = new URL("plotly-basic.min.js", here).href;
  let plotlyLoading = null;

  function loadPlotly() {
    plotlyLoading ??= new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = plotlyUrl;
      script.onload = () => resolve(window.Plotly);
      script.onerror = reject;
      document.head.append(script);
    });
    return plotlyLoading;
  }

  // Go to the paragraph that tells an event; on this page, scroll there and mark it.
  function openEvent(link) {
    const url = new URL(link, window.location.href);
    if (url.pathname === window.location.pathname) {
      const target = document.getElementById(decodeURIComponent(url.hash.slice(1)));
      if (target) {
        history.pushState(null, "", url.hash);
        for (const old of document.querySelectorAll(".event-highlight")) old.classList.remove("event-highlight");
        target.classList.add("event-highlight");
        target.tabIndex = -1;
        target.scrollIntoView({ block: "center" });
        target.focus({ preventScroll: true });
        return;
      }
    }
    window.location.href = url.href;
  }

  // Where each event is drawn: [trace number, point number], by event id.
  function pointsById(data) {
    const points = new Map();
    data.forEach((trace, curve) => (trace.customdata || []).forEach(([id], index) => points.set(id, [curve, index])));
    return points;
  }

  function button(text, onClick) {
    const element = document.createElement("button");
    element.type = "button";
    element.textContent = text;
    element.addEventListener("click", onClick);
    return element;
  }

  function axisControls(Plotly, chart) {
    const bar = document.createElement("div");
    bar.className = "timeline-controls";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Time axis");
    const axis = () => (chart.layout.xaxis2 ? "xaxis2" : "xaxis");
    const shift = (zoom, move) => () => {
      const [start, end] = chart.layout[axis()].range.map((d) => new Date(d).getTime());
      const middle = (start + end) / 2 + move * (end - start);
      const half = ((end - start) / 2) * zoom;
      Plotly.relayout(chart, { [`${axis()}.range`]: [new Date(middle - half), new Date(middle + half)] });
    };
    bar.append(
      button("Zoom in", shift(0.5, 0)), button("Zoom out", shift(2, 0)),
      button("Earlier", shift(1, -0.25)), button("Later", shift(1, 0.25)),
      button("Whole span", () => Plotly.relayout(chart, { [`${axis()}.autorange`]: true })),
    );
    return bar;
  }

  function eventList(Plotly, chart, payload) {
    const points = pointsById(payload.figure.data);
    const list = document.createElement("ol");
    list.className = "timeline-keyboard";
    list.setAttribute("aria-label", "Events of the chart, in time order");
    for (const [id, name] of payload.order) {
      const item = document.createElement("li");
      const entry = button(name, () => openEvent(payload.links[id]));
      entry.dataset.event = id;
      entry.addEventListener("focus", () => {
        const [curveNumber, pointNumber] = points.get(id) || [];
        if (curveNumber !== undefined) {
          const trace = payload.figure.data[curveNumber];
          Plotly.Fx.hover(chart, [{ curveNumber, pointNumber }], `${trace.xaxis || "x"}${trace.yaxis || "y"}`);
        }
      });
      entry.addEventListener("blur", () => Plotly.Fx.unhover(chart));
      // Arrow keys move through the events as in a list box; Tab leaves the list.
      entry.addEventListener("keydown", (event) => {
        const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[event.key];
        const sibling = step && item[step > 0 ? "nextElementSibling" : "previousElementSibling"];
        if (sibling) {
          event.preventDefault();
          sibling.querySelector("button").focus();
        }
      });
      item.append(entry);
      list.append(item);
    }
    return list;
  }

  async function activate(activator) {
    const figure = activator.closest("figure");
    const payload = JSON.parse(figure.querySelector("script.timeline-data").textContent);
    const Plotly = await loadPlotly();
    const chart = document.createElement("div");
    chart.className = "timeline-chart";
    // The drawing repeats what the event list says; screen readers get the list and the controls.
    chart.setAttribute("aria-hidden", "true");
    const preview = figure.querySelector("img");
    const widget = document.createElement("div");
    widget.className = "timeline-live";
    widget.setAttribute("role", "group");
    widget.setAttribute("aria-label", preview.alt);
    preview.replaceWith(widget);
    activator.remove();
    const config = { responsive: true, displaylogo: false, displayModeBar: false };
    const layout = { ...payload.figure.layout, autosize: true, width: undefined };
    await Plotly.newPlot(chart, payload.figure.data, layout, config);
    widget.append(axisControls(Plotly, chart), chart, eventList(Plotly, chart, payload));
    widget.querySelector(".timeline-keyboard button").focus(); // the activator is gone: keep the reader's place
    chart.on("plotly_click", (event) => {
      const [id] = event.points[0].customdata;
      if (payload.links[id]) openEvent(payload.links[id]);
    });
  }

  for (const activator of document.querySelectorAll("button.timeline-activate")) {
    activator.addEventListener("pointerover", loadPlotly, { once: true });
    activator.addEventListener("focus", loadPlotly, { once: true });
    activator.addEventListener("click", () => activate(activator));
  }
})();
