// The view of workbench's plotly figure widget (LiveCurves, plot_model): draws the plotly figure
// that Python keeps in the widget's `figure`, redrawing in place (Plotly.react) when it changes, so
// nothing flickers. plotly.js is not shipped in the widget: JupyterLab's plotly renderer loads it
// once per page and sets window.Plotly, which keeps saved notebooks small.

function findPlotly(timeoutMs) {
  return new Promise((resolve) => {
    const start = Date.now();
    let nudged = false;
    const poll = () => {
      if (globalThis.Plotly) return resolve(globalThis.Plotly);
      if (!nudged && Date.now() - start > 500) {
        // A notebook saved from the browser shows plotly outputs as images until hovered.
        nudged = true;
        for (const img of document.querySelectorAll(".jp-RenderedPlotly img.plot-img")) {
          img.dispatchEvent(new MouseEvent("mouseenter"));
        }
      }
      if (Date.now() - start > timeoutMs) return resolve(null);
      setTimeout(poll, 100);
    };
    poll();
  });
}

// The plotly output shown before each view only loads plotly.js: a blank one, or a static copy of
// the figure (same layout.meta) for front ends without widgets. Once the view draws, hide it.
function hideStandIns(meta) {
  for (const node of document.querySelectorAll(".jp-RenderedPlotly")) {
    const standIn = node.layout?.meta;
    if (standIn === "workbench-plotly-loader" || (meta && standIn === meta)) {
      const output = node.closest(".jp-OutputArea-child") ?? node;
      output.style.display = "none";
    }
  }
}

function setPath(target, path, value) {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) node = node[key] ??= {};
  node[keys[keys.length - 1]] = value;
}

// Re-apply the buttons clicked in named menus (log scale, run picker) to a fresh figure from Python.
function applyChoices(figure, choices) {
  for (const menu of figure.layout.updatemenus ?? []) {
    const index = menu.buttons.findIndex((button) => button.label === choices[menu.name]);
    if (index < 0) continue;
    menu.active = index;
    const { method, args } = menu.buttons[index];
    for (const [key, value] of Object.entries(args[0] ?? {})) {
      if (method === "relayout") setPath(figure.layout, key, value);
      if (method === "restyle") figure.data.forEach((trace, i) => { trace[key] = Array.isArray(value) ? value[i] : value; });
    }
  }
}

async function render({ model, el }) {
  const name = model.get("css_class");
  const plot = document.createElement("div");
  plot.className = name;
  const note = document.createElement("pre");
  note.className = `${name}-summary`;
  el.append(plot, note);
  const showSummary = () => { note.textContent = model.get("summary"); };
  const Plotly = await findPlotly(20000);
  if (!Plotly) {
    showSummary();
    model.on("change:summary", showSummary);
    return () => model.off("change:summary", showSummary);
  }
  // The stand-in may still be drawing when plotly.js is found: look again a little later.
  const hide = () => hideStandIns(model.get("figure").layout?.meta);
  for (const delay of [0, 500, 1500, 4000]) setTimeout(hide, delay);
  let scheduled = false;
  const draw = () => {
    scheduled = false;
    const figure = structuredClone(model.get("figure"));
    if (!figure.data) return;
    applyChoices(figure, model.get("choices"));
    // A sized container: plotly's autosize on window resize measures it (an unsized one gives 0).
    plot.style.height = `${figure.layout.height}px`;
    Plotly.react(plot, figure.data, figure.layout, figure.config);
  };
  const schedule = () => {
    if (!scheduled) { scheduled = true; requestAnimationFrame(draw); }
  };
  draw();
  // Clicks in named menus go back to Python, which keeps them in the figures it sends next.
  plot.on("plotly_buttonclicked", (event) => {
    if (!event.menu.name) return;
    model.set("choices", { ...model.get("choices"), [event.menu.name]: event.button.label });
    model.save_changes();
  });
  model.on("change:figure", schedule);
  // The view may be drawn before it is attached, at plotly's default width: fit it when it sizes.
  const resize = new ResizeObserver(() => { if (plot.offsetWidth > 0) Plotly.Plots.resize(plot); });
  resize.observe(el);
  return () => { resize.disconnect(); model.off("change:figure", schedule); Plotly.purge(plot); };
}

export default { render };
