// Swap a timeline's static preview for the interactive Plotly chart when the reader asks.
// plotly.js (the basic bundle, one cached file in _static/studybook/) is fetched on first hover or focus.
// The live chart is also a keyboard widget: a list of its events in time order (each a button named
// by title and date, which shows the event's card and, on Enter, goes to the paragraph that tells it)
// and buttons that zoom and move the time axis. With several theatres it offers a filter by theatre; for
// whichever event has focus or the pointer, it lists what else the book dates to the same month.
// On a narrow screen the whole list of events shows below the drawing.
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

  // Checkboxes that show or hide a theatre's marks and its events in the list.
  function theatreFilter(Plotly, chart, payload, list) {
    const theatres = [...new Set(Object.values(payload.details).map(([theatre]) => theatre))];
    if (theatres.length < 2) return null;
    const group = document.createElement("fieldset");
    group.className = "timeline-filter";
    const legend = document.createElement("legend");
    legend.textContent = "Theatres shown";
    group.append(legend);
    for (const theatre of theatres) {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.checked = true;
      box.addEventListener("change", () => {
        const traces = payload.figure.data.flatMap((trace, index) => (trace.name === theatre ? [index] : []));
        Plotly.restyle(chart, { visible: box.checked }, traces);
        for (const item of list.children) {
          if (payload.details[item.dataset.event][0] === theatre) item.hidden = !box.checked;
        }
      });
      label.append(box, ` ${theatre}`);
      group.append(label);
    }
    return group;
  }

  // "Also in May 1926": the other events of the focused event's month, each a link to its paragraph.
  function monthPanel(payload) {
    const panel = document.createElement("section");
    panel.className = "timeline-month";
    panel.setAttribute("aria-live", "polite");
    panel.setAttribute("aria-label", "Also in that month");
    panel.show = (id) => {
      const [, month, monthName] = payload.details[id];
      const others = Object.entries(payload.details).filter(([other, d]) => other !== id && d[1] === month);
      const heading = document.createElement("p");
      heading.className = "timeline-month-heading";
      heading.textContent = others.length ? `Also in ${monthName}:` : `Nothing else in this book is dated ${monthName}.`;
      const list = document.createElement("ul");
      for (const [other, [theatre, , , title, date]] of others) {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = payload.links[other];
        link.textContent = title;
        link.addEventListener("click", (event) => { event.preventDefault(); openEvent(payload.links[other]); });
        item.append(link, ` (${theatre}, ${date})`);
        list.append(item);
      }
      panel.replaceChildren(heading, ...(others.length ? [list] : []));
    };
    return panel;
  }

  function eventList(Plotly, chart, payload, panel) {
    const points = pointsById(payload.figure.data);
    const list = document.createElement("ol");
    list.className = "timeline-keyboard";
    list.setAttribute("aria-label", "Events of the chart, in time order");
    for (const [id, name] of payload.order) {
      const item = document.createElement("li");
      item.dataset.event = id;
      const entry = button(name, () => openEvent(payload.links[id]));
      entry.dataset.event = id;
      entry.addEventListener("focus", () => {
        panel.show(id);
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
        let sibling = step && item[step > 0 ? "nextElementSibling" : "previousElementSibling"];
        while (sibling && sibling.hidden) sibling = sibling[step > 0 ? "nextElementSibling" : "previousElementSibling"];
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
    const panel = monthPanel(payload);
    const list = eventList(Plotly, chart, payload, panel);
    const filter = theatreFilter(Plotly, chart, payload, list);
    widget.append(...(filter ? [filter] : []), axisControls(Plotly, chart), chart, list, panel);
    widget.querySelector(".timeline-keyboard button").focus(); // the activator is gone: keep the reader's place
    chart.on("plotly_hover", (event) => {
      const [id] = event.points[0].customdata || [];
      if (payload.details[id]) panel.show(id);
    });
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
